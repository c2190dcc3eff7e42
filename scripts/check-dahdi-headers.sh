#!/bin/sh
# Compile check of safeline.ko against another DAHDI's headers (e.g. upstream dahdi-linux 3.x):
# builds every object of the module, and links it, against the kernel headers in KDIR with
# DAHDI_DIR/include instead of the DAHDI in build/. Without DAHDI_DIR's Module.symvers (a
# headers-only tree) DAHDI's symbols are left unresolved as warnings (KBUILD_MODPOST_WARN=1):
# this proves the code compiles, not that the module loads. Not part of `make check` (it needs
# a DAHDI tree from elsewhere; nothing is downloaded here). The build happens in a temporary
# copy of kernel/, so the tree's objects are untouched.
# Usage: scripts/check-dahdi-headers.sh DAHDI_DIR   (KDIR, KVER as in the top Makefile)
set -eu

dahdi=${1:?usage: check-dahdi-headers.sh DAHDI_DIR (a tree with include/dahdi/kernel.h)}
root=$(cd "$(dirname "$0")/.." && pwd)
KVER=${KVER:-$(ls -1 /lib/modules 2>/dev/null | grep -- '-amd64$' | sort -V | tail -n1)}
KDIR=${KDIR:-/lib/modules/$KVER/build}
dahdi=$(cd "$dahdi" && pwd)

[ -f "$dahdi/include/dahdi/kernel.h" ] || { echo "check-dahdi-headers: $dahdi/include/dahdi/kernel.h missing" >&2; exit 2; }
[ -d "$KDIR" ] || { echo "check-dahdi-headers: no kernel headers in $KDIR (KDIR)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/kernel" "$tmp/"
find "$tmp/kernel" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod*' \) -delete
symvers=$(ls "$dahdi/drivers/dahdi/Module.symvers" 2>/dev/null || true)
version=$(cd "$dahdi" && git describe --tags 2>/dev/null || echo unknown)

echo "check-dahdi-headers: safeline.ko against $dahdi/include ($version), kernel $KVER"
make -C "$KDIR" M="$tmp/kernel" DAHDI_INCLUDE="$dahdi/include" CONFIG_DEBUG_INFO_BTF_MODULES= \
	W=1 KBUILD_EXTRA_SYMBOLS="$symvers" KBUILD_MODPOST_WARN=$([ -n "$symvers" ] && echo 0 || echo 1) \
	modules >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; echo "check-dahdi-headers: FAILED" >&2; exit 1; }
# the objects must have been compiled against DAHDI_DIR's kernel.h, not another on the path
grep -q "$dahdi/include/dahdi/kernel.h" "$tmp/kernel/.chan.o.cmd" ||
	{ echo "check-dahdi-headers: chan.o did not use $dahdi/include/dahdi/kernel.h" >&2; exit 1; }
warnings=$(grep -E 'warning:' "$tmp/build.log" | grep -v 'undefined!' || true)
undefined=$(grep -c 'undefined!' "$tmp/build.log" || true)
[ -z "$warnings" ] || { echo "$warnings"; echo "check-dahdi-headers: compiler warnings" >&2; exit 1; }
echo "check-dahdi-headers: OK: $(ls "$tmp/kernel"/*.o "$tmp/kernel"/dsp/*.o | wc -l) objects, no warnings (W=1);" \
	"$undefined DAHDI symbols unresolved$([ -n "$symvers" ] || echo ' (no Module.symvers: expected)')"
