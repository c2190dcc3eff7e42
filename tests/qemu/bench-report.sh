#!/bin/sh
# make bench, after the rig's data-path benchmark (tests/qemu/bench-datapath.sh) ran counting
# instructions and in emulated time: print both tables and the DSP core's native cost on the
# same recorded tone, for docs/datapath.md.
# Usage: bench-report.sh BUILD
set -eu
build=${1:?usage: bench-report.sh BUILD}
rc=0
for clock in icount tcg; do
	dir=$build/bench-datapath/$clock
	if [ ! -f "$dir/bench.md" ]; then
		echo "bench: $dir/bench.md missing: the rig run failed" >&2
		rc=1
		continue
	fi
	echo "## $clock"
	cat "$dir/bench.md"
	echo
	tone=$dir/tone.ulaw
done
[ -n "${tone:-}" ] || exit 1
printf 'core in userspace on the same tone, this host natively: '
"$build/rig-tools/bench-core" ulaw "$tone" 10
exit $rc
