#!/bin/bash
# Digits that bypass the audio path: DTMF a card's own echo canceller detects reaches userspace
# as DAHDI_EVENT_DTMFDOWN|digit and DAHDI_EVENT_DTMFUP|digit (DAHDI_GETEVENT), queued by the
# driver through dahdi_qevent_lock()/dahdi_qevent_nolock(). safeline.ko (kernel/qevent.c) drops
# them on a suppressing channel while its line is on-hook or ringing (or a spill is muted).
#
#   sltest_dtmf.ko (tests/qemu/sltest_dtmf.c) plays the card: rig-chan "dtmf C down 5" writes
#   its own descriptor of channel C to debugfs and the module calls dahdi_qevent_lock(chan,
#   DAHDI_EVENT_DTMFDOWN | '5'), as wct4xxp's VPM450M handler does; rig-chan reads C's events.
#
# Baseline first (safeline.ko not loaded: every event arrives), then with it: on-hook FXO and
# FXS ports blocked and counted (SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED), a non-DTMF event
# through the same function passes, off-hook digits pass, an UP follows its DOWN, pass policy
# lets them through, strict blocks, RESET_COUNTERS zeroes the count, unload restores DAHDI.
. "$RIG_LIB"

rig_require_safeline
ktap_plan 18

safectl=$BUILD/safectl
hdr=$SAFELINE_ROOT/kernel/uapi/linux/safeline.h
kmod=$RIG_TOOLS/sltest_dtmf.ko
read -r fxs1 fxo1 < <(rig_pair 1)

# blocked CHAN: SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED of CHAN, from a raw GET_CHANNEL request
blocked() {
	python3 - "$hdr" "$1" <<-'EOF'
	import os, struct, sys
	sys.dont_write_bytecode = True
	sys.path.insert(0, os.path.join(os.environ['SAFELINE_ROOT'], 'tests/rig'))
	from genl import attr, ask, enums, family
	enum = enums(sys.argv[1])
	CMD, C = enum('safeline_cmd'), enum('safeline_channel_attr')
	err, msg, m = ask(family(), CMD['SAFELINE_CMD_GET_CHANNEL'], 0,
	                  attr(C['SAFELINE_CHANNEL_A_CHANNO'], struct.pack('I', int(sys.argv[2]))))
	if err:
	    sys.exit('GET_CHANNEL %s: errno %d %s' % (sys.argv[2], err, msg))
	print(struct.unpack('Q', m[0][C['SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED']])[0])
	EOF
}

# arrive C HOW D [MODE]: the card queues the event and C's reader gets it within 1 s
arrive() {
	local ev=DTMFDOWN
	[ "$2" = up ] && ev=DTMFUP
	[ "$2" = pulse ] && ev=PULSEDIGIT
	rig_chan dtmf "$@" || { echo "dtmf $*: $RIG_CHAN_REPLY"; return 1; }
	rig_chan expect "$1" "${ev}_$3" 1000 || { echo "$*: $RIG_CHAN_REPLY"; return 1; }
	echo "$*: arrived"
}

# kept C HOW D [MODE]: the card queues the event and C's reader does not get it within 0.5 s
kept() {
	local ev=DTMFDOWN
	[ "$2" = up ] && ev=DTMFUP
	rig_chan dtmf "$@" || { echo "dtmf $*: $RIG_CHAN_REPLY"; return 1; }
	if rig_chan expect "$1" "${ev}_$3" 500; then
		echo "$*: reached userspace: $RIG_CHAN_REPLY"
		return 1
	fi
	echo "$*: kept ($RIG_CHAN_REPLY)"
}

# count_is C N: the channel's blocked-event counter is N
count_is() {
	local n
	n=$(blocked "$1") || { echo "$n"; return 1; }
	echo "channel $1: $n DTMF events blocked (want $2)"
	[ "$n" = "$2" ]
}

# ktap_say DESC CMD...: like ktap_check, but its output is always shown
preloaded=0
[ -d /sys/module/safeline ] && rig_unload_safeline && preloaded=1
rig_dmesg_mark dtmf
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug

