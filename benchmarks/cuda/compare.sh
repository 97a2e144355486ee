#!/bin/bash
# Issue 5 on a GPU: DEAE (encoder-only regulariser, clip 1.0) against GSL-AE (clip 1.0) on the demo's Fonts-like
# set, seeds 1-3 in parallel. Usage: benchmarks/cuda/compare.sh [BUNDLE] [STEPS]; results under $OUT (else ./cuda-out).
set -u
BUNDLE=${1:-.gpu}   # the folder benchmarks/cuda/make-bundle.sh wrote
STEPS=${2:-6000}
OUT=${OUT:-$PWD/cuda-out}; mkdir -p "$OUT"
main() {
  . "$(dirname "$0")"/setup.sh
  date; nvidia-smi -L
  mkdir -p /tmp/data && tar xJf "$BUNDLE"/demo-data.tar.xz -C /tmp/data
  # Three processes share 16 cores: five threads each for their CPU-side work.
  export OMP_NUM_THREADS=5
  S=$(date +%s)
  for s in 1 2 3; do
    ( $D evaluate -d /tmp/data/demo --kinds Deae,GslAe --steps "$STEPS" --seed $s --reg-weight 0.01 --reg-gradient EncoderOnly --clip-grad-norm 1.0 \
        --json "$OUT"/gpu$STEPS-s$s.json --markdown "$OUT"/gpu$STEPS-s$s.md > /tmp/eval-s$s.log 2>&1
      echo "seed $s rc $? after $(( $(date +%s) - S )) s" ) &
  done
  wait
  for s in 1 2 3; do echo "== seed $s"; filter < /tmp/eval-s$s.log | tail -5; done
  date
}
main 2>&1 | tee "$OUT"/log.txt
