#!/bin/bash
# SafeLine rig, stage 2: the guest's PID 1, chrooted into the overlay of the host root (see
# tests/qemu/init). Installs the staged modules, brings DAHDI up with two loc spans wired back
# to back, runs each test, saves dmesg, and leaves everything in /run/rig (the host's run
# directory): setup.log, chans, pairs, tests/<name>/{ktap,stderr,rc,seconds}, dmesg.txt, done.
# With RIG_SYSTEMD=1 it is not PID 1 but safeline-rig.service under systemd (systemd-prep.sh).
#
#   span 2 DYN/loc/1:0  fxoks = FXS ports  ch  1..23  --loc-->  ch 25..47  fxsks = FXO ports
#   span 3 DYN/loc/1:1                     (position k of span 2 <-> position k of span 3)
#
# span 1 is dahdi_dummy (no channels, timing master); it makes span 2 start at channel 0,
# which exists but cannot be configured, so the usable pairs are (c, c+24) for c = 1..23.
set -u
OUT=/run/rig
RIG_SYSTEMD=0
. "$OUT/rig.conf"

# the numbering above; find_pairs checks it against /proc/dahdi
FXS_RANGE=1-23
FXO_RANGE=25-47

uptime_s() { cut -d' ' -f1 /proc/uptime; }
say() { echo "rig: $*"; echo "[$(uptime_s)] $*" >>"$OUT/setup.log"; }
fail_setup() { say "setup failed: $*"; echo "$*" >"$OUT/setup.failed"; }