# 1 (checks run in subshells: the rig-chan coprocess starts out here)
rig_chan_start
setup() {
	[ ! -d /sys/module/safeline ] || { echo "safeline.ko is loaded"; return 1; }
	[ -f "$kmod" ] || { echo "$kmod missing: run make rig-tools"; return 1; }
	insmod "$kmod" || return 1
	[ -n "${RIG_CHAN_PID:-}" ] || { echo "rig-chan did not start"; return 1; }
	rig_chan open "$fxo1" && rig_chan open "$fxs1" || { echo "$RIG_CHAN_REPLY"; return 1; }
}
ktap_check "setup: sltest_dtmf.ko in, channels $fxs1 and $fxo1 open, safeline.ko not loaded" \
	setup

# 2: baseline, both entry points
baseline() {
	arrive "$fxo1" down 5 && arrive "$fxo1" up 5 &&
		arrive "$fxo1" down 7 nolock && arrive "$fxo1" up 7 nolock &&
		arrive "$fxs1" down 9 && arrive "$fxs1" up 9
}
ktap_check "baseline: without safeline.ko card DTMF on on-hook $fxo1 and $fxs1 reaches userspace" \
	baseline

# 3
out=$(rig_load_safeline 2>&1)
ktap_result $? "load: modprobe safeline (policy suppress)"
[ -z "$out" ] || ktap_diag "$out"
sleep 0.3

# 4: the probes stay breakpoints (an optimized probe would ignore the handler's new IP). Other
# probes may share these functions (a tracer's, ftrace-based at the entry): ours sit past it.
probes() {
	local l
	l=$(grep -E 'dahdi_qevent_(no)?lock' /sys/kernel/debug/kprobes/list)
	echo "$l"
	[ "$(echo "$l" | grep -cE 'dahdi_qevent_(no)?lock\+0x5 ')" = 2 ] && ! echo "$l" | grep -q OPTIMIZED
}
ktap_say "probes: dahdi_qevent_lock+5 and _nolock+5 probed, none [OPTIMIZED] after 0.3 s" probes

# 5-6: on-hook FXO port
onhook_fxo() {
	kept "$fxo1" down 5 && kept "$fxo1" up 5 && kept "$fxo1" down 7 nolock &&
		kept "$fxo1" up 7 nolock
}
ktap_check "on-hook FXO $fxo1: DTMFDOWN/UP via dahdi_qevent_lock and _nolock kept" onhook_fxo
ktap_check "on-hook FXO $fxo1: the 4 events counted" count_is "$fxo1" 4

# 7: the same function with another event
ktap_check "control: a PULSEDIGIT event through dahdi_qevent_lock still arrives" \
	arrive "$fxo1" pulse 3

# 8-9: polarity reversals reported the same way become call events (and still reach userspace)
polarity() {
	local ready=$RIG_ARTIFACTS/listener.ready
	rm -f "$ready"
	rig_event_listener 3 "$ready" >"$RIG_ARTIFACTS/polarity.txt" 2>&1 &
	local lpid=$!
	rig_wait_for 10 test -e "$ready" || { echo "listener did not join"; return 1; }
	arrive "$fxo1" pulse 4 || return 1
	rig_chan dtmf "$fxo1" polarity 0 && rig_chan expect "$fxo1" POLARITY 1000 ||
		{ echo "polarity: $RIG_CHAN_REPLY"; return 1; }
	wait $lpid
	echo "listener: $(xargs <"$RIG_ARTIFACTS/polarity.txt")"
	grep -qx "POLARITY $fxo1 1" "$RIG_ARTIFACTS/polarity.txt"
}
ktap_say "polarity on FXO $fxo1: reaches userspace and is one POLARITY call event" polarity
only_polarity() {
	local other
	other=$(grep -v "^POLARITY $fxo1 " "$RIG_ARTIFACTS/polarity.txt")
	echo "other events: ${other:-none}"
	[ -z "$other" ]
}
ktap_check "control: the PULSEDIGIT before it made no call event" only_polarity

