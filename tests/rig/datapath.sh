#!/bin/bash
# safeline.ko's data path on unmodified DAHDI: the hooks see every chunk of every channel of
# every span, channels carry the right role and the fail-closed policy, and spans may come
# and go (and the module with them) without a crash or a stale channel.
#
#   dahdi_dummy (span 1) 1 ms hrtimer ---- dahdi_dummy_hr_int: one tick = one chunk per channel
#        |  _dahdi_receive/_dahdi_transmit of every span, in lockstep
#        v
#   span 2  DYN/loc/1:0  fxoks  ch  0 .. 23   role fxs_port (tx)   (0: unconfigured, none)
#   span 3  DYN/loc/1:1  fxsks  ch 24 .. 47   role fxo_port (rx)   (24: unconfigured, none)
#        ^
#        |  kprobes: _dahdi_ec_span, __dahdi_ec_chunk, _dahdi_receive (entry)
#        |  kretprobe: _dahdi_transmit (exit)  ->  chan.c counters  ->  safectl -j channels
#   tracefs kprobe on dahdi_dummy_hr_int: an independent count of ticks to compare with
#
# Baseline first: DAHDI's channels are up and safeline.ko is not loaded. Then: load, compare
# the channel dump with /proc/dahdi, count chunks against the tick counter and the clock,
# follow a call's hook state, destroy the loc spans while loaded (rmmod dahdi_dynamic_loc),
# bring them back, load/unload 50 times while linesim rings calls with caller-ID spills on
# pairs 2-10, then count chunks against the ticks again and decode a call without the module.
. "$RIG_LIB"

rig_require_safeline
ktap_plan 19

safectl=$BUILD/safectl
linesim=$BUILD/linesim
preloaded=0	# --safeline preloads it; we need it out, and put it back at the end
[ -d /sys/module/safeline ] && rmmod safeline && preloaded=1
rig_dmesg_mark datapath

# /proc/dahdi's view of the loc spans, "channo spanno name sig" (sig lower case, "-" if none)
proc_chans() {
	local f
	for f in /proc/dahdi/*; do
		awk -v span="${f##*/}" '$2 ~ /^DYN\/loc\// {
			print $1, span, $2, ($3 ~ /^[A-Z]+$/ ? tolower($3) : "-") }' "$f"
	done | sort -n
}

# step WHAT: progress with the guest's uptime, kept on the host even if the guest dies
step() { echo "$(cut -d' ' -f1 /proc/uptime) $*" >>"$RIG_ARTIFACTS/progress"; }

# load [PARAM=VALUE]: load and count it (checks run in subshells, so the count is a file)
load() { rig_load_safeline "$@" && echo loaded >>"$RIG_ARTIFACTS/loads"; }
: >"$RIG_ARTIFACTS/loads"

# ktap_say DESC CMD...: like ktap_check, but its output is always shown
# dump [CHAN]: the JSON dump, or nothing when safectl fails
dump() { "$safectl" -j channels "$@" 2>>"$RIG_ARTIFACTS/safectl.err"; }

# Python over two dumps and the tick counter: prints diagnostics, exits 1 on a failed claim.
# Usage: judge ticks|clock DUMP1 DUMP2 MIN_TICKS MAX_TICKS SECONDS
judge() {
	python3 - "$@" <<-'EOF'
	import json, sys
	what, a, b = sys.argv[1:4]
	lo, hi, secs = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
	a = {c['channel']: c for c in json.loads(a)}
	b = {c['channel']: c for c in json.loads(b)}
	bad = []
	rates = []
	for n, c in sorted(b.items()):
	    if n not in a or a[n]['span'] != c['span']:
	        bad.append('%d: not in the first dump' % n); continue
	    rx = (c['rx_ec_chunks'] + c['rx_chunks']) - (a[n]['rx_ec_chunks'] + a[n]['rx_chunks'])
	    tx = c['tx_chunks'] - a[n]['tx_chunks']
	    rates.append(rx / secs)
	    if what == 'ticks':
	        # every span tick brings one chunk each way; the dump lies between two readings
	        if not (lo <= rx <= hi and lo <= tx <= hi):
	            bad.append('%d: rx %d tx %d for %d..%d ticks' % (n, rx, tx, lo, hi))
	        if abs(rx - tx) > 2:
	            bad.append('%d: rx %d != tx %d' % (n, rx, tx))
	    elif what == 'clock':
	        if not 800 <= rx / secs <= 1050 or not 800 <= tx / secs <= 1050:
	            bad.append('%d: %.0f rx/s %.0f tx/s' % (n, rx / secs, tx / secs))
	print('%d channels over %.2f s; rx chunks/s per channel min %.0f max %.0f'
	      % (len(b), secs, min(rates or [0]), max(rates or [0])))
	print('\n'.join(bad[:10]))
	sys.exit(1 if bad or not b else 0)
	EOF
}

