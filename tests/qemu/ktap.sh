# shellcheck shell=sh
# KTAP for the host-side runners (tests/rig/run.sh, tests/check.sh): nest a suite's output
# under its own result line, judge a suite, and count leaf results. Sourced, POSIX sh.

# ktap_nest NAME FILE: FILE's KTAP as a subtest of the current level (indented 4 spaces).
ktap_nest() {
	echo "    KTAP version 1"
	echo "    # Subtest: $1"
	[ ! -f "$2" ] || grep -v '^KTAP version' "$2" | sed 's/^/    /'
}

# ktap_verdict FILE RC: judge a suite from its top-level KTAP and exit code (0/1/4 as in
# kselftest). Sets KTAP_WHY (empty when it passed) and KTAP_SKIP (the reason when skipped).
# A suite that crashed, printed no plan or fewer results than planned has failed.
ktap_verdict() {
	KTAP_WHY="" KTAP_SKIP=""
	# shellcheck disable=SC2046
	set -- "$2" $(cat "$1" 2>/dev/null | awk 'BEGIN { plan = -1 }
	/^1\.\.[0-9]+/ && plan < 0 { plan = substr($1, 4) + 0
		if (match($0, /# *SKIP/)) skip = substr($0, RSTART + RLENGTH) }
	/^(not )?ok [0-9]+/ { n++; if (/^not ok/ && !/# *SKIP/) f++ }
	END { sub(/^ +/, "", skip); printf "%d %d %d %s\n", plan, n, f, skip }')
	rc=$1 plan=$2 got=$3 failed=$4
	shift 4
	if [ "$plan" -lt 0 ]; then
		KTAP_WHY="printed no plan (exit $rc)"
	elif [ "$rc" -eq 4 ] && [ "$failed" -eq 0 ]; then
		KTAP_SKIP=${*:-exit 4}
	elif [ "$got" -ne "$plan" ]; then
		KTAP_WHY="planned $plan, reported $got (exit $rc)"
	elif [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
		KTAP_WHY="exit $rc, $failed of $plan failed"
	fi
}

# ktap_summary < KTAP: count leaf results at any depth ("ok"/"not ok" lines with no results
# nested under them); a failed parent whose subtests all passed (a crash, a short plan, the
# dmesg check) counts as one failure. Prints "N passed, N failed[, N skipped]"; false if any
# failed.
ktap_summary() {
	awk '
	/^ *(not )?ok [0-9]+/ {
		d = match($0, /[^ ]/) - 1
		failed = /^ *not ok/ && !/# *SKIP/
		skipped = /# *SKIP/
		kids = kidbad = 0
		for (k in count)
			if (k + 0 > d) { kids += count[k]; kidbad += bad[k]; count[k] = bad[k] = 0 }
		count[d]++
		if (!kids) {
			if (skipped) s++; else if (failed) f++; else p++
		} else if (failed && !kidbad) {
			f++
		}
		if (failed || kidbad) bad[d] = 1
	}
	END {
		printf "%d passed, %d failed", p, f
		if (s) printf ", %d skipped", s
		printf "\n"
		exit f > 0
	}'
}
