#!/bin/sh
# `make demo`: boot the rig and tell the story in plain words: what the PBX side and a phone
# hear on caller-ID calls without and with SafeLine, the call log the agent keeps without
# numbers, the day's counts, and the wipe. The calls come from tests/rig/demo-guest.sh.
set -u
cd "$(dirname "$0")/../.."

echo "SafeLine demo: booting the QEMU rig (Debian kernel, unmodified DAHDI, no hardware)..."
sh tests/rig/run.sh demo-guest >build/rig-demo.ktap 2>&1
rc=$?
# this run's own directory (build/rig/last may already name a newer, concurrent run)
run=$(sed -n 's/^# rig: run directory //p' build/rig-demo.ktap | head -n1)
dir=$run/tests/demo-guest
# section FILE TITLE: one part of the story, if the guest got that far
section() {
	[ -s "$dir/$1.txt" ] || return 0
	echo
	echo "=== $2 ==="
	sed 's/^/  /' "$dir/$1.txt"
}
section without "Without SafeLine, what the PBX and the phone heard"
section status "SafeLine comes up: safeline.ko and safelined (safectl status)"
section hotline "A hotline (FXO ports 25, 27, fail-closed suppress): what the PBX heard"
section admin "The admin line (FXO port 26, policy detect): what the PBX heard"
section phone "The PBX rings a staff phone (FXS port 4, suppress): what the phone heard"
section channels "What safeline.ko counted on those channels (safectl channels)"
section calls "The call log safelined keeps in tmpfs (safectl calls): no numbers"
section report "Today's counts (safectl report)"
section wipe "safectl wipe --all"
section after-wipe "safectl calls after the wipe"
echo
if [ $rc -ne 0 ]; then
	echo "demo: the rig run failed; its full output is in build/rig-demo.ktap:" >&2
	tail -n 20 build/rig-demo.ktap >&2
	exit 1
fi
echo "demo: done (full KTAP in build/rig-demo.ktap)"
