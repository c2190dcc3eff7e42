#!/bin/sh
# `make demo`: boot the rig and show, in plain words, what the PBX side and a phone hear
# on caller-ID calls. The calls and the sentences come from tests/rig/demo-guest.sh.
set -u
cd "$(dirname "$0")/../.."

echo "SafeLine demo: booting the QEMU rig (Debian kernel, unmodified DAHDI, no hardware)..."
sh tests/rig/run.sh demo-guest >build/rig-demo.ktap 2>&1
rc=$?
# this run's own directory (build/rig/last may already name a newer, concurrent run)
run=$(sed -n 's/^# rig: run directory //p' build/rig-demo.ktap | head -n1)
dir=$run/tests/demo-guest
if [ -s "$dir/without.txt" ]; then
	echo
	echo "=== Without SafeLine, what the PBX and the phone heard ==="
	sed 's/^/  /' "$dir/without.txt"
fi
if [ -s "$dir/with.txt" ]; then
	echo
	echo "=== With safeline.ko loaded, the same calls ==="
	sed 's/^/  /' "$dir/with.txt"
	echo
	echo "What safeline.ko counted on those channels (safectl channels):"
	sed 's/^/  /' "$dir/channels.txt"
	echo
fi
if [ $rc -ne 0 ]; then
	echo "demo: the rig run failed; its full output is in build/rig-demo.ktap:" >&2
	tail -n 20 build/rig-demo.ktap >&2
	exit 1
fi
echo "demo: done (full KTAP in build/rig-demo.ktap)"
