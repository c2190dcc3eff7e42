#!/bin/sh
# Install the Debian 12 packages SafeLine needs to build, test and run the rig.
# Idempotent: only missing packages are installed; nothing is downloaded outside apt.
set -eu

PKGS="build-essential pkg-config bzip2 cpio kmod busybox-static
linux-image-amd64 linux-headers-amd64 dahdi-source dahdi
qemu-system-x86
libnl-genl-3-dev libnl-3-dev libconfig-dev libsystemd-dev
libspandsp-dev libcmocka-dev
espeak-ng asterisk-core-sounds-en-wav sox valgrind strace python3 python3-yaml"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "deps: all $(echo $PKGS | wc -w) packages present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run 'sudo make deps' (or apt-get install them) first" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
