#!/bin/sh
# What `make check` runs once everything is built: every unit test binary
# ($BUILD/tests/unit/test-*, run from the repository root), then every rig test
# (tests/rig/run.sh all), then the systemd-as-PID-1 rig test (a boot of its own), as one
# nested KTAP report. It ends with the line
# "N passed, N failed" (", N skipped" when some were) counting leaf results, and exits 1 if
# anything failed; a suite that crashed or printed no plan counts as a failure.
# The unit tests run two at a time (the machine has two cores) and are reported in order.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$root/build}
. "$root/tests/qemu/ktap.sh"
cd "$root" || exit 1

# check.sh --unit TEST DIR: run one unit test into DIR/NAME (KTAP), .err and .rc
if [ "${1:-}" = --unit ]; then
	start=$(date +%s.%N)
	"$2" >"$3/${2##*/}" 2>"$3/${2##*/}.err" </dev/null
	rc=$?
	awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "# took %.1f s\n", b - a }' \
		>>"$3/${2##*/}"
	echo $rc >"$3/${2##*/}.rc"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

units=$(find "$BUILD/tests/unit" -maxdepth 1 -name 'test-*' -type f -perm -u+x 2>/dev/null |
	sort)
nunits=$(echo $units | wc -w)

# suite N NAME FILE RC: nest a finished suite and give it its result line.
suite() {
	ktap_nest "$2" "$3"
	ktap_verdict "$3" "$4"
	if [ -n "$KTAP_SKIP" ]; then
		echo "ok $1 $2 # SKIP $KTAP_SKIP"
	elif [ -z "$KTAP_WHY" ]; then
		echo "ok $1 $2"
	else
		[ ! -s "$3.err" ] || tail -n 30 "$3.err" | sed "s/^/# $2 stderr: /"
		echo "# $2: $KTAP_WHY"
		echo "not ok $1 $2"
	fi
}

all() {
	echo "KTAP version 1"
	echo "1..$((nunits + 2))"
	[ "$nunits" -gt 0 ] || echo "# no unit test binaries in $BUILD/tests/unit"
	printf '%s\n' $units | xargs -r -P 2 -I TEST sh "$root/tests/check.sh" --unit TEST "$tmp"
	i=0
	for u in $units; do
		i=$((i + 1))
		name=${u##*/}
		suite $i "$name" "$tmp/$name" "$(cat "$tmp/$name.rc" 2>/dev/null || echo 1)"
	done
	# the rig tests take ~15 min of guest time under TCG: room for a slower host
	timed sh tests/rig/run.sh --timeout 1800 all >"$tmp/rig" 2>"$tmp/rig.err" </dev/null
	suite $((nunits + 1)) rig "$tmp/rig" $?
	timed sh tests/rig/run.sh --timeout 600 systemd >"$tmp/rig-systemd" \
		2>"$tmp/rig-systemd.err" </dev/null
	suite $((nunits + 2)) rig-systemd "$tmp/rig-systemd" $?
	echo "# make check: $(elapsed "$t0" "$(date +%s.%N)") s in all"
}

# timed CMD...: run CMD; its wall time goes to the end of its output as "# took N s"
timed() {
	local start rc
	start=$(date +%s.%N)
	"$@"
	rc=$?
	echo "# took $(elapsed "$start" "$(date +%s.%N)") s"
	return $rc
}
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
t0=$(date +%s.%N)

all | tee "$tmp/all"
ktap_summary <"$tmp/all"
