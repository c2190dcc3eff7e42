#!/bin/bash
# Baseline: with safeline.ko NOT loaded, caller ID crosses the rig and is decoded, inbound
# and outbound, for every standard linesim sends, in both laws. Suppression tests rely on it:
# a mute only means something where this decodes.
#
#   inbound   carrier (linesim)                      PBX (linesim, decodes as chan_dahdi)
#             fxoks  1 .. 21  --ring, CID spill-->   fxsks 25 .. 45   = our FXO ports
#   outbound  PBX (linesim, as chan_dahdi sends)     phone (linesim, decodes)
#             fxoks  1 .. 21  --ring, MDMF spill-->  fxsks 25 .. 45   (our FXS ports: 1 .. 21)
#   control   fxoks 22 sends; fxsks 47 (wired to the idle 23) listens: it must get no digit
#
# Inbound and outbound use the same wires here; they differ once safeline.ko mutes the FXO
# port's receive side or the FXS port's transmit side. All jobs share pairs 1..21 in one
# linesim run, so the run lasts about as long as 9 calls in a row (~30 s of guest time).
# Builtins only around linesim: every exec costs ~0.3 s in the TCG guest.
. "$RIG_LIB"

ULAW_CALLS=20	# per standard; each must decode on >= 95 %
ALAW_CALLS=10
linesim=$BUILD/linesim

NJOBS=13	# the --and-separated jobs below, control included
ktap_plan $((NJOBS + 2))

# /proc/modules is what lsmod reads
loaded() {
	local name _
	while read -r name _; do [ "$name" = safeline ] && return 0; done </proc/modules
	return 1
}
reload=0
if loaded; then
	ktap_diag "safeline.ko was loaded; unloading it for the baseline"
	rig_unload_safeline && reload=1
fi
! loaded
ktap_result $? "safeline.ko is not loaded"

# linesim's default --peer-offset 24 assumes the rig's wiring: c <-> c+24
wired=
for c in {1..23}; do wired+="$c:$((c + 24)) "; done
[ "$RIG_PAIRS" = "${wired% }" ] || ktap_diag "rig pairs are not c:c+24: $RIG_PAIRS"
[ -x "$linesim" ] || ktap_diag "$linesim missing: run make tests"

# Each job's verdict becomes a result here; its calls stay diagnostics, because a job may
# pass with a miss (>= 95 %) and make check counts every nested "not ok" as a failure.
start=$(rig_uptime_cs)
rig_calls linesim $NJOBS --pairs 1-21 --expect decode --min-percent 95 \
	--law ulaw --calls $ULAW_CALLS --dir in --std bell202-sdmf \
	--and --std bell202-mdmf --and --std v23 --and --std v23-dtas --and --std dtmf \
	--and --std bell202-mdmf --dir out \
	--and --law alaw --calls $ALAW_CALLS --dir in --std bell202-sdmf \
	--and --std bell202-mdmf --and --std v23 --and --std v23-dtas --and --std dtmf \
	--and --std bell202-mdmf --dir out \
	--and --law ulaw --dir in --pairs 22 --peer-offset 25 --calls 1 --expect none --max-leak 0 \
		--label "control, listener not wired to the sender"
took=$(($(rig_uptime_cs) - start))
ktap_diag "linesim exit $RIG_CALLS_EXIT after $((took / 100)).$((took % 100 / 10)) s (guest time)"
[ "$RIG_CALLS_EXIT" = 0 ] && [ "$RIG_CALLS_VERDICTS" = $NJOBS ]
ktap_result $? "linesim: exit $RIG_CALLS_EXIT, $RIG_CALLS_VERDICTS of $NJOBS jobs reported"

[ $reload = 0 ] || rig_load_safeline || ktap_diag "could not load safeline.ko again"
ktap_finish