# Independent counters: trace kprobes (tracefs) on dahdi_dummy's hrtimer handler and on
# _dahdi_transmit, read from kprobe_profile (tracing_on=0 keeps the ring buffer out of it).
# The loc spans' ticks are the _dahdi_transmit calls that were not dahdi_dummy's own.
T=/sys/kernel/tracing
ticks_setup() {
	mountpoint -q $T || mount -t tracefs nodev $T || return 1
	grep -qw dahdi_dummy_hr_int /proc/kallsyms || { echo "no dahdi_dummy_hr_int symbol"; return 1; }
	echo 0 >$T/tracing_on
	echo 'p:sltest/tick dahdi_dummy_hr_int' >>$T/kprobe_events &&
		echo 'p:sltest/tx _dahdi_transmit' >>$T/kprobe_events || return 1
	echo 1 >$T/events/sltest/enable
}
# loc span ticks so far: (all _dahdi_transmit calls - dahdi_dummy's) / 2 loc spans
loc_ticks() {
	awk '$1 == "tick" { t = $2 } $1 == "tx" { x = $2 } END { print int((x - t) / 2), t }' \
		$T/kprobe_profile
}
ticks_teardown() {
	[ -d $T/events/sltest ] || return 0
	echo 0 >$T/events/sltest/enable
	echo '-:sltest/tick' >>$T/kprobe_events
	echo '-:sltest/tx' >>$T/kprobe_events
}
trap ticks_teardown EXIT

# 1: baseline
step "test 1"
baseline() {
	local n
	n=$(proc_chans | wc -l)
	echo "/proc/dahdi lists $n loc channels"
	[ "$n" = 48 ] || return 1
	[ ! -d /sys/module/safeline ] || { echo "safeline is loaded"; return 1; }
	[ -x "$safectl" ] || { echo "$safectl missing"; return 1; }
}
ktap_check "baseline: 48 loc channels in /proc/dahdi, safeline.ko not loaded" baseline

# 2
out=$(load 2>&1)
rc=$?
[ -z "$out" ] || ktap_diag "$out"
ktap_result $rc "load: modprobe safeline"
sleep 0.3	# a tick or more for every channel

