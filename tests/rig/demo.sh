#!/bin/sh
# `make demo`: boot the rig and show, in plain words, what the PBX side and a phone hear
# on caller-ID calls. The calls and the sentences come from tests/rig/demo-guest.sh.
set -u
cd "$(dirname "$0")/../.."

echo "SafeLine demo: booting the QEMU rig (Debian kernel, unmodified DAHDI, no hardware)..."
sh tests/rig/run.sh demo-guest >build/rig-demo.ktap 2>&1
rc=$?
heard=build/rig/last/tests/demo-guest/linesim.txt
if [ -s "$heard" ]; then
	echo
	echo "What the far ends heard:"
	sed 's/^/  /' "$heard"
	echo
fi
if [ $rc -ne 0 ]; then
	echo "demo: the rig run failed; its full output is in build/rig-demo.ktap:" >&2
	tail -n 20 build/rig-demo.ktap >&2
	exit 1
fi
echo "demo: done (full KTAP in build/rig-demo.ktap)"
