# shellcheck shell=bash
# Helpers for rig test scripts (bash). A test starts with:  . "$RIG_LIB"
# The runner (tests/qemu/guest.sh) runs each test inside the guest, from SAFELINE_ROOT, with:
#   SAFELINE_ROOT    the repository (the host's, read-only underneath, writable overlay on top)
#   BUILD KVER DAHDI_SRC  as in the top Makefile
#   RIG_PAIRS        "1:25 2:26 ... 23:47": FXS:FXO channel pairs wired back to back
#   RIG_FXS_CHANS    "1 ... 23": fxoks-signalled channels = FXS ports (they ring their peer)
#   RIG_FXO_CHANS    "25 ... 47": fxsks-signalled channels = FXO ports (they see ring)
#   RIG_FXS_SPAN RIG_FXO_SPAN  their span numbers (2 and 3; span 1 is dahdi_dummy)
#   RIG_TOOLS        $BUILD/rig-tools (rig-chan)
#   RIG_SAFELINE     1 when the runner loaded safeline.ko for every test (--safeline), else 0
#   RIG_SAFELINE_KO  safeline.ko as installed in the guest; empty when it was not built
#   RIG_ARTIFACTS    a writable directory for this test, kept on the host in
#                    $BUILD/rig/last/tests/<name>/
# A test prints KTAP on stdout and exits 0 (pass), 1 (fail) or 4 (skipped); stderr is kept
# and shown by the runner when the test fails.

RIG_NTEST=0
RIG_NFAIL=0
RIG_PLAN=