# 3-6: the dump against /proc/dahdi
step "test 3"
d1=$(dump)
echo "$d1" >"$RIG_ARTIFACTS/dump1.json"
want=$(proc_chans)
got=$(echo "$d1" | python3 -c 'import json, sys
for c in json.load(sys.stdin):
    print(c["channel"], c["span"], c["name"], c["role"], c["policy"], c["law"], c["hook"])' 2>&1)
same_chans() {
	diff <(echo "$want" | cut -d' ' -f1-3) <(echo "$got" | cut -d' ' -f1-3)
}
ktap_check "channels: the dump lists exactly /proc/dahdi's channels (number, span, name)" same_chans

# role_ok: fxoks -> fxs_port, fxsks -> fxo_port, unconfigured -> none
roles_ok() {
	join <(echo "$want" | awk '{ print $1, $4 }') <(echo "$got" | awk '{ print $1, $4 }') |
		awk '{ want = ($2 == "fxoks" ? "fxs_port" : $2 == "fxsks" ? "fxo_port" : "none") }
		want != $3 { print "channel " $1 " (" $2 "): role " $3 ", want " want; bad = 1 }
		END { print NR " channels compared"; exit bad || NR != 48 }'
}
ktap_check "channels: role from signalling (fxoks: fxs_port, fxsks: fxo_port, else none)" roles_ok
policy_ok() {
	echo "$got" | awk '{ want = ($4 == "none" ? "pass" : "suppress") }
		$5 != want || $6 != "ulaw" { print "channel " $1 ": policy " $5 " law " $6; bad = 1 }
		$4 != "none" { analog++ } END { print analog " analog channels"; exit bad || analog != 46 }'
}
ktap_check "channels: fail-closed default suppress on all 46 analog channels, pass else, ulaw" \
	policy_ok
hook_idle() {
	echo "$got" | awk '$4 != "none" && $7 != "on" { print "channel " $1 ": hook " $7; bad = 1 }
		END { exit bad }'
}
ktap_check "channels: every analog channel on-hook in the idle rig" hook_idle

# 7-8: counting against an independent tick counter, then against the clock
step "test 7"
# sample: a dump bracketed by two readings of the independent counters
sample() {
	read -r lo dlo < <(loc_ticks)
	d=$(dump)
	read -r hi dhi < <(loc_ticks)
}
if out=$(ticks_setup 2>&1); then
	sample; a=$d; lo1=$lo; hi1=$hi; dlo1=$dlo; s1=$(date +%s.%N)
	sleep 5
	sample; b=$d; lo2=$lo; hi2=$hi; dhi2=$dhi; s2=$(date +%s.%N)
	ticks_teardown
	secs=$(awk -v a="$s1" -v b="$s2" 'BEGIN { print b - a }')
	echo "$b" >"$RIG_ARTIFACTS/dump2.json"
	ktap_diag "loc span ticks between the dumps: $((lo2 - hi1))..$((hi2 - lo1));" \
		"dahdi_dummy ticks at most $((dhi2 - dlo1))"
	out=$(judge ticks "$a" "$b" $((lo2 - hi1)) $((hi2 - lo1)) "$secs" 2>&1)
	rc=$?
	ktap_diag "$out"
	ktap_result $rc "chunks: every channel got one rx and one tx chunk per span tick (tracefs count)"
	out=$(judge clock "$a" "$b" 0 0 "$secs" 2>&1)
	rc=$?
	ktap_diag "$out"
	ktap_diag "dahdi_dummy overruns: $(dmesg | grep -c 'HRTimer missed') lines"
	ktap_result $rc "chunks: 800..1050 per second per direction (1 ms ticks under TCG)"
else
	ktap_diag "$out"
	ktap_fail "chunks: every channel got one rx and one tx chunk per span tick (tracefs count)"
	ktap_fail "chunks: 800..1050 per second per direction (1 ms ticks under TCG)"
fi

# 9: one channel, and a number that is not a channel
step "test 9"
read -r fxs1 fxo1 < <(rig_pair 1)
one_chan() {
	local j err rc
	j=$(dump "$fxo1") || return 1
	echo "$j"
	echo "$j" | python3 -c 'import json, sys
c = json.load(sys.stdin); sys.exit(not (len(c) == 1 and c[0]["channel"] == int(sys.argv[1])
and c[0]["role"] == "fxo_port"))' "$fxo1" || return 1
	err=$("$safectl" channels 999 2>&1)
	rc=$?
	echo "channels 999: exit $rc: $err"
	[ $rc -eq 1 ] && [[ $err == *"No such channel"*"kernel: no live DAHDI channel"* ]]
}
ktap_check "channels CHAN: one row for FXO $fxo1; channel 999 exits 1 with the kernel's reason" \
	one_chan

# 10: the hook state follows a call (FXO port: our hook; FXS port: the phone's)
step "test 10"
hook_of() { dump "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["hook"])'; }
call_hooks() {
	rig_chan_start || return 1
	rig_chan open "$fxs1" && rig_chan open "$fxo1" || { echo "$RIG_CHAN_REPLY"; return 1; }
	rig_chan hook "$fxo1" offhook || { echo "offhook: $RIG_CHAN_REPLY"; return 1; }
	rig_chan expect "$fxs1" RINGOFFHOOK 4000 || echo "expect: $RIG_CHAN_REPLY"
	local off_fxo off_fxs on_fxo on_fxs
	off_fxo=$(hook_of "$fxo1")
	off_fxs=$(hook_of "$fxs1")
	rig_chan hook "$fxo1" onhook
	rig_chan expect "$fxs1" ONHOOK 4000 || echo "expect: $RIG_CHAN_REPLY"
	sleep 0.1
	on_fxo=$(hook_of "$fxo1")
	on_fxs=$(hook_of "$fxs1")
	rig_chan_stop
	echo "off-hook: FXO $fxo1 $off_fxo, FXS $fxs1 $off_fxs; back on-hook: $on_fxo, $on_fxs"
	[ "$off_fxo $off_fxs $on_fxo $on_fxs" = "off off on on" ]
}
ktap_check "hook: FXO $fxo1 off-hook shows off on both ends of the pair, then on again" call_hooks

# 11: unload
step "test 11"
out=$(rig_unload_safeline 2>&1)
rc=$?
[ -z "$out" ] || ktap_diag "$out"
[ $rc -eq 0 ] && [ ! -d /sys/module/safeline ]
ktap_result $? "unload: modprobe -r safeline"

# 12: strict=1 changes the default for analog channels only
step "test 12"
strict_ok() {
	load strict=1 || return 1
	sleep 0.3
	dump | python3 -c 'import json, sys
p = sorted(set((c["role"] != "none", c["policy"]) for c in json.load(sys.stdin)))
print(p); sys.exit(p != [(False, "pass"), (True, "strict")])'
	local rc=$?
	rig_unload_safeline || return 1
	return $rc
}
ktap_check "strict=1: strict on analog channels, pass on the others" strict_ok

# 13: channels numbered max_channels or above are counted as uncovered, never tracked; and
# the probes missed nothing so far
step "test 13"
status_json() { "$safectl" -j status; }
uncovered() {
	load max_channels=30 || return 1
	sleep 0.3
	local a b s1 s2 rc=0
	a=$(status_json) && s1=$(date +%s.%N) || rc=1
	sleep 2
	b=$(status_json) && s2=$(date +%s.%N) || rc=1
	[ $rc = 0 ] && dump | python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
secs = float(sys.argv[4]) - float(sys.argv[3])
chans = [c["channel"] for c in json.load(sys.stdin)]
grew = b["chunks_uncovered"] - a["chunks_uncovered"]
rate = grew / secs / 18 / 2	# channels 30..47, one rx and one tx chunk a tick each
print("dump: channels %d..%d; chunks uncovered %d -> %d in %.2f s: %.0f per channel and "
      "direction a second; hook misses %d" % (min(chans), max(chans), a["chunks_uncovered"],
      b["chunks_uncovered"], secs, rate, b["hook_misses"]))
sys.exit(not (max(chans) == 29 and 0 < a["chunks_uncovered"] < b["chunks_uncovered"]
              and 800 <= rate <= 1050 and b["hook_misses"] == 0))' "$a" "$b" "$s1" "$s2" || rc=1
	rig_unload_safeline || return 1
	# once at the first uncovered chunk, once at unload with the count
	rig_dmesg_since datapath | grep -E 'max_channels=30|numbered 30 or above' |
		sed 's/^\[[^]]*\] //'
	[ "$(rig_dmesg_since datapath | grep -c 'channel 30 is beyond max_channels=30')" = 1 ] &&
		[ "$(rig_dmesg_since datapath | grep -cE '[0-9]+ chunks of channels numbered 30 or above')" = 1 ] ||
		rc=1
	return $rc
}
ktap_say "max_channels=30: channels 30-47 counted as uncovered (status), not dumped; 0 hook misses" \
	uncovered

# 14-15: destroy the loc spans under the hooks, then bring them back
step "test 14"
load >/dev/null
sleep 3	# counters well above what the re-created spans reach before the next dump
before=$(dump)
proc_before=$(proc_chans)
gone() {
	rmmod dahdi_dynamic_loc || return 1
	echo "after rmmod dahdi_dynamic_loc: $(proc_chans | wc -l) loc channels in /proc/dahdi"
	rig_wait_for 3 sh -c "[ \"\$($safectl -j channels)\" = '[]' ]" || {
		echo "still listed: $(dump)"; return 1; }
	[ -d /sys/module/safeline ]
}
ktap_check "span destroy: rmmod dahdi_dynamic_loc while loaded; the dump drops its channels" gone
back() {
	modprobe dahdi_dynamic_loc && dahdi_cfg >>"$RIG_ARTIFACTS/dahdi_cfg.log" 2>&1 || {
		echo "dahdi_cfg failed"; return 1; }
	sleep 0.5
	# later tests get the rig back as it was: same spans, numbers, names, signalling
	diff <(echo "$proc_before") <(proc_chans) || { echo "/proc/dahdi differs"; return 1; }
	python3 - "$before" "$(dump)" <<-'EOF'
	import json, sys
	a = {c['channel']: c for c in json.loads(sys.argv[1])}
	b = {c['channel']: c for c in json.loads(sys.argv[2])}
	same = [n for n in b if n in a and (a[n]['name'], a[n]['role']) == (b[n]['name'], b[n]['role'])]
	fresh = [n for n in same if b[n]['tx_chunks'] < a[n]['tx_chunks']]
	print('%d channels before, %d after, %d the same, %d with counters started over'
	      % (len(a), len(b), len(same), len(fresh)))
	sys.exit(not (len(a) == 48 and len(same) == 48 and len(fresh) == 48))
	EOF
}
ktap_check "span re-create: /proc/dahdi as before; channels back with roles, fresh counters" \
	back

# 16: load/unload 50 times while linesim rings calls with caller-ID spills on several pairs,
# both directions (the calls' digits are not judged: some calls find the module out)
step "test 16"
CYCLES=50
loop() {
	local i pid rc alive=0
	rig_unload_safeline || return 1
	"$linesim" call --dir in --pairs 2-7 --calls 200 --expect decode --min-percent 0 \
		--allow-xruns --and --dir out --pairs 8-10 --calls 100 \
		>"$RIG_ARTIFACTS/loop-calls.ktap" 2>&1 &
	pid=$!
	sleep 0.5
	for i in $(seq $CYCLES); do
		kill -0 $pid 2>/dev/null && alive=$((alive + 1))
		step "loop $i load"
		load >/dev/null || { echo "load $i failed"; kill $pid; return 1; }
		step "loop $i unload"
		modprobe -r safeline || { echo "unload $i failed"; kill $pid; return 1; }
	done
	kill $pid 2>/dev/null
	wait $pid
	rc=$?
	echo "$CYCLES loads and unloads; linesim calling during $alive of them (exit $rc);" \
		"calls done: $(grep -c 'decoded$' "$RIG_ARTIFACTS/loop-calls.ktap") decoded," \
		"$(grep -c 'not decoded$' "$RIG_ARTIFACTS/loop-calls.ktap") of them not (muted)"
	[ $alive = $CYCLES ] && [ $rc -lt 128 -o $rc = 143 ]
}
# Arming ftrace-based kprobes while the spans tick crashes a guest on multi-threaded TCG,
# with the kernel's own tracefs probes too (docs/datapath.md); single-threaded TCG (the rig's
# default, still 2 vCPUs) and 1 vCPU are clean.
if [ "$(nproc)" = 1 ] || [ "${RIG_ACCEL#*thread=single}" != "$RIG_ACCEL" ]; then
	ktap_say "insmod/rmmod: $CYCLES times while calls ring and spill on pairs 2-10" loop
else
	ktap_skip "insmod/rmmod: $CYCLES times while calls ring and spill on pairs 2-10" \
		"multi-threaded TCG ($RIG_ACCEL) crashes on ftrace probe churn"
fi

# 17: after all that, a fresh load counts one chunk per span tick on every channel again
step "test 17"
alive() {
	local a b lo1 hi1 lo2 hi2 s1 s2 secs rc
	rig_unload_safeline && load || return 1
	sleep 0.3
	ticks_setup || { ticks_teardown; return 1; }
	sample; a=$d; lo1=$lo; hi1=$hi; s1=$(date +%s.%N)
	sleep 2
	sample; b=$d; lo2=$lo; hi2=$hi; s2=$(date +%s.%N)
	ticks_teardown
	secs=$(awk -v a="$s1" -v b="$s2" 'BEGIN { print b - a }')
	echo "loc span ticks between the dumps: $((lo2 - hi1))..$((hi2 - lo1))"
	judge ticks "$a" "$b" $((lo2 - hi1)) $((hi2 - lo1)) "$secs"
	rc=$?
	rig_unload_safeline || return 1
	return $rc
}
ktap_say "after the loop: a fresh load counts one rx and one tx chunk per span tick" alive

# 18: and the spans carry calls: without the module, caller ID decodes on a pair
decodes() {
	"$linesim" call --dir in --pairs 1 --calls 1 --expect decode --min-percent 100 \
		>"$RIG_ARTIFACTS/after-calls.ktap" 2>&1 || {
		grep -v '^ok' "$RIG_ARTIFACTS/after-calls.ktap" | head -5; return 1; }
	echo "linesim: $(grep -c '^ok' "$RIG_ARTIFACTS/after-calls.ktap") ok lines"
}
ktap_say "after the loop: without the module, pair 1 decodes caller ID (baseline)" decodes

[ $preloaded = 0 ] || load >/dev/null

# 19: the kernel log
step "test 19"
dmesg_ok() {
	local log n loads
	log=$(rig_dmesg_since datapath)
	loads=$(wc -l <"$RIG_ARTIFACTS/loads")
	n=$(echo "$log" | grep -c 'safeline: SafeLine .* loaded')
	echo "$n load lines for $loads loads"
	echo "$log" | grep -E 'safeline|BUG|WARNING|Oops|Call Trace' | grep -v 'SafeLine .* loaded' |
		head -n 20
	[ "$n" -eq "$loads" ] || return 1
	# test 13's own two lines are expected; any other miss or uncovered chunk is not
	! echo "$log" | grep -vE 'max_channels=30: not covered|numbered 30 or above were not covered' |
		grep -qE 'BUG|WARNING|Oops|Call Trace|general protection|safeline: .*(miss|not covered)'
}
ktap_check "dmesg: a load line per load, no missed tick, no BUG/WARNING/Oops" dmesg_ok

ktap_finish
