#!/bin/bash
# Rig self-test: DAHDI is up as rig.md describes, and ring, hook and audio really cross a
# pair, and only that pair. Every other rig test relies on this.
#
#   span 1  dahdi_dummy                 timing master, no channels
#   span 2  DYN/loc/1:0  fxoks (FXS)    1 ........ 12 ........ 23
#                                       |  ring ->  |           |  ring ->
#                                       |  <- hook  |  (idle)   |
#                                       |  audio <->|           |
#   span 3  DYN/loc/1:1  fxsks (FXO)   25 ........ 36 ........ 47
#
# Pair 1 carries a whole call (ring, answer, audio both ways, hang-up); pair 23 proves the
# last pair is wired; pair 12 stays idle and must hear nothing (the control).
# shellcheck source=tests/rig/lib.sh
. "$RIG_LIB"

ktap_plan 14

mods_loaded() {
	local m
	for m in dahdi dahdi_dummy dahdi_dynamic dahdi_dynamic_loc; do
		[ -d "/sys/module/$m" ] || { echo "$m not loaded"; return 1; }
	done
}
ktap_check "dahdi: dahdi, dahdi_dummy, dahdi_dynamic, dahdi_dynamic_loc loaded" mods_loaded

dummy_is_master() {
	head -n1 /proc/dahdi/1 | grep -q 'DAHDI_DUMMY.*(MASTER)' || { head -n1 /proc/dahdi/1; return 1; }
}
ktap_check "dahdi: span 1 is dahdi_dummy, the timing master" dummy_is_master

# span_has SPAN NAME SIG: 24 channels named NAME/1..24, 23 of them with signalling SIG.
span_has() {
	local total sig
	total=$(grep -c "DYN/loc/$2/" "/proc/dahdi/$1")
	sig=$(grep -c "DYN/loc/$2/[0-9]* *$3" "/proc/dahdi/$1")
	echo "span $1: $total channels, $sig $3"
	[ "$total" = 24 ] && [ "$sig" = 23 ]
}
ktap_check "dahdi: span $RIG_FXS_SPAN (loc 1:0) has 24 channels, 23 FXOKS" \
	span_has "$RIG_FXS_SPAN" 1:0 FXOKS
ktap_check "dahdi: span $RIG_FXO_SPAN (loc 1:1) has 24 channels, 23 FXSKS" \
	span_has "$RIG_FXO_SPAN" 1:1 FXSKS

read -r fxs1 fxo1 < <(rig_pair 1)
read -r fxs12 fxo12 < <(rig_pair 12)
read -r fxs23 fxo23 < <(rig_pair 23)
ktap_diag "pairs used: $fxs1:$fxo1 (call), $fxs23:$fxo23 (ring), $fxs12:$fxo12 (idle control)"

rig_chan_start || ktap_diag "cannot start rig-chan"

# open_pair FXS FXO: both open, same position, expected spans and signalling.
open_pair() {
	local a b
	rig_chan open "$1"
	a=$RIG_CHAN_REPLY
	rig_chan open "$2"
	b=$RIG_CHAN_REPLY
	ktap_diag "open $1: $a"
	ktap_diag "open $2: $b"
	[[ $a == "ok "*" span=$RIG_FXS_SPAN "*" sig=fxoks "* ]] &&
		[[ $b == "ok "*" span=$RIG_FXO_SPAN "*" sig=fxsks "* ]] &&
		[ "$(echo "$a" | grep -o 'pos=[0-9]*')" = "$(echo "$b" | grep -o 'pos=[0-9]*')" ]
}
opened=0
open_pair "$fxs1" "$fxo1" || opened=1
open_pair "$fxs12" "$fxo12" || opened=1
open_pair "$fxs23" "$fxo23" || opened=1
ktap_result $opened \
	"pairs: $fxs1:$fxo1, $fxs12:$fxo12, $fxs23:$fxo23 are fxoks:fxsks at equal positions"

# an fxsks channel ignores ring for 2 s after it is opened (rig.md)
sleep 2.1
hook() { rig_chan hook "$1" "$2" || ktap_diag "hook $1 $2: $RIG_CHAN_REPLY"; }
hook "$fxs1" ring
hook "$fxs23" ring
rig_chan_check "ring: FXS $fxs1 rings FXO $fxo1" expect "$fxo1" RINGOFFHOOK 8000
rig_chan_check "ring: FXS $fxs23 rings FXO $fxo23" expect "$fxo23" RINGOFFHOOK 8000
rig_chan_check "ring: idle FXO $fxo12 heard nothing (control)" quiet "$fxo12" 10
hook "$fxo1" offhook
rig_chan_check "answer: FXO $fxo1 off-hook reaches FXS $fxs1" expect "$fxs1" RINGOFFHOOK 4000
rig_chan_check "audio: FXS $fxs1 -> FXO $fxo1 arrives byte-exact" audio "$fxs1" "$fxo1" 1000
rig_chan_check "audio: FXO $fxo1 -> FXS $fxs1 arrives byte-exact" audio "$fxo1" "$fxs1" 1000

# control: the checker must reject a stream that never carried the pattern
rig_chan audio "$fxs1" "$fxo12" 300
ktap_diag "audio $fxs1 $fxo12 300: $RIG_CHAN_REPLY"
[[ $RIG_CHAN_REPLY == "err only 0 of"* ]]
ktap_result $? "audio: pattern on FXS $fxs1 does not appear on FXO $fxo12 (control)"

hook "$fxo1" onhook
rig_chan_check "hang-up: FXO $fxo1 on-hook reaches FXS $fxs1" expect "$fxs1" ONHOOK 4000
rig_chan_check "hang-up: idle FXS $fxs12 heard nothing (control)" quiet "$fxs12" 10

rig_chan_stop
ktap_finish
