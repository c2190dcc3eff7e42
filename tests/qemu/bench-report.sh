#!/bin/sh
# make bench, after the rig's data-path benchmark (tests/qemu/bench-datapath.sh): print its
# table and the DSP core's native cost on the same recorded tone, for docs/datapath.md.
# Usage: bench-report.sh BUILD
set -eu
build=${1:?usage: bench-report.sh BUILD}
dir=$build/rig/last/tests/bench-datapath
[ -f "$dir/bench.md" ] || { echo "bench: $dir/bench.md missing: the rig run failed" >&2; exit 1; }
cat "$dir/bench.md"
printf 'core in userspace on the same tone, this host natively: '
"$build/rig-tools/bench-core" ulaw "$dir/tone.ulaw" 10
