#!/bin/sh
# Build Debian's unmodified DAHDI (dahdi-source) for one kernel, with dahdi_dummy enabled.
# Usage: build-dahdi.sh KDIR OUTDIR
# Cached: rebuilds only when the tarball, the kernel's headers or this script are newer than
# the result.
set -eu

kdir=$1
out=$2
tarball=${DAHDI_TARBALL:-/usr/src/dahdi.tar.bz2}
stamp=$out/drivers/dahdi/Module.symvers

if [ ! -r "$tarball" ]; then
	echo "build-dahdi: $tarball missing: install dahdi-source (make deps)" >&2
	exit 1
fi
if [ ! -d "$kdir" ]; then
	echo "build-dahdi: kernel headers $kdir missing: install linux-headers-amd64 (make deps)" >&2
	exit 1
fi
if [ -f "$stamp" ] && [ "$stamp" -nt "$tarball" ] && [ "$stamp" -nt "$kdir/Makefile" ] &&
	[ "$stamp" -nt "$0" ]; then
	exit 0
fi

rm -rf "$out" "$out.tmp"
mkdir -p "$out.tmp"
tar -xjf "$tarball" -C "$out.tmp"
mv "$out.tmp/modules/dahdi" "$out"
rm -rf "$out.tmp"
# dahdi_dummy is the rig's timing source; Debian ships its Kbuild line commented out.
sed -i 's/^#\(obj-$(DAHDI_BUILD_ALL)$(CONFIG_DAHDI_DUMMY)\)/\1/' "$out/drivers/dahdi/Kbuild"
grep -q '^obj-$(DAHDI_BUILD_ALL)$(CONFIG_DAHDI_DUMMY)' "$out/drivers/dahdi/Kbuild" || {
	echo "build-dahdi: could not enable dahdi_dummy in drivers/dahdi/Kbuild" >&2
	exit 1
}
echo "  DAHDI   $out (for $(basename "$(dirname "$kdir")"))"
# dahdi_echocan_mg2: DAHDI's own software echo canceller, for the rig's echocan test (the
# oslec one needs the kernel's staging echo module, which Debian does not build).
# Debian's DAHDI is not our code and warns on gcc 12: keep its output in a log, show it on error.
log=$out/build.log
if ! make -s -C "$kdir" M="$out/drivers/dahdi" DAHDI_INCLUDE="$out/include" \
	CONFIG_DAHDI=m CONFIG_DAHDI_DUMMY=m CONFIG_DAHDI_DYNAMIC=m \
	CONFIG_DAHDI_DYNAMIC_LOC=m CONFIG_DAHDI_ECHOCAN_MG2=m DAHDI_BUILD_ALL= modules >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	echo "build-dahdi: DAHDI failed to build; full log: $log" >&2
	exit 1
fi
for m in dahdi dahdi_dummy dahdi_dynamic dahdi_dynamic_loc; do
	[ -f "$out/drivers/dahdi/$m.ko" ] || {
		echo "build-dahdi: $m.ko was not built" >&2
		exit 1
	}
done
