#!/bin/bash
# What `make demo` runs inside the rig: the same four caller-ID calls twice, first without
# SafeLine (the far end decodes the number), then with safeline.ko loaded (it decodes
# nothing), and what the module counted. Never a digit of a number is printed.
#
#   carrier -> our FXO port -> PBX      fxoks 1, 2, 3  --ring, caller ID-->  fxsks 25, 26, 27
#   PBX -> our FXS port -> phone        fxoks 4        --ring, MDMF------->  fxsks 28
#
# In the rig both ends of a pair are analog channels under the fail-closed default, so the
# module would mute each call twice; the far ends of the demo's pairs are set to pass, so
# each call shows exactly one mute: FXO receive for inbound, FXS transmit for outbound.
. "$RIG_LIB"

calls=(--pairs 1 --std bell202-mdmf --law ulaw --dir in
	--and --pairs 2 --std v23 --law alaw
	--and --pairs 3 --std dtmf --law alaw
	--and --pairs 4 --std bell202-mdmf --law ulaw --dir out)

# run NAME EXPECT: the four calls; linesim's sentences become diagnostics and a file
run() {
	local out=$RIG_ARTIFACTS/$1.txt
	"$BUILD/linesim" demo --expect "$2" "${calls[@]}" >"$out" 2>&1
	local rc=$?
	while IFS= read -r line; do echo "#${line:+ $line}"; done <"$out"
	return $rc
}

ktap_plan 3
lsmod_has() { grep -q "^$1 " /proc/modules; }
lsmod_has safeline && modprobe -r safeline

echo "# === Without SafeLine: what the PBX and the phone hear ==="
run without decode
ktap_result $? "demo: without SafeLine the far end decoded the caller ID on every call"

echo "# === With safeline.ko loaded (fail-closed default: suppress) ==="
modprobe safeline &&
	"$BUILD/safectl" policy set 1-3 pass >/dev/null &&
	"$BUILD/safectl" policy set 28 pass >/dev/null
ktap_result $? "demo: safeline.ko loaded; far ends of the demo's pairs set to pass"
run with none
rc=$?
echo "# What safeline.ko counted on the demo's channels:"
"$BUILD/safectl" channels 2>&1 | awk 'NR == 1 || $1 ~ /^(4|25|26|27)$/' \
	>"$RIG_ARTIFACTS/channels.txt"
sed 's/^/#   /' "$RIG_ARTIFACTS/channels.txt"
ktap_result $rc "demo: with SafeLine the far end decoded no caller ID, not one digit"
modprobe -r safeline
ktap_finish
