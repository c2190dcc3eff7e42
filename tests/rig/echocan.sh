#!/bin/bash
# The echo canceller's taps: with DAHDI's own software echo canceller (dahdi_echocan_mg2)
# running on an FXO port, its receive chunk goes _dahdi_ec_span -> __dahdi_ec_chunk (the
# canceller, and the pre-echo copy for monitor conferences) before _dahdi_receive reads it.
# safeline.ko must take it at the first of these and mute caller ID there, before anything in
# DAHDI reads it (docs/datapath.md, "Where chunks are taken").
#
#   carrier (linesim)                               PBX (linesim decodes)
#   fxoks, pair 1 (policy pass: its own transmit    fxsks, pair 1 = our FXO port, with
#   mute is out of the way) --ring, spill-->        mg2 on (linesim --echocan 128)
#
# Order: assign mg2 to the FXO port (echocanceller= in system.conf); baseline without
# safeline.ko: calls through the canceller decode (this path carries caller ID); load, the
# FXS end at pass: the same calls decode no digit, and the FXO port's chunks came through the
# echo taps (rx_ec_chunks, 1 per ms while a call held the canceller on), its spills counted;
# the FXO port at pass: the calls decode again; system.conf restored.
# Numbers live only in linesim's memory: everything printed here is counts.
. "$RIG_LIB"

rig_require_safeline
ktap_plan 11

safectl=$BUILD/safectl
CALLS=3
read -r fxs1 fxo1 < <(rig_pair 1)
conf=/etc/dahdi/system.conf
cp $conf "$RIG_ARTIFACTS/system.conf.orig"

# restore: the rig's own configuration again (the canceller assignment goes with it)
restore() {
	cp "$RIG_ARTIFACTS/system.conf.orig" $conf && dahdi_cfg >>"$RIG_ARTIFACTS/dahdi_cfg.log" 2>&1
}
trap restore EXIT

# calls NAME EXPECT: CALLS inbound calls on pair 1 with the canceller on; 2 results
calls() {
	rig_calls "$1" 1 --pairs 1 --calls $CALLS --echocan 128 --expect "$2"
	ktap_result $? "$1: linesim exit $RIG_CALLS_EXIT, $RIG_CALLS_VERDICTS of 1 job reported"
}

# counters CHAN: "rx_ec_chunks rx_chunks spills" of CHAN now
counters() {
	"$safectl" -j channels "$1" | python3 -c 'import json, sys
c = json.load(sys.stdin)[0]
print(c["rx_ec_chunks"], c["rx_chunks"], sum(v for k, v in c.items() if k.startswith("spills")))'
}

# 1: mg2 assigned to the FXO port, inactive until a call turns it on
assign() {
	echo "echocanceller=mg2,$fxo1" >>$conf
	dahdi_cfg >>"$RIG_ARTIFACTS/dahdi_cfg.log" 2>&1 || { tail -3 "$RIG_ARTIFACTS/dahdi_cfg.log"; return 1; }
	local line
	line=$(grep -hE "^[[:space:]]*$fxo1 " /proc/dahdi/*)
	echo "/proc/dahdi: $(echo $line)"
	[[ $line == *"(EC: MG2 - INACTIVE)"* ]]
}
[ ! -d /sys/module/safeline ] || rig_unload_safeline
ktap_say "setup: DAHDI's mg2 echo canceller assigned to FXO $fxo1, not yet active" assign

# 2-3: baseline
calls baseline decode

# 4-8: suppress at the echo taps
rig_load_safeline && "$safectl" policy set "$fxs1" pass >/dev/null
ktap_result $? "load: modprobe safeline; FXS $fxs1 (the sending end) at pass"
read -r ec0 rx0 sp0 < <(counters "$fxo1")
read -r pec0 _ _ < <(counters "$fxs1")
calls suppress none
read -r ec1 rx1 sp1 < <(counters "$fxo1")
read -r pec1 _ _ < <(counters "$fxs1")
taps() {
	echo "FXO $fxo1: rx_ec_chunks +$((ec1 - ec0)), rx_chunks +$((rx1 - rx0)), spills +$((sp1 - sp0));" \
		"FXS $fxs1: rx_ec_chunks +$((pec1 - pec0))"
	# each call holds the canceller on for its ring cycle and spill: seconds, 1 chunk a ms
	[ $((ec1 - ec0)) -ge $((CALLS * 2000)) ] && [ $((pec1 - pec0)) = 0 ]
}
ktap_say "echo taps: the FXO port's chunks came through them during the calls, its peer's did not" taps
[ $((sp1 - sp0)) -ge $CALLS ]
ktap_result $? "spills: at least one counted per call on FXO $fxo1 ($((sp1 - sp0)))"

# 9-10: pass on the FXO port lets the number through the same path
"$safectl" policy set "$fxo1" pass >/dev/null
calls pass decode

# 11
rig_unload_safeline
ktap_result $? "unload: modprobe -r safeline"
ktap_finish
