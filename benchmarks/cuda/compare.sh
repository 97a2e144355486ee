#!/bin/bash
# Issue 5 on a GPU: DEAE (encoder-only regulariser, clip 1.0) against GSL-AE (clip 1.0) on the demo's Fonts-like
# set, seeds 1-3 in parallel. Usage: benchmarks/cuda/compare.sh [BUNDLE] [STEPS]; results under $OUT (else ./cuda-out).
set -u
BUNDLE=${1:-.gpu}   # the folder benchmarks/cuda/make-bundle.sh wrote
STEPS=${2:-6000}
OUT=${OUT:-$PWD/cuda-out}; mkdir -p "$OUT"
main() {
  date; nvidia-smi -L
  T=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')
  export LD_LIBRARY_PATH="$T/lib"
  mkdir -p /tmp/b /tmp/data && for f in dotnet app; do tar xJf "$BUNDLE"/$f.tar.xz -C /tmp/b || { echo "unpack $f failed"; return; }; done
  tar xJf "$BUNDLE"/demo-data.tar.xz -C /tmp/data
  # Three processes share 16 cores: five threads each for their CPU-side work.
  export DOTNET_ROOT=/tmp/b/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 OMP_NUM_THREADS=5
  D="/tmp/b/dotnet/dotnet /tmp/b/app/deae.dll"
  S=$(date +%s)
  for s in 1 2 3; do
    ( $D evaluate -d /tmp/data/demo --kinds Deae,GslAe --steps "$STEPS" --seed $s --reg-weight 0.01 --reg-gradient EncoderOnly --clip-grad-norm 1.0 \
        --json "$OUT"/gpu$STEPS-s$s.json --markdown "$OUT"/gpu$STEPS-s$s.md > /tmp/eval-s$s.log 2>&1
      echo "seed $s rc $? after $(( $(date +%s) - S )) s" ) &
  done
  wait
  for s in 1 2 3; do echo "== seed $s"; tr '\r' '\n' < /tmp/eval-s$s.log | grep -v '^\s*$' | grep -v 'img/s: ' | grep -Ev 'step [0-9]+/[0-9]+ .*[0-9] *$' | grep -v '^   at ' | tail -5; done
  date
}
main 2>&1 | tee "$OUT"/log.txt
