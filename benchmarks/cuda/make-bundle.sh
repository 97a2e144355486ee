#!/bin/bash
# Packs what benchmarks/cuda/check.sh needs on a GPU machine that has PyTorch (CUDA) but no .NET and no
# libtorch-cuda NuGet package: the .NET runtime, the CLI built with the CPU backend minus libtorch's own
# natives (the machine's torch/lib stands in for them), the system fonts and the demo data set.
# Usage: benchmarks/cuda/make-bundle.sh OUTDIR   (run from the repository root; writes OUTDIR/*.tar.xz)
set -euo pipefail
out=${1:?usage: make-bundle.sh OUTDIR}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build -c Release src/Deae.Cli -o "$work/build" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
mkdir -p "$work/app/runtimes/linux-x64/native"
cp "$work"/build/*.dll "$work"/build/*.json "$work/app/"
rm -f "$work/app/onnxruntime.dll"
# libLibTorchSharp.so is TorchSharp's own; libtorch_cpu/libc10/... are left out on purpose, so that the
# loader takes the GPU machine's matching CUDA build from LD_LIBRARY_PATH instead of the CPU one.
cp "$work"/build/runtimes/linux-x64/native/{libLibTorchSharp.so,libSkiaSharp.so,libFastTreeNative.so,libLdaNative.so} "$work/app/runtimes/linux-x64/native/"
tar -C "$work" -cJf "$out/app.tar.xz" app

root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(ls -d "$root"/shared/Microsoft.NETCore.App/* | sort -V | tail -1)
mkdir -p "$work/dotnet/shared/Microsoft.NETCore.App"
cp -a "$root/dotnet" "$root/host" "$work/dotnet/"
cp -a "$runtime" "$work/dotnet/shared/Microsoft.NETCore.App/"
tar -C "$work" -cf - dotnet | xz -T0 -1 > "$out/dotnet.tar.xz"

tar -C /usr/share -cJf "$out/fonts.tar.xz" fonts
# The demo's set (DemoConfiguration.Data), so that results compare with docs/results/.
"$work/build/deae" generate fonts -o "$work/demo" --letters ABCDEFGHIJ --font-colors red,yellow,green,blue,purple --background-colors orange,cyan,silver,pink,green --max-fonts 4 > /dev/null
tar -C "$work" -cJf "$out/demo-data.tar.xz" demo
ls -la "$out"
