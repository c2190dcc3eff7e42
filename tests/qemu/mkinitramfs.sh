#!/bin/sh
# Build the rig's busybox initramfs: static busybox, tests/qemu/init and the modules that
# mount the host root over virtio-9p with an overlay on top. Stage 2 runs from the host root,
# so nothing else goes in here and the image changes only when these inputs do.
# Usage: mkinitramfs.sh KVER OUT.cpio   (rebuilt only when its inputs' hash changes)
set -eu

kver=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
busybox=${RIG_BUSYBOX:-/bin/busybox}
# Order matters: each module needs the ones before it (rig.md).
mods="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
netfs fscache 9pnet 9pnet_virtio 9p overlay"

paths=""
for m in $mods; do
	p=$(modinfo -k "$kver" -n "$m" 2>/dev/null) || {
		echo "mkinitramfs: module $m not found for $kver: install linux-image-$kver" >&2
		exit 1
	}
	paths="$paths $p"
done

# shellcheck disable=SC2086
key=$(cat "$busybox" "$here/init" "$0" $paths | sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/lib/modules"
cp "$busybox" "$tmp/bin/busybox"
ln -s busybox "$tmp/bin/sh"
cp "$here/init" "$tmp/init"
chmod 755 "$tmp/init"
for p in $paths; do
	m=$(basename "$p")
	case $m in
	*.ko) cp "$p" "$tmp/lib/modules/$m" ;;
	*.ko.xz) xz -dc "$p" >"$tmp/lib/modules/${m%.xz}" ;;
	*.ko.zst) zstd -qdc "$p" >"$tmp/lib/modules/${m%.zst}" ;;
	*.ko.gz) gzip -dc "$p" >"$tmp/lib/modules/${m%.gz}" ;;
	*) echo "mkinitramfs: cannot handle $p" >&2; exit 1 ;;
	esac
done
echo $mods >"$tmp/lib/modules/order"

mkdir -p "$(dirname "$out")"
(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$key" >"$out.key"
echo "  INITRD  $out"
