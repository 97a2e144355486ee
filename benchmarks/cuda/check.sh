#!/bin/bash
# CUDA check on a GPU machine with PyTorch (CUDA) and no .NET: TorchSharp 0.107 (built for libtorch 2.10)
# runs on the machine's torch/lib. Usage: benchmarks/cuda/check.sh [BUNDLE]; results under $OUT (else ./cuda-out).
set -u
BUNDLE=${1:-.gpu}   # the folder benchmarks/cuda/make-bundle.sh wrote
OUT=${OUT:-$PWD/cuda-out}; mkdir -p "$OUT"
main() {
  . "$(dirname "$0")"/setup.sh
  echo "== env"; date; nvidia-smi -L; nproc
  tar xJf "$BUNDLE"/fonts.tar.xz -C /usr/share && echo "fonts: $(find /usr/share/fonts -name '*.ttf' | wc -l) faces"
  echo "== demo (device auto), 800 steps"
  S=$(date +%s%N)
  timeout 150 $D demo --steps 800 -o /tmp/demo > "$OUT"/demo.txt 2>&1
  echo "rc $? after $(( ($(date +%s%N) - S) / 1000000 )) ms"; filter < "$OUT"/demo.txt | head -30
  cp /tmp/demo/run-*/swaps.png "$OUT"/ 2>/dev/null
  DATA=$(dirname "$(ls /tmp/demo/run-*/data/manifest.csv | head -1)")
  echo "== same run on cuda and cpu, 300 steps, seed 1"
  for dev in cuda cpu; do
    S=$(date +%s%N)
    timeout 90 $D train -d "$DATA" -o /tmp/t-$dev.deae --steps 300 --device $dev --seed 1 > "$OUT"/train-$dev.txt 2>&1
    echo "$dev: rc $? after $(( ($(date +%s%N) - S) / 1000000 )) ms"; filter < "$OUT"/train-$dev.txt | tail -8
  done
  echo "== bench train (device auto), N = 2000"
  timeout 170 $D bench train --images 2000 --json "$OUT"/bench-gpu.json > "$OUT"/bench.txt 2>&1
  echo "rc $?"; filter < "$OUT"/bench.txt | tail -6
  cat "$OUT"/bench-gpu.json 2>/dev/null
  date
}
main 2>&1 | tee "$OUT"/log.txt
