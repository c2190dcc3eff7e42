#!/bin/sh
# Boot the SafeLine rig under QEMU and run rig tests inside it; print nested KTAP.
# Usage: tests/rig/run.sh [--timeout SECS] [--safeline] [--systemd] [--verbose] TEST...
#   TEST: NAME for tests/rig/NAME.sh, "all" (every test there but lib, run, demo* and
#   systemd*), or the path of a script anywhere in the host's root but /tmp and /run.
#   --timeout SECS  whole run, QEMU included (default 300); a timeout is a failure
#   --safeline      load safeline.ko before the tests (by default each test loads it itself)
#   --systemd       boot systemd as PID 1 with SafeLine installed (implied by systemd* tests)
#   --verbose       copy the guest console to stderr while it runs
# The guest's files stay in $BUILD/rig/last/ (console.log, setup.log, tests/<name>/...).
# RIG_SMP=1 in the environment boots one vCPU: faster on a busy host, blind to SMP races.
# RIG_QEMU_ARGS: more QEMU options, e.g. "-icount shift=0" (a guest nanosecond is one
# instruction: the benchmark's deterministic clock, docs/datapath.md).
# RIG_LOCK (default /tmp/safeline-rig.lock): runs on one host take turns; empty disables.
# RIG_ACCEL (default tcg,thread=single) is QEMU's -accel: multi-threaded TCG (plain "tcg")
# crashes the guest when ftrace-based kprobes are armed while DAHDI ticks (docs/rig.md).
# Exit status: 0 when every test and the dmesg check passed, 1 otherwise, 2 on usage errors.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/qemu/ktap.sh"
KVER=${KVER:-$(ls -1 /lib/modules 2>/dev/null | grep -- '-amd64$' | sort -V | tail -n1)}
BUILD=${BUILD:-$root/build}
DAHDI_SRC=${DAHDI_SRC:-$BUILD/dahdi-$KVER}
timeout=300
safeline=0
systemd=0
verbose=0
accel=${RIG_ACCEL:-tcg,thread=single}
tests=""
# DAHDI's modules the guest loads (the echo canceller: echocan.sh), from DAHDI_SRC
dahdi_modules="dahdi dahdi_dummy dahdi_dynamic dahdi_dynamic_loc dahdi_echocan_mg2"

# usage [STATUS]: the header above, on stderr
usage() {
	sed -n '3,15s/^# \{0,1\}//p' "$0" >&2
	exit "${1:-2}"
}

