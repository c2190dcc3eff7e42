#!/bin/bash
# What `make demo` runs inside the rig for now: a few caller-ID calls without SafeLine, and
# what the PBX (inbound) or the phone (outbound) heard, in plain words. Never a digit.
#
#   carrier -> our FXO port -> PBX      fxoks 1, 2, 3  --ring, caller ID-->  fxsks 25, 26, 27
#   PBX -> our FXS port -> phone        fxoks 4        --ring, MDMF------->  fxsks 28
#
# linesim's sentences become KTAP diagnostics; the one result says whether every call's
# caller ID was heard, which is what must stop once SafeLine suppresses it.
. "$RIG_LIB"

ktap_plan 1
out=$RIG_ARTIFACTS/linesim.txt
"$BUILD/linesim" demo \
	--pairs 1 --std bell202-mdmf --law ulaw --dir in \
	--and --pairs 2 --std v23 --law alaw \
	--and --pairs 3 --std dtmf --law alaw \
	--and --pairs 4 --std bell202-mdmf --law ulaw --dir out \
	>"$out" 2>&1
rc=$?
while IFS= read -r line; do echo "#${line:+ $line}"; done <"$out"
ktap_result $rc "demo: the far end heard the caller ID on every call (no SafeLine loaded)"
ktap_finish