ktap_plan() {
	RIG_PLAN=$1
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_diag() {
	local line
	while IFS= read -r line; do echo "# $line"; done <<<"$*"
}

# ktap_result STATUS DESC: ok when STATUS is 0.
ktap_result() {
	RIG_NTEST=$((RIG_NTEST + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $RIG_NTEST $2"
	else
		RIG_NFAIL=$((RIG_NFAIL + 1))
		echo "not ok $RIG_NTEST $2"
	fi
	return "$1"
}

ktap_ok() { ktap_result 0 "$1"; }
ktap_fail() { ktap_result 1 "$1"; }

ktap_skip() {
	RIG_NTEST=$((RIG_NTEST + 1))
	echo "ok $RIG_NTEST $1 # SKIP $2"
}

# ktap_check DESC CMD...: one result from a command; its output becomes diagnostics on failure.
ktap_check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || ktap_diag "$out"
	ktap_result $rc "$desc"
}

# ktap_say DESC CMD...: like ktap_check, but CMD's output is a diagnostic either way.
ktap_say() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	ktap_diag "$out"
	ktap_result $rc "$desc"
}

# Skip the whole test (before any result): prints an empty plan and exits 4.
ktap_skip_all() {
	echo "KTAP version 1"
	echo "1..0 # SKIP $1"
	exit 4
}

# Exit as kselftest does: 1 if anything failed or the count does not match the plan.
ktap_finish() {
	if [ -n "$RIG_PLAN" ] && [ "$RIG_NTEST" -ne "$RIG_PLAN" ]; then
		echo "# planned $RIG_PLAN tests, ran $RIG_NTEST"
		exit 1
	fi
	[ "$RIG_NFAIL" -eq 0 ] || exit 1
	exit 0
}

# rig_pair K: "FXS FXO" channels of the K-th pair (1-based).
rig_pair() {
	local p
	p=$(echo "$RIG_PAIRS" | tr ' ' '\n' | sed -n "${1}p")
	[ -n "$p" ] && echo "${p%:*} ${p#*:}"
}

# rig_peer C: the channel wired to channel C.
rig_peer() {
	local p
	for p in $RIG_PAIRS; do
		[ "${p%:*}" = "$1" ] && { echo "${p#*:}"; return 0; }
		[ "${p#*:}" = "$1" ] && { echo "${p%:*}"; return 0; }
	done
	return 1
}

# Fail the whole test when safeline.ko was not built (a clear message, never a silent skip).
rig_require_safeline() {
	[ -n "$RIG_SAFELINE_KO" ] && return 0
	echo "KTAP version 1"
	echo "1..1"
	echo "# kernel/safeline.ko was not built when the rig started: run make"
	echo "not ok 1 safeline.ko available"
	exit 1
}

# rig_load_safeline [PARAM=VALUE...]: modprobe it (with DAHDI already up) and check it stayed.
rig_load_safeline() {
	[ -n "$RIG_SAFELINE_KO" ] || { echo "# safeline.ko not built: run make"; return 1; }
	modprobe safeline "$@" || { echo "# modprobe safeline failed"; return 1; }
	[ -d /sys/module/safeline ] || { echo "# no /sys/module/safeline after modprobe"; return 1; }
}

rig_unload_safeline() {
	[ -d /sys/module/safeline ] || return 0
	modprobe -r safeline || { echo "# modprobe -r safeline failed"; return 1; }
}

# Kernel log markers: rig_dmesg_mark NAME, then rig_dmesg_since NAME prints what came after.
rig_dmesg_mark() { echo "rig: mark $1" >/dev/kmsg; }
rig_dmesg_since() { dmesg | sed -n "/rig: mark $1\$/,\$p" | sed 1d; }

# rig_wait_for SECS CMD...: retry CMD every 0.1 s until it succeeds or SECS pass. CMD's
# words are expanded once, by the caller: a condition on "$(...)" goes in a function.
rig_wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

# rig_uptime_cs: the guest's uptime in hundredths of a second (timings for the docs)
rig_uptime_cs() { local up; read -r up _ </proc/uptime; echo $((${up%.*} * 100 + 10#${up#*.})); }

# rig-chan (tests/qemu/rig-chan.c) runs as a coprocess so channels stay open between steps.
rig_chan_start() {
	[ -x "$RIG_TOOLS/rig-chan" ] || { echo "# $RIG_TOOLS/rig-chan missing: run make tests"; return 1; }
	coproc RIG_CHAN { exec "$RIG_TOOLS/rig-chan"; }
}

# rig_chan CMD...: send one command; the answer is in RIG_CHAN_REPLY; true when it is "ok".
rig_chan() {
	RIG_CHAN_REPLY=
	[ -n "${RIG_CHAN_PID:-}" ] || { RIG_CHAN_REPLY="err rig-chan is not running"; return 1; }
	local wait=30 last=${*: -1}
	# commands that wait end with their time in ms: allow that much more
	[[ $last =~ ^[0-9]+$ ]] && wait=$((30 + last / 1000))
	echo "$*" >&"${RIG_CHAN[1]}"
	IFS= read -r -t $wait RIG_CHAN_REPLY <&"${RIG_CHAN[0]}" ||
		RIG_CHAN_REPLY="err no answer to: $*"
	[ "${RIG_CHAN_REPLY%% *}" = ok ]
}

# rig_chan_check DESC CMD...: one KTAP result from one rig-chan command.
rig_chan_check() {
	local desc=$1
	shift
	rig_chan "$@"
	local rc=$?
	ktap_diag "$*: $RIG_CHAN_REPLY"
	ktap_result $rc "$desc"
}

rig_chan_stop() {
	[ -n "${RIG_CHAN_PID:-}" ] || return 0
	echo quit >&"${RIG_CHAN[1]}"
	wait "$RIG_CHAN_PID" 2>/dev/null
}

# rig_dmesg_ok MARK: dmesg since rig_dmesg_mark MARK has no BUG/WARNING/Oops and no run
# of 4+ digits in safeline's lines (counts on stdout).
rig_dmesg_ok() {
	local log bad runs
	log=$(rig_dmesg_since "$1" | sed 's/^\[[^]]*\] //')
	bad=$(echo "$log" | grep -cE 'BUG|WARNING|Oops|Call Trace|general protection')
	runs=$(echo "$log" | grep -i safeline | grep -cE '[0-9]{4}')
	echo "$(echo "$log" | grep -ci safeline) safeline lines, $runs with 4+ digits in a row;" \
		"$bad BUG/WARNING/Oops lines"
	[ "$bad" = 0 ] && [ "$runs" = 0 ]
}

# rig_genl_py FILE: write FILE, a Python script run as `python3 FILE HEADER ARGS...`: the raw
# generic netlink client (tests/rig/genl.py) imported, enum(TAG) read from the uapi HEADER,
# CMD = its commands, fam = the safeline family's id, u8/u32 packers; then stdin, the body.
rig_genl_py() {
	{
		cat <<-'PYTHON'
		import os, struct, sys
		sys.dont_write_bytecode = True
		sys.path.insert(0, os.path.join(os.environ['SAFELINE_ROOT'], 'tests/rig'))
		from genl import attr, ask, enums, family, messages, subscribe  # noqa: E402,F401
		enum = enums(sys.argv[1])
		CMD = enum('safeline_cmd')
		fam = family()
		u8 = lambda v: struct.pack('B', v)
		u32 = lambda v: struct.pack('I', v)
		PYTHON
		cat
	} >"$1"
}

# rig_calls NAME NJOBS LINESIM-ARGS...: one `linesim call` run, its KTAP kept as
# $RIG_ARTIFACTS/NAME.ktap; each job's verdict becomes a result "NAME: ..." here, each call
# stays a diagnostic (a decode job may pass with a miss). True when linesim exited 0 and
# reported NJOBS verdicts; RIG_CALLS_EXIT and RIG_CALLS_VERDICTS say what it did.
# LINESIM_FLAGS, when set, go before the jobs.
rig_calls() {
	local name=$1 njobs=$2 out line failed
	shift 2
	out=$RIG_ARTIFACTS/$name.ktap
	"$BUILD/linesim" call ${LINESIM_FLAGS:-} "$@" >"$out" 2>"$RIG_ARTIFACTS/$name.stderr"
	RIG_CALLS_EXIT=$?
	RIG_CALLS_VERDICTS=0
	while IFS= read -r line; do
		if [[ $line =~ ^(not\ )?ok\ [0-9]+\ (.*)$ ]] && [[ $line != *": pair "* ]]; then
			RIG_CALLS_VERDICTS=$((RIG_CALLS_VERDICTS + 1))
			failed=0
			[ -z "${BASH_REMATCH[1]}" ] || failed=1
			ktap_result $failed "$name: ${BASH_REMATCH[2]}"
		elif [[ $line == "# "* ]]; then
			echo "$line"
		elif [[ $line == *ok\ * ]]; then
			echo "# call: $line"
		fi
	done <"$out"
	[ ! -s "$RIG_ARTIFACTS/$name.stderr" ] ||
		ktap_diag "linesim stderr: $(<"$RIG_ARTIFACTS/$name.stderr")"
	[ "$RIG_CALLS_EXIT" = 0 ] && [ "$RIG_CALLS_VERDICTS" = "$njobs" ]
}

# rig_event_listener SECONDS READY: a raw listener of the events group for SECONDS (or until
# its python gets SIGTERM: `pkill -TERM -P PID` of the background job), printing "TYPE CHANNEL
# COUNT" lines (events carry no number); touches READY once joined
rig_event_listener() {
	python3 - "$SAFELINE_ROOT/tests/rig" "$SAFELINE_ROOT/kernel/uapi/linux/safeline.h" "$1" "$2" <<-'PYTHON'
	import signal, socket, struct, sys, time
	sys.dont_write_bytecode = True
	sys.path.insert(0, sys.argv[1])
	import genl
	enum = genl.enums(sys.argv[2])
	TYPE = {v: k[len('SAFELINE_EVENT_'):] for k, v in enum('safeline_event_type').items()}
	A = enum('safeline_event_attr')
	family = genl.family()
	s = genl.subscribe('events')
	s.settimeout(0.2)
	counts, end, stop = {}, time.time() + float(sys.argv[3]), []
	signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
	open(sys.argv[4], 'w').close()
	while time.time() < end and not stop:
	    try:
	        data = s.recv(65536)
	    except socket.timeout:
	        continue
	    off = 0
	    while off + 20 <= len(data):
	        n, typ = struct.unpack_from('IH', data, off)
	        if typ == family:
	            a = genl.attrs(data[off + 20:off + n])
	            key = '%s %d' % (TYPE.get(a[A['SAFELINE_EVENT_A_TYPE']][0], '?'),
	                             struct.unpack('I', a[A['SAFELINE_EVENT_A_CHANNO']])[0])
	            counts[key] = counts.get(key, 0) + 1
	        off += (n + 3) & ~3
	for k in sorted(counts):
	    print(k, counts[k])
	PYTHON
}
