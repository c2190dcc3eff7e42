#!/bin/sh
# Stage the guest's extra modules: OUT/lib/modules/KVER/{updates/*.ko, modules.*} with the
# depmod tables computed here on the host. depmod in the guest reads every module of the
# kernel over 9p under TCG and takes ~36 s; here it takes under a second. The guest lays the
# result over its /lib/modules/KVER so modprobe (and genetlink autoload) find them.
# Usage: mkmodules.sh KVER OUT KO...   (redone only when a module or the kernel's tree changes)
set -eu

kver=$1
out=$2
shift 2
dir=$out/lib/modules/$kver
sys=/lib/modules/$kver

key=$( (cat "$0" "$@" "$sys/modules.order" "$sys/modules.builtin"; echo "$*") | sha256sum)
if [ -f "$dir/modules.dep" ] && [ "$(cat "$out/key" 2>/dev/null)" = "$key" ]; then
	exit 0
fi

rm -rf "$out"
mkdir -p "$dir/updates"
ln -s "$sys/kernel" "$dir/kernel"
cp "$sys/modules.order" "$sys/modules.builtin" "$sys/modules.builtin.modinfo" "$dir/"
cp "$@" "$dir/updates/"
# debug info is most of their size and the guest reads them over 9p; symbols stay
strip --strip-debug "$dir"/updates/*.ko
depmod -b "$out" "$kver"
rm "$dir/kernel"
echo "$key" >"$out/key"
