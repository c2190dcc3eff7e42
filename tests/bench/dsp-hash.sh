#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Is the DSP core in the work tree bit-exact with REV's (default HEAD)? Builds
# tests/bench/dsp-hash.c against both cores and diffs their hashes of every
# output byte and event (seeds 5 and 6). Exit 0 when identical.
set -eu
rev=${1:-HEAD}
top=$(git rev-parse --show-toplevel)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cflags="-O2 $(pkg-config --cflags spandsp 2>/dev/null || true)"
libs="$(pkg-config --libs spandsp 2>/dev/null || echo -lspandsp) -lm"
support="tests/unit/spill.c tests/unit/oracle.c tests/unit/audio.c"

git -C "$top" archive "$rev" kernel/dsp | tar -x -C "$out"
mkdir -p "$out/old" "$out/new"
for side in old new; do
	if [ $side = old ]; then dsp="$out/kernel/dsp"; else dsp="$top/kernel/dsp"; fi
	mkdir -p "$out/$side/kernel"
	ln -s "$dsp" "$out/$side/kernel/dsp"
	ln -s "$top/tests" "$out/$side/tests"
	(cd "$out/$side" && cc $cflags -I. -o hash "$top/tests/bench/dsp-hash.c" \
		kernel/dsp/cid.c kernel/dsp/fsk.c kernel/dsp/g711.c kernel/dsp/tones.c \
		$support $libs)
	for seed in 5 6; do "$out/$side/hash" $seed; done >"$out/$side.txt"
done
if diff "$out/old.txt" "$out/new.txt"; then
	echo "dsp-hash: bit-exact with $rev ($(wc -l <"$out/new.txt") runs)"
else
	echo "dsp-hash: outputs differ from $rev" >&2
	exit 1
fi
