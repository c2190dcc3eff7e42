#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: instructions per sample (callgrind, only inside bench_run) and
# ns per 8-sample channel chunk (native, best of 10 passes averaged) for the
# DSP core and for spandsp's fsk_rx (Bell 202) + fsk_rx (V.23) + dtmf_rx on
# the same 30 s of µ-law audio. Prints a Markdown table for docs/dsp.md.
set -eu
bin=${1:?usage: bench-dsp.sh BENCH_BINARY}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

command -v valgrind >/dev/null || { echo "bench: valgrind missing" >&2; exit 1; }

instr_per_sample() {
	samples=$(valgrind --tool=callgrind --collect-atstart=no --toggle-collect=bench_run \
		--callgrind-out-file="$out/cg" "$bin" --corpus "$1" --rx "$2" 2>/dev/null)
	ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$out/cg")
	awk -v ir="$ir" -v n="$samples" 'BEGIN { printf "%.1f", ir / n }'
}

echo "| audio (30 s, µ-law) | core instr/sample | spandsp instr/sample | ratio | core ns/chunk | spandsp ns/chunk |"
echo "|---|---:|---:|---:|---:|---:|"
for corpus in idle speech cid; do
	ci=$(instr_per_sample "$corpus" core)
	si=$(instr_per_sample "$corpus" spandsp)
	ct=$("$bin" --corpus "$corpus" --rx core --time)
	st=$("$bin" --corpus "$corpus" --rx spandsp --time)
	ratio=$(awk -v a="$si" -v b="$ci" 'BEGIN { printf "%.1f", a / b }')
	echo "| $corpus | $ci | $si | $ratio | $ct | $st |"
done