die() {
	echo "rig: $*" >&2
	echo "Bail out! rig: $*"
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--timeout) [ $# -ge 2 ] || usage; timeout=$2; shift ;;
	--timeout=*) timeout=${1#*=} ;;
	--safeline) safeline=1 ;;
	--systemd) systemd=1 ;;
	-v | --verbose) verbose=1 ;;
	-h | --help) usage 0 ;;
	-*) echo "rig: unknown option $1" >&2; usage ;;
	all) tests="$tests $(ls -1 "$root"/tests/rig/*.sh | grep -v -e '/lib\.sh$' \
		-e '/run\.sh$' -e '/demo[^/]*$' -e '/systemd[^/]*$' | awk '/\/smoke\.sh$/ { print; next }
		{ rest = rest " " $0 } END { print rest }')" ;;  # smoke first: it checks the rig
	*/*) tests="$tests $(realpath -m "$1")" ;;
	*) tests="$tests $root/tests/rig/$1.sh" ;;
	esac
	shift
done
tests=$(echo $tests)
[ -n "$tests" ] || usage
case $timeout in '' | *[!0-9]*) echo "rig: --timeout wants seconds" >&2; usage ;; esac
case $root in /run/* | /proc/* | /sys/* | /dev/*)
	die "$root: the guest mounts its own /run, /proc, /sys and /dev: move the checkout" ;;
esac
for t in $tests; do
	[ -f "$t" ] || die "no test $t"
	case $t in $root/*) continue ;; esac
	case $t in /tmp/* | /run/* | /proc/* | /sys/* | /dev/*)
		die "$t: the guest mounts its own /tmp, /run, /proc, /sys and /dev" ;;
	esac
done
names=$(for t in $tests; do basename "$t" .sh; done | xargs)
# systemd* tests need systemd as PID 1: a boot of its own (docs/rig.md, "systemd mode")
case " $names" in *" systemd"*) systemd=1 ;; esac
[ "$(echo $names | tr ' ' '\n' | sort -u | wc -l)" = "$(echo $names | wc -w)" ] ||
	die "two tests share a name: $names"

# Everything the rig needs, each with the way to get it; never a silent skip.
check_prereqs() {
	[ -n "$KVER" ] || die "no kernel in /lib/modules: run make deps"
	command -v qemu-system-x86_64 >/dev/null ||
		die "qemu-system-x86_64 missing: run make deps (package qemu-system-x86)"
	[ -r "/boot/vmlinuz-$KVER" ] ||
		die "/boot/vmlinuz-$KVER missing: run make deps (package linux-image-amd64)"
	[ -f "/lib/modules/$KVER/modules.order" ] ||
		die "/lib/modules/$KVER incomplete: run make deps (package linux-image-amd64)"
	if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
		die "static /bin/busybox missing: run make deps (package busybox-static)"
	fi
	for c in cpio depmod modinfo flock timeout; do
		command -v $c >/dev/null || die "$c missing: run make deps"
	done
	command -v dahdi_cfg >/dev/null || die "dahdi_cfg missing: run make deps (package dahdi)"
	for m in $dahdi_modules; do
		[ -f "$DAHDI_SRC/drivers/dahdi/$m.ko" ] ||
			die "$DAHDI_SRC/drivers/dahdi/$m.ko missing: DAHDI not built, run make dahdi"
	done
	if [ $safeline = 1 ] && [ ! -f "$root/kernel/safeline.ko" ]; then
		die "--safeline: kernel/safeline.ko missing: run make"
	fi
	if [ $systemd = 1 ] && [ ! -f "$root/kernel/safeline.ko" ]; then
		die "--systemd: kernel/safeline.ko missing (udev loads it): run make"
	fi
}

# Cached inputs, rebuilt only when their sources change; serialised between parallel runs.
prepare() {
	mkdir -p "$BUILD/rig/runs"
	(
		flock 9
		sh "$root/tests/qemu/mkinitramfs.sh" "$KVER" "$BUILD/rig/initramfs-$KVER.cpio" >&2 ||
			exit 1
		kos=""
		for m in $dahdi_modules; do
			kos="$kos $DAHDI_SRC/drivers/dahdi/$m.ko"
		done
		[ -f "$root/kernel/safeline.ko" ] && kos="$kos $root/kernel/safeline.ko"
		# shellcheck disable=SC2086
		sh "$root/tests/qemu/mkmodules.sh" "$KVER" "$BUILD/rig/modules-$KVER" $kos >&2 ||
			exit 1
		cp -r "$BUILD/rig/modules-$KVER" "$run/modules"
		# systemd mode: SafeLine as `make install PREFIX=/usr` lays it out (the module
		# comes from the staged modules); systemd-prep.sh copies it into the overlay
		if [ $systemd = 1 ]; then
			make -s -C "$root" --no-print-directory install-data PREFIX=/usr \
				DESTDIR="$run/sysroot" >&2 || {
				echo "rig: --systemd: make install-data failed" >&2
				exit 1
			}
		fi
		make -s -C "$root" --no-print-directory rig-tools >&2 || {
			echo "rig: building the rig's tools failed (make rig-tools)" >&2
			exit 1
		}
	) 9>"$BUILD/rig/.lock"
}

# Write the run's directory: rig.conf is read by the guest's init and by guest.sh.
make_run_dir() {
	run=$BUILD/rig/runs/$(date +%Y%m%d-%H%M%S)-$$
	mkdir -p "$run"
	cat >"$run/rig.conf" <<-EOF
		RIG_STAGE2='$root/tests/qemu/guest.sh'
		RIG_TESTS='$tests'
		RIG_SAFELINE=$safeline
		RIG_SYSTEMD=$systemd
		RIG_SYSTEMD_PREP='$root/tests/qemu/systemd-prep.sh'
		RIG_VERBOSE=$verbose
		RIG_ACCEL='$accel'
		RIG_QEMU_ARGS='${RIG_QEMU_ARGS:-}'
		RIG_DEADLINE=$((timeout - 10))
		RIG_MODULES=/run/rig/modules
		SAFELINE_ROOT='$root'
		BUILD='$BUILD'
		KVER='$KVER'
		DAHDI_SRC='$DAHDI_SRC'
	EOF
	ln -sfn "runs/${run##*/}" "$BUILD/rig/last"
	# keep the five newest runs, and any run younger than its longest possible life
	ls -1d "$BUILD/rig/runs/"*/ | sort | head -n -5 | while read -r d; do
		[ -z "$(find "$d" -maxdepth 0 -mmin +30)" ] || rm -rf "$d"
	done
}

