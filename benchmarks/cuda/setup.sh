# Sourced by check.sh and compare.sh on the GPU machine: unpacks the bundle in $BUNDLE (what make-bundle.sh
# wrote) and points the CLI at the machine's PyTorch CUDA libraries. Sets D, the command that runs the CLI, and filter.
T=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')
python3 -c 'import torch;print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())'
export LD_LIBRARY_PATH="$T/lib"
mkdir -p /tmp/b && for f in dotnet app; do tar xJf "$BUNDLE"/$f.tar.xz -C /tmp/b || { echo "unpack $f failed"; exit 1; }; done
export DOTNET_ROOT=/tmp/b/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1
D="/tmp/b/dotnet/dotnet /tmp/b/app/deae.dll"
# Progress output without the progress lines (carriage-return updates, per-step reports).
filter() { tr '\r' '\n' | grep -v '^\s*$' | grep -v 'img/s: ' | grep -Ev 'step [0-9]+/[0-9]+ .*[0-9] *$' | grep -v '^   at ' ; }
