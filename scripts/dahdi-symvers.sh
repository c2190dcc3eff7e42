#!/bin/sh
# Print a Module.symvers for the symbols a built dahdi.ko (.ko, .ko.xz/.gz/.zst)
# exports, with their CRCs, so modules can be built against it without its
# build tree. Usage: dahdi-symvers.sh DAHDI_KO
set -eu

ko=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case "$ko" in
*.xz) xz -dc "$ko" > "$tmp/m.ko" ;;
*.gz) gzip -dc "$ko" > "$tmp/m.ko" ;;
*.zst) zstd -qdc "$ko" > "$tmp/m.ko" ;;
*) cp "$ko" "$tmp/m.ko" ;;
esac
# the CRC table (CONFIG_MODVERSIONS); __crc_<sym> is each symbol's offset in it
objcopy -O binary --only-section=__kcrctab "$tmp/m.ko" "$tmp/crc" 2>/dev/null || : > "$tmp/crc"
objdump -t "$tmp/m.ko" > "$tmp/syms"

awk '$NF ~ /^__ksymtab_/ && ($(NF-2) == "__ksymtab" || $(NF-2) == "__ksymtab_gpl") {
	print substr($NF, 11), ($(NF-2) == "__ksymtab_gpl" ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL")
}' "$tmp/syms" | sort |
while read -r name type; do
	off=$(awk -v s="__crc_$name" '$NF == s { print $1 }' "$tmp/syms")
	crc=00000000
	if [ -n "$off" ] && [ -s "$tmp/crc" ]; then
		crc=$(od -An -tx4 -j "$((0x$off))" -N4 "$tmp/crc" | tr -d ' ')
	fi
	printf '0x%s\t%s\tdahdi\t%s\t\n' "$crc" "$name" "$type"
done