boot() {
	# the host enforces the overall time limit; the guest only budgets its tests within it
	timeout -k 5 "$timeout" qemu-system-x86_64 -accel "$accel" -cpu max -m 1024 -smp "${RIG_SMP:-2}" \
		-nographic -no-reboot -nic none ${RIG_QEMU_ARGS:-} \
		-kernel "/boot/vmlinuz-$KVER" -initrd "$BUILD/rig/initramfs-$KVER.cpio" \
		-append "console=ttyS0 quiet panic=-1" \
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$run,mount_tag=rigout,security_model=none" \
		</dev/null >"$run/console.log" 2>&1 &
	qemu=$!
	tail=""
	if [ $verbose = 1 ]; then
		tail -n +1 -f --pid=$qemu "$run/console.log" >&2 &
		tail=$!
	fi
	wait $qemu
	qemu_rc=$?
	[ $qemu_rc != 124 ] && [ $qemu_rc != 137 ] || echo "$qemu_rc" >"$run/killed"
	[ -z "$tail" ] || wait "$tail"
}

# report_test N NAME: print one test's KTAP nested, then its own result line; 1 if it failed.
report_test() {
	n=$1 t=$2 dir=$run/tests/$2
	rc=$(cat "$dir/rc" 2>/dev/null)
	KTAP_WHY="" KTAP_SKIP=""
	ktap_nest "$t" "$dir/ktap"
	[ ! -s "$dir/notes" ] || sed "s/^/# $t: /" "$dir/notes"
	if [ -f "$run/setup.failed" ]; then
		KTAP_WHY="rig setup failed: $(cat "$run/setup.failed")"
	elif [ ! -f "$run/boot.seconds" ]; then
		KTAP_WHY="the guest never reached stage 2 (see console.log)"
	elif [ -z "$rc" ]; then
		KTAP_WHY="did not finish (the guest crashed or the run timed out)"
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		KTAP_WHY="timed out (--timeout $timeout)"
	else
		ktap_verdict "$dir/ktap" "$rc"
	fi
	[ ! -f "$dir/seconds" ] || echo "# $t: $(cat "$dir/seconds") s (guest time)"
	if [ -n "$KTAP_SKIP" ]; then
		echo "ok $n $t # SKIP $KTAP_SKIP"
	elif [ -z "$KTAP_WHY" ]; then
		echo "ok $n $t"
	else
		[ ! -s "$dir/stderr" ] || tail -n 20 "$dir/stderr" | sed "s/^/# $t stderr: /"
		echo "# $t: $KTAP_WHY"
		echo "not ok $n $t"
		return 1
	fi
}

# Kernel reports that mean a bug whatever the tests said (and kmemleak's, when it exists).
BAD='BUG:|WARNING:|Oops|general protection fault|KASAN:|UBSAN:|kernel BUG at|Kernel panic'
BAD="$BAD|unreferenced object|Call Trace:|INFO: task .* blocked|rcu: INFO:|stall on CPU"
BAD="$BAD|refcount_t:|list_(add|del) corruption|double fault|segfault at"

