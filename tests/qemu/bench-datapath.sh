#!/bin/bash
# The data path's cost (a benchmark, not a test; `make bench` runs it in the rig through
# tests/rig/run.sh, by path: it lives here so that `run.sh all` never picks it up).
#
#   8 loc spans x 30 channels (4 pairs: fxoks spans wired to fxsks spans), every FXS port
#   playing DAHDI's own dial tone (DAHDI_SENDTONE: no userspace writes), so every analog
#   channel's core direction carries the same busy audio: FXS ports on transmit, FXO ports on
#   receive (the tone crosses the loc wire).
#
# BENCH_ROUNDS rounds (default 8) of four phases each, so that the ratio is taken within a
# round and the host's load (a shared machine: the guest's clock runs on while QEMU waits)
# cancels out; odd rounds run the phases in one order, even rounds in the reverse:
#
#   without   sltest_tick.ko: CPU time of dahdi_dummy_hr_int, the rig's whole 1 ms tick
#             (every span's receive and transmit, our probes included), BENCH_SECONDS s
#   core      bench-core: the DSP core alone in userspace in this same guest, on the tone as
#             an FXO port receives it (recorded here), 240 channel states fed a chunk each per
#             step as the tick walks them (the same working set), with the same modules loaded
#             as "without" (no safeline.ko). Paced (the ratio's reference): one step per DAHDI
#             tick, woken by DAHDI's timer, so it runs right after the tick as the kernel's core
#             runs in it, never holds a tick, and leaves the vCPU idle the rest of the
#             millisecond as the tick phases do (QEMU's thread then meets the same host
#             scheduling). Also a tight loop (3 passes), less the tick's own time during each
#             pass read from sltest_tick.ko (the guest kernel has no IRQ time accounting, so
#             no CPU clock leaves the tick out), and its floor (each step's best of the passes)
#   suppress  the tick with safeline.ko loaded (bench=0, as deployed), suppress everywhere
#   pass      the same at policy pass on every channel: probes and table, no core
#
# Then once, safeline.ko bench=1 (its hook work per span tick and per channel, and what an
# empty probe costs) at suppress and at pass, for the breakdown.
#
# Writes bench.md (the table for docs/datapath.md), rounds, ticks, clock and tone.ulaw to
# RIG_ARTIFACTS.
. "$RIG_LIB"

rig_require_safeline
# Under QEMU's -icount shift=0 (RIG_QEMU_ARGS) the guest's clock counts instructions, one a
# nanosecond, whatever the host is doing: every round reads the same, two show it.
case " ${RIG_QEMU_ARGS:-} " in
*" -icount shift=0 "* | *" -icount shift=0,"*) CLOCK=icount ROUNDS=${BENCH_ROUNDS:-2} ;;
*) CLOCK=tcg ROUNDS=${BENCH_ROUNDS:-8} ;;
esac
SECS=${BENCH_SECONDS:-5}
ktap_plan $((ROUNDS + 4))

safectl=$BUILD/safectl
D=/sys/kernel/debug
step() { echo "$(cut -d' ' -f1 /proc/uptime) $*" >>"$RIG_ARTIFACTS/progress"; }
mountpoint -q $D || mount -t debugfs debugfs $D

# Spans K:0 (fxoks) and K:1 (fxsks), K = 1..4, 30 channels each, after dahdi_dummy's span 1:
# channels 0..239 in creation order; channel 0 exists but cannot be configured (as in the rig).
FXS="1-29,60-89,120-149,180-209"
FXO="30-59,90-119,150-179,210-239"
expand() { echo "$1" | tr ',' '\n' | while IFS=- read -r a b; do seq "$a" "$b"; done | xargs; }
FXS_CHANS=$(expand "$FXS")