# 10: on-hook FXS port (the phone is on-hook)
onhook_fxs() { kept "$fxs1" down 9 && kept "$fxs1" up 9 && count_is "$fxs1" 2; }
ktap_check "on-hook FXS $fxs1: DTMFDOWN/UP kept and counted" onhook_fxs

# 9: off-hook, both ends of the pair
offhook() {
	rig_chan hook "$fxo1" offhook || { echo "offhook: $RIG_CHAN_REPLY"; return 1; }
	rig_chan expect "$fxs1" RINGOFFHOOK 4000 || { echo "$RIG_CHAN_REPLY"; return 1; }
	sleep 0.1
	arrive "$fxo1" down 5 && arrive "$fxo1" up 5 && arrive "$fxs1" down 9 &&
		arrive "$fxs1" up 9 && count_is "$fxo1" 4 && count_is "$fxs1" 2
}
ktap_check "off-hook $fxo1 (and so $fxs1): digits arrive, counters unchanged" offhook

# 10: an UP goes where its DOWN went
pairing() {
	arrive "$fxo1" down 4 || return 1
	rig_chan hook "$fxo1" onhook && sleep 0.1 || return 1
	arrive "$fxo1" up 4 || return 1
	kept "$fxo1" down 6 || return 1
	rig_chan hook "$fxo1" offhook && sleep 0.1 || return 1
	kept "$fxo1" up 6 || return 1
	arrive "$fxo1" down 2 && arrive "$fxo1" up 2 || return 1
	rig_chan hook "$fxo1" onhook && sleep 0.1 || return 1
	count_is "$fxo1" 6
}
ktap_check "pairing: UP after hang-up passes when its DOWN did, kept when its DOWN was" pairing

# 11-12: policies
pass_policy() {
	"$safectl" policy set "$fxo1" pass || return 1
	arrive "$fxo1" down 8 && arrive "$fxo1" up 8 && count_is "$fxo1" 6
}
ktap_check "policy pass on $fxo1: on-hook digits arrive, not counted" pass_policy
strict_policy() {
	"$safectl" policy set "$fxo1" strict || return 1
	kept "$fxo1" down 1 && kept "$fxo1" up 1 && count_is "$fxo1" 8 || return 1
	"$safectl" policy set "$fxo1" suppress
}
ktap_check "policy strict on $fxo1: on-hook digits kept and counted" strict_policy

# 13: RESET_COUNTERS
reset() {
	"$safectl" reset-counters "$fxo1" || return 1
	count_is "$fxo1" 0 && kept "$fxo1" down 0 && count_is "$fxo1" 1 && count_is "$fxs1" 2
}
ktap_check "reset-counters $fxo1: its count starts over, $fxs1's stays" reset

# 14: unload restores DAHDI's own behaviour
unloaded() {
	rig_unload_safeline || return 1
	arrive "$fxo1" up 0 || return 1	# the UP of the DOWN kept above: nothing holds it now
	arrive "$fxo1" down 5 && arrive "$fxo1" up 5
}
ktap_check "unload: card DTMF on on-hook $fxo1 reaches userspace again" unloaded

# 15-16
rig_chan_stop
ktap_check "cleanup: sltest_dtmf.ko removed" rmmod sltest_dtmf
dmesg_ok() {
	local log
	log=$(rig_dmesg_since dtmf | sed 's/^\[[^]]*\] //')
	echo "$log" | grep -E 'safeline|BUG|WARNING|Oops|Call Trace' | head -n 10
	! echo "$log" | grep -qE 'BUG|WARNING|Oops|Call Trace|general protection|[0-9]{4}'
}
ktap_check "dmesg: no BUG/WARNING/Oops, no run of 4 digits" dmesg_ok

[ $preloaded = 0 ] || rig_load_safeline >/dev/null || ktap_diag "could not load it again"
ktap_finish
