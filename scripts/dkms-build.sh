#!/bin/sh
# Build safeline.ko under DKMS (dkms.conf's MAKE), in the current directory.
# Usage: dkms-build.sh KERNELVER KERNEL_SOURCE_DIR
# safeline.ko calls into dahdi.ko, so kbuild needs DAHDI's headers and the
# symbol versions (CRCs) of the dahdi.ko that will run beside it. DKMS keeps no
# Module.symvers of dahdi-dkms (it deletes its build tree), so they are read
# from that dahdi.ko itself. Overrides: DAHDI_INCLUDE (a DAHDI include/
# directory), DAHDI_KO (a dahdi.ko built for KERNELVER).
set -eu

kver=$1
kdir=$2
dkms_tree=${dkms_tree:-/var/lib/dkms}
here=$(pwd)

die() {
	echo "dkms-build: $*" >&2
	exit 1
}

# dahdi-dkms: the version built for this kernel, else the newest source;
# dahdi-source: the include/ directory of its tarball.
find_include() {
	if [ -n "${DAHDI_INCLUDE:-}" ]; then
		echo "$DAHDI_INCLUDE"
		return
	fi
	for built in "$dkms_tree"/dahdi/*/"$kver"; do
		v=$(basename "$(dirname "$built")")
		if [ -f "/usr/src/dahdi-$v/include/dahdi/kernel.h" ]; then
			echo "/usr/src/dahdi-$v/include"
			return
		fi
	done
	src=$(ls -d /usr/src/dahdi-*/include 2>/dev/null | sort -V | tail -n1)
	if [ -n "$src" ]; then
		echo "$src"
		return
	fi
	if [ -r /usr/src/dahdi.tar.bz2 ]; then
		rm -rf dahdi-include
		mkdir dahdi-include
		tar -xjf /usr/src/dahdi.tar.bz2 -C dahdi-include --strip-components=3 \
			modules/dahdi/include
		echo "$here/dahdi-include"
		return
	fi
	die "no DAHDI headers: install dahdi-dkms or dahdi-source, or set DAHDI_INCLUDE"
}

find_dahdi_ko() {
	if [ -n "${DAHDI_KO:-}" ]; then
		echo "$DAHDI_KO"
		return
	fi
	ko=$(modinfo -k "$kver" -n dahdi 2>/dev/null || true)
	if [ -z "$ko" ] || [ ! -f "$ko" ]; then
		ko=$(ls "$dkms_tree"/dahdi/*/"$kver"/*/module/dahdi.ko* 2>/dev/null | tail -n1)
	fi
	[ -n "$ko" ] || die "no dahdi.ko for $kver: build DAHDI for it first (dahdi-dkms does)"
	echo "$ko"
}

inc=$(find_include)
[ -f "$inc/dahdi/kernel.h" ] || die "$inc/dahdi/kernel.h missing"
ko=$(find_dahdi_ko)
magic=$(modinfo -F vermagic "$ko")
case "$magic" in
"$kver "*) ;;
*) die "$ko was built for '${magic%% *}', not $kver" ;;
esac
sh scripts/dahdi-symvers.sh "$ko" > dahdi.symvers
[ -s dahdi.symvers ] || die "$ko exports no symbols"
echo "dkms-build: DAHDI headers $inc, symbols of $ko"
# no BTF: Debian ships no vmlinux to base it on (as the top Makefile does)
exec make -C "$kdir" M="$here" KERNELRELEASE="$kver" DAHDI_INCLUDE="$inc" \
	CONFIG_DEBUG_INFO_BTF_MODULES= KBUILD_EXTRA_SYMBOLS="$here/dahdi.symvers" modules