# 1
[ -d /sys/module/safeline ] && rig_unload_safeline
rig_dmesg_mark bench
spans() {
	rmmod dahdi_dynamic_loc || return 1
	modprobe dahdi_dynamic_loc || return 1
	{
		for k in 1 2 3 4; do echo "dynamic=loc,$k:0,30,0"; echo "dynamic=loc,$k:1,30,0"; done
		echo "fxoks=$FXS"
		echo "fxsks=$FXO"
		echo "loadzone=us"
		echo "defaultzone=us"
	} >/etc/dahdi/system.conf
	dahdi_cfg >"$RIG_ARTIFACTS/dahdi_cfg.log" 2>&1 || { cat "$RIG_ARTIFACTS/dahdi_cfg.log"; return 1; }
	local n fxoks fxsks
	read -r n fxoks fxsks < <(cat /proc/dahdi/* | awk '$1 ~ /^[0-9]+$/ && $2 ~ /^DYN\/loc\// {
		n++; k += $3 == "FXOKS"; s += $3 == "FXSKS" } END { print n + 0, k + 0, s + 0 }')
	echo "$(ls /proc/dahdi | wc -l) spans; $n loc channels: $fxoks fxoks, $fxsks fxsks"
	[ "$n" = 240 ] && [ "$fxoks" = 119 ] && [ "$fxsks" = 120 ]
}
step spans
ktap_say "setup: 8 loc spans x 30 channels, 119 fxoks and 120 fxsks" spans

# 2: every FXS port plays dial tone; its peer FXO port hears it
rig_chan_start
tones() {
	local c bad=0
	for c in $FXS_CHANS; do
		rig_chan open "$c" >/dev/null && rig_chan tone "$c" dial || { echo "$c: $RIG_CHAN_REPLY"; bad=1; }
	done
	rig_chan open 31 || { echo "$RIG_CHAN_REPLY"; return 1; }
	rig_chan record 31 10000 "$RIG_ARTIFACTS/tone.ulaw" || { echo "$RIG_CHAN_REPLY"; return 1; }
	echo "FXO 31 recorded: $RIG_CHAN_REPLY"
	python3 - "$RIG_ARTIFACTS/tone.ulaw" <<-'PY'
	import sys
	b = open(sys.argv[1], 'rb').read()
	quiet = sum(1 for x in b if x in (0xff, 0x7f))
	print('%d bytes, %.1f %% of them µ-law zero' % (len(b), 100.0 * quiet / max(1, len(b))))
	sys.exit(not (len(b) > 60000 and quiet < len(b) / 10))
	PY
	[ $bad = 0 ]
}
step tones
ktap_say "busy: dial tone on all 119 FXS ports; FXO 31 hears it (10 s recorded)" tones

tick() { cat $D/sltest_tick/stats; }
# measure ROUND NAME: the tick's CPU time over SECS s -> "ROUND NAME ticks ns_per_tick"
measure() {
	local t n
	echo 0 >$D/sltest_tick/stats
	sleep "$SECS"
	read -r _ t _ n < <(tick)
	[ "$t" -gt 0 ] || { echo "$2: no tick in $SECS s"; return 1; }
	echo "$1 $2 $t $((n / t))" | tee -a "$RIG_ARTIFACTS/ticks"
}
# core ROUND: the core in userspace -> "ROUND core net wall tick cpu floor one paced"
# (ns per chunk; see bench-core.c): a tight loop, net of the tick, then paced by the tick
TIMER=/dev/dahdi/timer
core() {
	local out
	out=$("$RIG_TOOLS/bench-core" -t $D/sltest_tick/stats -p $TIMER -s $((SECS * 1000)) \
		ulaw "$RIG_ARTIFACTS/tone.ulaw" 3 240) || { echo "$out"; return 1; }
	echo "$out" >>"$RIG_ARTIFACTS/core.txt"
	echo "$out" | python3 -c '
import re, sys
t = sys.stdin.read()
one = re.search(r"1 channel: [\d.]+ ns per chunk best, ([\d.]+) mean", t).group(1)
m = re.search(r"all channels net of the tick: ([\d.]+) ns per chunk \(wall ([\d.]+), "
              r"tick ([\d.]+), thread CPU ([\d.]+); floor ([\d.]+)", t)
paced = re.search(r"all channels paced: ([\d.]+) ns per chunk", t).group(1)
print(sys.argv[1], "core", *m.groups(), one, paced)' "$1" | tee -a "$RIG_ARTIFACTS/rounds"
}
policy() { "$safectl" policy set 0-239 "$1" >/dev/null && sleep 1; }
load() { rig_load_safeline "$@" && sleep 1; }	# a second for the kprobe optimizer
# round R: the four phases, in reverse order on even rounds
round() {
	local r=$1
	if [ $((r % 2)) = 1 ]; then
		measure "$r" without && core "$r" && load && measure "$r" suppress &&
			policy pass && measure "$r" pass && rig_unload_safeline
	else
		load && policy pass && measure "$r" pass && policy suppress &&
			measure "$r" suppress && rig_unload_safeline && core "$r" && measure "$r" without
	fi || { rig_unload_safeline; return 1; }
	grep "^$r " "$RIG_ARTIFACTS/ticks" >>"$RIG_ARTIFACTS/rounds"
	python3 - "$RIG_ARTIFACTS/rounds" "$r" <<-'PY'
	import sys
	v = {l.split()[1]: l.split()[2:] for l in open(sys.argv[1]) if l.split()[0] == sys.argv[2]}
	add = (int(v['suppress'][1]) - int(v['without'][1])) / 240
	net, paced = float(v['core'][0]), float(v['core'][6])
	print('round %s: added by safeline.ko %.0f ns per channel-chunk; core paced %.1f: %.2f x; '
	      'core in a tight loop, net of the tick %.1f: %.2f x' % (sys.argv[2], add, paced,
	      add / paced, net, add / net))
	PY
}
: >"$RIG_ARTIFACTS/ticks"
: >"$RIG_ARTIFACTS/rounds"
: >"$RIG_ARTIFACTS/core.txt"
cat /sys/devices/system/clocksource/clocksource0/current_clocksource >"$RIG_ARTIFACTS/clocksource"
[ -c $TIMER ] || mknod $TIMER c 196 253	# DAHDI's timer minor, if devtmpfs has not made it
echo "$SECS" >"$RIG_ARTIFACTS/seconds"
echo "$CLOCK" >"$RIG_ARTIFACTS/clock"

# 3 .. ROUNDS + 2
insmod "$RIG_TOOLS/sltest_tick.ko" || ktap_diag "insmod sltest_tick.ko failed"
for r in $(seq "$ROUNDS"); do
	step "round $r"
	ktap_say "round $r: without, core, suppress, pass (reversed on even rounds)" round "$r"
done

# ROUNDS + 3: the breakdown, once: safeline.ko's own hook work (bench=1)
hooks() {
	local policy
	for policy in suppress pass; do
		rig_dmesg_mark "bench-$policy-$$"	# this run's own: a boot may run it twice
		load bench=1 && { [ $policy = suppress ] || policy pass; } &&
			measure bench1 "$policy" && rig_unload_safeline || return 1
		rig_dmesg_since "bench-$policy-$$" | sed 's/^\[[^]]*\] //' | grep 'safeline: bench:' |
			tee "$RIG_ARTIFACTS/hooks-$policy.txt"
	done
}
step hooks
ktap_say "breakdown: safeline.ko bench=1 at suppress and at pass" hooks
rmmod sltest_tick
rig_chan_stop

# ROUNDS + 4: the table, and the issue's target: in-kernel per channel-chunk within 2x of
# the core's own cost, the ratio taken within each round
step table
table() { python3 "$SAFELINE_ROOT/tests/qemu/bench-table.py" "$RIG_ARTIFACTS"; }
out=$(table 2>&1)
rc=$?
echo "$out" >"$RIG_ARTIFACTS/bench.md"
ktap_diag "$out"
ktap_result $rc "table: in-kernel cost per channel-chunk beside the core's in userspace"
ktap_finish