# The guest console without SeaBIOS's terminal escapes.
console() { sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r$//' "$run/console.log"; }

report_dmesg() {
	n=$1 log=$run/dmesg.txt
	if [ ! -f "$log" ]; then
		echo "# dmesg: not saved (the guest died or timed out); last console lines:"
		console | tail -n 15 | sed 's/^/# console: /'
		console | grep -E "$BAD" | head -n 20 | sed 's/^/# console: /'
		echo "not ok $n dmesg: no kernel BUG, WARNING, Oops or leak"
		return 1
	fi
	hits=$(awk -v re="$BAD" '/rig: begin test / { t = $NF } $0 ~ re {
		print (t == "" ? "setup" : t) ": " $0 }' "$log" | head -n 40)
	[ ! -s "$run/kmemleak.txt" ] || hits="$hits
kmemleak: $(grep -c 'unreferenced object' "$run/kmemleak.txt") leaks (kmemleak.txt)"
	[ -f "$run/kmemleak.txt" ] || echo "# dmesg: kmemleak is not built into this kernel"
	if [ -n "$hits" ]; then
		echo "$hits" | sed 's/^/# dmesg: /'
		echo "# dmesg: the whole log is $log"
		echo "not ok $n dmesg: no kernel BUG, WARNING, Oops or leak"
		return 1
	fi
	echo "ok $n dmesg: no kernel BUG, WARNING, Oops or leak"
}

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

t0=$(date +%s.%N)
check_prereqs
make_run_dir
prepare || die "preparing the rig failed (see above)"
ntests=$(echo $names | wc -w)
echo "KTAP version 1"
echo "# rig: kernel $KVER, DAHDI $DAHDI_SRC, tests: $names$([ $systemd = 0 ] || echo ", systemd as PID 1")"
echo "# rig: run directory $run"
echo "1..$((ntests + 1))"
# One guest at a time per host: two TCG guests on two cores starve DAHDI's
# timer and the baseline sees xruns. RIG_LOCK= (empty) opts out.
lock=${RIG_LOCK-/tmp/safeline-rig.lock}
if [ -n "$lock" ]; then
	exec 8>>"$lock"
	flock -n 8 || { echo "# rig: waiting for another rig run ($lock)"; flock 8; }
fi
t1=$(date +%s.%N)
boot
t2=$(date +%s.%N)
[ -z "$lock" ] || exec 8>&-

[ ! -f "$run/pairs" ] || echo "# rig: pairs FXS:FXO $(xargs <"$run/pairs")"
[ ! -f "$run/setup.failed" ] || { echo "# rig: setup failed; setup.log:"; \
	tail -n 20 "$run/setup.log" | sed 's/^/# setup: /'; }
[ ! -f "$run/killed" ] || echo "# rig: QEMU killed after $timeout s (--timeout)"
[ ! -f "$run/stage1.failed" ] || echo "# rig: $(cat "$run/stage1.failed")"

report() {
	status=0
	i=0
	for t in $names; do
		i=$((i + 1))
		report_test $i "$t" || status=1
	done
	report_dmesg $((ntests + 1)) || status=1
	[ ! -f "$run/killed" ] || status=1
	return $status
}
report >"$run/results.ktap"
status=$?
cat "$run/results.ktap"
echo "# rig: $(ktap_summary <"$run/results.ktap")"
boot_s=$(cat "$run/boot.seconds" 2>/dev/null || echo "?")
ready_s=$(cat "$run/ready.seconds" 2>/dev/null || echo "?")
done_s=$(cat "$run/done" 2>/dev/null || echo "?")
echo "# rig: guest at stage 2 after $boot_s s, DAHDI ready at $ready_s s, done at $done_s s" \
	"(guest uptime); QEMU $(elapsed "$t1" "$t2") s; whole run $(elapsed "$t0" "$t2") s"
exit $status
