#!/usr/bin/env bash
# Determinism (architecture.md; brief: same inputs -> same output bytes and timestamps): the given
# scenarios run twice, once in one process and once with two worker processes, and every recorded
# file (pcap, VCD, serial and console logs) must be byte-identical between the two runs.
# Usage: determinism.sh K7SIM OUTDIR SCENARIO...
set -euo pipefail
k7sim=$1 out=$2
shift 2
rm -rf "$out"
"$k7sim" run "$@" --jobs 1 --report-dir "$out/a" >/dev/null
"$k7sim" run "$@" --jobs 2 --report-dir "$out/b" >/dev/null
n=0
for f in "$out"/a/*.pcap "$out"/a/*.vcd "$out"/a/*.serial.log "$out"/a/*.console.log; do
  b="$out/b/$(basename "$f")"
  cmp -s "$f" "$b" || { echo "determinism: $(basename "$f") differs between the two runs"; exit 1; }
  n=$((n + 1))
done
[[ $n -gt 0 ]] || { echo "determinism: no recorded files"; exit 1; }
echo "determinism: $n files identical"