# The /proc/dahdi file of the loc span at ADDR (1:0 or 1:1).
span_file() { grep -l "DYN/loc/$1 " /proc/dahdi/* 2>/dev/null | head -n1; }

# Channels of the loc span at ADDR: "channel position signalling" per line.
span_chans() {
	awk -v addr="$1" '$2 ~ "^DYN/loc/" addr "/" {
		n = split($2, p, "/"); print $1, p[n], ($3 == "" ? "-" : tolower($3)) }' \
		"$(span_file "$1")"
}

# Lay the staged updates/ and depmod tables over the kernel's modules: no copying (slow over
# 9p under TCG), and a tmpfs upper keeps the directory writable for depmod or a test.
install_modules() {
	local stage=$RIG_MODULES/lib/modules/$KVER mods=/lib/modules/$KVER
	# systemd mode: systemd-prep.sh did this before udev started
	if [ "$RIG_SYSTEMD" != 1 ]; then
		mkdir -p /run/modules/upper /run/modules/work
		mount -t overlay -o "lowerdir=$stage:$mods,upperdir=/run/modules/upper" \
			-o workdir=/run/modules/work rigmodules "$mods" || return 1
	fi
	if [ -f "$mods/updates/safeline.ko" ]; then
		RIG_SAFELINE_KO=$mods/updates/safeline.ko
	fi
}

start_dahdi() {
	modprobe dahdi auto_assign_spans=1 && modprobe dahdi_dummy &&
		modprobe dahdi_dynamic && modprobe dahdi_dynamic_loc || return 1
	mkdir -p /etc/dahdi
	cat >/etc/dahdi/system.conf <<-EOF
		# written by tests/qemu/guest.sh: two loc spans wired back to back
		dynamic=loc,1:0,24,0
		dynamic=loc,1:1,24,0
		fxoks=$FXS_RANGE
		fxsks=$FXO_RANGE
		loadzone=us
		defaultzone=us
	EOF
	say "DAHDI modules loaded"
	dahdi_cfg >>"$OUT/setup.log" 2>&1
}

# Pair position k of the FXS span with position k of the FXO span; keep configured pairs.
find_pairs() {
	local fxs fxo
	if [ -z "$(span_file 1:0)" ] || [ -z "$(span_file 1:1)" ]; then
		say "loc spans missing from /proc/dahdi"
		return 1
	fi
	RIG_FXS_SPAN=$(basename "$(span_file 1:0)")
	RIG_FXO_SPAN=$(basename "$(span_file 1:1)")
	fxs=$(span_chans 1:0)
	fxo=$(span_chans 1:1)
	{ echo "$fxs" | sed "s/^/$RIG_FXS_SPAN /"; echo "$fxo" | sed "s/^/$RIG_FXO_SPAN /"; } \
		>"$OUT/chans"
	RIG_PAIRS=$(join -1 2 -2 2 <(echo "$fxs" | sort -k2,2) <(echo "$fxo" | sort -k2,2) |
		awk '$3 == "fxoks" && $5 == "fxsks" { print $2 ":" $4 }' | sort -n | xargs)
	RIG_FXS_CHANS=$(echo "$RIG_PAIRS" | tr ' ' '\n' | cut -d: -f1 | xargs)
	RIG_FXO_CHANS=$(echo "$RIG_PAIRS" | tr ' ' '\n' | cut -d: -f2 | xargs)
	echo "$RIG_PAIRS" | tr ' ' '\n' >"$OUT/pairs"
	say "FXS ports (fxoks) on span $RIG_FXS_SPAN, FXO ports (fxsks) on span $RIG_FXO_SPAN"
	say "pairs FXS:FXO: $RIG_PAIRS"
	if [ "$(echo "$RIG_PAIRS" | wc -w)" != 23 ]; then
		say "expected 23 pairs from fxoks=$FXS_RANGE fxsks=$FXO_RANGE"
		return 1
	fi
}

setup() {
	install_modules || { fail_setup "cannot install the staged modules"; return 1; }
	say "modules installed"
	start_dahdi || { fail_setup "DAHDI did not start (see setup.log)"; return 1; }
	find_pairs || { fail_setup "unexpected DAHDI channel layout (see chans)"; return 1; }
	if [ "$RIG_SAFELINE" = 1 ]; then
		modprobe safeline >>"$OUT/setup.log" 2>&1 ||
			{ fail_setup "modprobe safeline failed (see setup.log)"; return 1; }
		say "safeline loaded (--safeline)"
	fi
	export RIG_PAIRS RIG_FXS_CHANS RIG_FXO_CHANS RIG_FXS_SPAN RIG_FXO_SPAN RIG_SAFELINE_KO
}

# Run one test script with what is left of the time budget; record its output and exit code.
run_test() {
	local t dir start left rc pid
	t=$(basename "$1" .sh)
	dir=$OUT/tests/$t
	mkdir -p "$dir"
	start=$(uptime_s)
	left=$(awk -v d="$RIG_DEADLINE" -v n="$start" 'BEGIN { printf "%d", d - n }')
	if [ "$left" -le 5 ]; then
		echo "rig: no time left to start $t" >"$dir/stderr"
		echo 124 >"$dir/rc"
		return
	fi
	echo "rig: begin test $t" >/dev/kmsg
	# timeout leads its own process group: whatever the test leaves running is killed below
	(cd "$SAFELINE_ROOT" && RIG_ARTIFACTS=$dir exec timeout -k 5 "$left" bash "$1") \
		>"$dir/ktap" 2>"$dir/stderr" </dev/null &
	pid=$!
	[ "$RIG_VERBOSE" != 1 ] || tail -n +1 -s 0.2 -f --pid=$pid "$dir/ktap" >/dev/console &
	wait $pid
	rc=$?
	wait
	if pgrep -g $pid >/dev/null; then
		echo "left running, killed: $(pgrep -g $pid -l | xargs)" >>"$dir/notes"
		kill -KILL -- -$pid
	fi
	echo "rig: end test $t" >/dev/kmsg
	awk -v s="$start" -v e="$(uptime_s)" 'BEGIN { printf "%.1f\n", e - s }' >"$dir/seconds"
	# a test must leave the rig as it found it; clean up so the next one starts fresh
	# (systemd mode: udev loads it on purpose, and safelined holds it)
	if [ "$RIG_SAFELINE" != 1 ] && [ "$RIG_SYSTEMD" != 1 ] && [ -d /sys/module/safeline ]; then
		echo "test left safeline.ko loaded; the runner unloaded it" >>"$dir/notes"
		rmmod safeline 2>>"$dir/notes"
	fi
	echo "$rc" >"$dir/rc"
	say "test $t: exit $rc after $(cat "$dir/seconds") s"
}

save_dmesg() {
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	if [ -w /sys/kernel/debug/kmemleak ]; then
		echo scan >/sys/kernel/debug/kmemleak
		echo scan >/sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak >"$OUT/kmemleak.txt"
	fi
	dmesg >"$OUT/dmesg.txt"
}

uptime_s >"$OUT/boot.seconds"
say "stage 2 at $(cat "$OUT/boot.seconds") s"
# systemd mode: what udev and systemd had done before DAHDI appeared, the tests' baseline
if [ "$RIG_SYSTEMD" = 1 ]; then
	{
		echo "safeline_loaded=$([ -d /sys/module/safeline ] && echo 1 || echo 0)"
		echo "dahdi_loaded=$([ -d /sys/module/dahdi ] && echo 1 || echo 0)"
		echo "safelined_$(systemctl show -p ActiveState safelined.service)"
		echo "socket_$(systemctl show -p ActiveState safelined.socket)"
	} >"$OUT/before-dahdi"
	# when systemd reached its targets, in µs since the kernel started (systemd-analyze is slow
	# here: ~50 s under TCG on a busy host)
	systemctl show -p UserspaceTimestampMonotonic -p FinishTimestampMonotonic \
		>"$OUT/systemd-boot.txt" 2>&1
	say "systemd snapshot taken"
fi
RIG_SAFELINE_KO=
export SAFELINE_ROOT BUILD KVER DAHDI_SRC RIG_SAFELINE RIG_ACCEL RIG_QEMU_ARGS RIG_SYSTEMD
export RIG_TOOLS=$BUILD/rig-tools RIG_LIB=$SAFELINE_ROOT/tests/rig/lib.sh
if setup; then
	uptime_s >"$OUT/ready.seconds"
	say "DAHDI ready at $(cat "$OUT/ready.seconds") s"
	for t in $RIG_TESTS; do
		run_test "$t"
	done
fi
save_dmesg
uptime_s >"$OUT/done"
sync
# this script is PID 1: leaving would panic the kernel, so power off (busybox-static's)
busybox poweroff -f
