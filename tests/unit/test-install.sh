#!/bin/sh
# test-install: the admin integration of issue 6, checked statically (KTAP).
# make install/uninstall into a temporary DESTDIR, man pages, the systemd unit
# (verify, security score, syscall filter against what safelined really
# calls), bash completion, udev rules (udevadm test in a private mount
# namespace), dkms.conf and the DAHDI symvers generator. Each check has a
# control that shows it can fail. No systemd boot, DKMS run or real DAHDI
# uevent here: the rig covers those.
# Usage: test-install.sh --repo DIR --build DIR
set -u

while [ $# -gt 0 ]; do
	case $1 in
	--repo) repo=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	*) echo "usage: $0 --repo DIR --build DIR" >&2; exit 2 ;;
	esac
done
: "${repo:?--repo missing}" "${build:?--build missing}"
cd "$repo" || exit 1
# a make that runs us must not hand its flags to the makes we run
unset MAKEFLAGS MFLAGS MAKELEVEL
# modinfo, modprobe, depmod live in sbin, which a user's PATH may lack
PATH=$PATH:/usr/sbin:/sbin

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
safectl=$build/safectl
safelined=$build/safelined
version=$(sed -n 's/^#define SAFELINE_VERSION "\(.*\)"/\1/p' kernel/version.h)
root=false
[ "$(id -u)" = 0 ] && root=true

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
diag() { sed 's/^/# /'; }
# check DESC CMD...: ok when CMD succeeds
check() {
	d=$1
	shift
	if "$@" > "$tmp/out" 2>&1; then ok "$d"; else diag < "$tmp/out"; fail "$d"; fi
}

echo "KTAP version 1"
echo "1..23"

# --- make install / uninstall ---------------------------------------------

dest=$tmp/dest
if make -s --no-print-directory install DESTDIR="$dest" > "$tmp/install.log" 2>&1; then
	ok "install: make install DESTDIR= succeeds"
else
	tail -n 20 "$tmp/install.log" | diag
	fail "install: make install DESTDIR= succeeds"
fi

make -s --no-print-directory print-installed-files 2>/dev/null | sort > "$tmp/expected"
kver=$(sed -n 's|^/lib/modules/\([^/]*\)/updates/safeline.ko$|\1|p' "$tmp/expected")

# exactly the listed files, programs 0755, the rest 0644, directories 0755
(cd "$dest" 2>/dev/null && find . -type f | sed 's|^\.||' | sort) > "$tmp/got"
bad_modes=$(cd "$dest" 2>/dev/null && find . \( -type f -path '*bin/*' ! -perm 0755 \) -o \
	\( -type f ! -path '*bin/*' ! -perm 0644 \) -o \( -type d ! -perm 0755 \) | head -n5)
if [ -s "$tmp/expected" ] && cmp -s "$tmp/expected" "$tmp/got" && [ -z "$bad_modes" ] &&
	[ -d "$dest/etc/safeline" ]; then
	ok "install: exactly the $(wc -l < "$tmp/got") expected files, with their modes"
else
	diff "$tmp/expected" "$tmp/got" | diag
	echo "modes: $bad_modes" | diag
	fail "install: exactly the expected files, with their modes"
fi

unit=$dest/usr/local/lib/systemd/system/safelined.service
if grep -qx 'ExecStart=/usr/local/sbin/safelined' "$unit" 2>/dev/null &&
	grep -qx 'ExecStart=/usr/local/bin/safectl reload' \
		"$dest/usr/local/lib/systemd/system/safeline-reapply.service" &&
	! grep -q '@S\?BINDIR@' "$dest/usr/local/lib/systemd/system/"*.service; then
	ok "install: unit files name the installed programs"
else
	fail "install: unit files name the installed programs"
fi

# PREFIX moves everything, and the texts that name paths follow
dest2=$tmp/dest2
if make -s --no-print-directory install-data PREFIX=/usr DESTDIR="$dest2" > "$tmp/log2" 2>&1 &&
	[ -x "$dest2/usr/bin/safectl" ] && [ -f "$dest2/usr/lib/udev/rules.d/60-safeline.rules" ] &&
	grep -qx 'ExecStart=/usr/sbin/safelined' "$dest2/usr/lib/systemd/system/safelined.service" &&
	grep -q '^\.I /usr/lib/modules\\-load.d/safeline.conf' "$dest2/usr/share/man/man7/safeline.7" &&
	! grep -rq /usr/local "$dest2/usr/share/man" "$dest2/usr/lib"; then
	ok "install: PREFIX=/usr puts files and the paths they name under /usr"
else
	diag < "$tmp/log2"
	fail "install: PREFIX=/usr puts files and the paths they name under /usr"
fi

before=$(find "$dest" -type f | wc -l)
make -s --no-print-directory uninstall DESTDIR="$dest" > "$tmp/log3" 2>&1
after=$(find "$dest" -type f | wc -l)
if [ "$before" -gt 0 ] && [ "$after" -eq 0 ] && [ ! -d "$dest/usr/local/share/doc/safeline" ]; then
	ok "uninstall: removes all $before files"
else
	find "$dest" -type f | diag
	fail "uninstall: removes all files ($after of $before left)"
fi

# The live path (no DESTDIR): sysusers, depmod, then uninstall, all inside a
# private mount namespace whose /etc, /usr/local and /lib/modules are overlays
# on a temporary directory, so the host is never touched.
if ! $root || ! command -v unshare > /dev/null; then
	skip "install: live install and uninstall" "needs root for a private mount namespace"
else
	cat > "$tmp/live.sh" <<'EOF'
set -e
t=$1 kver=$2
for d in /etc /usr/local /lib/modules; do
	n=$(echo "$d" | tr / _)
	mkdir -p "$t/$n/u" "$t/$n/w"
	mount -t overlay overlay -o "lowerdir=$d,upperdir=$t/$n/u,workdir=$t/$n/w" "$d"
done
make -s --no-print-directory install > "$t/live-install.log" 2>&1
getent group safeline-admin > /dev/null && getent group safeline-view > /dev/null && echo groups
modinfo -k "$kver" -n safeline | grep -qx "/lib/modules/$kver/updates/safeline.ko" && echo depmod
[ -x /usr/local/sbin/safelined ] && echo files
echo '# the admin wrote this' > /etc/safeline/safeline.conf
make -s --no-print-directory uninstall > "$t/live-uninstall.log" 2>&1
modinfo -k "$kver" -n safeline > /dev/null 2>&1 || echo unindexed
[ ! -e /usr/local/sbin/safelined ] && [ ! -e /usr/local/bin/safectl ] &&
	[ ! -e /usr/local/lib/systemd/system/safelined.service ] &&
	echo removed
[ -f /etc/safeline/safeline.conf ] && getent group safeline-admin > /dev/null && echo kept
EOF
	mkdir -p "$tmp/live"
	got=$(unshare -m sh "$tmp/live.sh" "$tmp/live" "$kver" 2> "$tmp/live.err" | tr '\n' ' ')
	if [ "$got" = "groups depmod files unindexed removed kept " ]; then
		ok "install: live install makes the groups and runs depmod; uninstall undoes it, keeps config and groups"
	else
		echo "got: $got" | diag
		cat "$tmp/live.err" "$tmp/live/live-install.log" "$tmp/live/live-uninstall.log" 2>/dev/null |
			tail -n 20 | diag
		fail "install: live install and uninstall"
	fi
fi

# the DKMS source tree: kernel sources and the build scripts, nothing generated
dest3=$tmp/dest3
src=$dest3/usr/src/safeline-$version
make -s --no-print-directory install-dkms-source DESTDIR="$dest3" > "$tmp/log4" 2>&1
generated=$(find "$src" -name '*.o' -o -name '*.ko' -o -name '*.mod.c' -o -name '.*.cmd' 2>/dev/null)
if [ -f "$src/dkms.conf" ] && [ -f "$src/Kbuild" ] && [ -f "$src/kernel/Kbuild" ] &&
	[ -f "$src/kernel/main.c" ] && [ -f "$src/kernel/uapi/linux/safeline.h" ] &&
	[ -f "$src/scripts/dkms-build.sh" ] && [ -z "$generated" ]; then
	make -s --no-print-directory uninstall-dkms DESTDIR="$dest3" > /dev/null 2>&1
	if [ -d "$src" ]; then fail "dkms: uninstall-dkms removes $src"; else
		ok "dkms: install-dkms-source lays out the kernel sources; uninstall removes them"; fi
else
	diag < "$tmp/log4"
	echo "generated: $generated" | diag
	fail "dkms: install-dkms-source lays out the kernel sources"
fi

# --- man pages --------------------------------------------------------------

# renders DESC PAGE: groff -ww and man -l both silent on stderr
renders() {
	groff -man -z -ww "$1" > "$tmp/groff" 2>&1 && [ ! -s "$tmp/groff" ] &&
		MANWIDTH=80 man -l "$1" 2> "$tmp/groff" > "$tmp/rendered" &&
		[ ! -s "$tmp/groff" ] && [ -s "$tmp/rendered" ]
}
printf '.TH X 1\n.SH NAME\nx \\- y\n.XX nonsense\n' > "$tmp/broken.1"
if renders "$tmp/broken.1"; then
	fail "man: control: a page with an unknown macro is caught"
else
	ok "man: control: a page with an unknown macro is caught"
fi
for page in agent/man/safectl.8 agent/man/safelined.8 agent/man/safeline.conf.5 \
	agent/man/safeline.7; do
	if renders "$page" && grep -q '^\.SH "\?EXIT STATUS' "$page" && grep -q '^\.SH FILES' "$page" &&
		grep -q "^\.TH .* \"SafeLine $version\"" "$page"; then
		ok "man: ${page##*/} renders without warnings, has EXIT STATUS and FILES, says $version"
	else
		diag < "$tmp/groff"
		fail "man: ${page##*/} renders without warnings, has EXIT STATUS and FILES, says $version"
	fi
done

# every command `safectl help` lists is a .B/.BR item of safectl(8)'s COMMANDS
commands=$("$safectl" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }
	on && /^$/ { exit }')
sed -n '/^\.SH COMMANDS/,/^\.SH [A-Z]/p' agent/man/safectl.8 > "$tmp/cmdsec"
documented() { grep -Eq "^\.BR? \"?$1( |\"|$)" "$tmp/cmdsec"; }
missing=""
for c in $commands; do documented "$c" || missing="$missing $c"; done
if [ -n "$commands" ] && [ -z "$missing" ] && ! documented no-such-command; then
	ok "man: safectl.8 documents all $(echo $commands | wc -w) commands of 'safectl help'"
else
	fail "man: safectl.8 misses:${missing:- (no commands parsed)}"
fi

# every option safelined --help lists, every setting of the example config
opts=$("$safelined" --help | grep -o -- '--[a-z-]*' | sort -u)
missing=""
for o in $opts; do
	grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" agent/man/safelined.8 || missing="$missing $o"
done
settings=$(sed -n 's/^ *\([a-z_]*\) = .*/\1/p' etc/safeline.conf.example | sort -u)
for s in $settings; do grep -q "\.$s\b\|^\.SS $s$\|^\.BR\? $s\b" agent/man/safeline.conf.5 ||
	missing="$missing conf:$s"; done
if [ -n "$opts" ] && [ -n "$settings" ] && [ -z "$missing" ]; then
	ok "man: safelined.8 has its $(echo $opts | wc -w) options, safeline.conf.5 the example's settings"
else
	fail "man: missing:$missing"
fi

# --- systemd ----------------------------------------------------------------

units=$tmp/units/usr/local
mkdir -p "$tmp/units"
make -s --no-print-directory install-data DESTDIR="$tmp/units" > /dev/null 2>&1
# verify runs with our /usr/local over the real one, so ExecStart= and the man pages resolve
verify() {
	unshare -m sh -c "mount --bind '$units' /usr/local && systemd-analyze verify $*"
}
if ! $root || ! command -v unshare > /dev/null; then
	skip "systemd: systemd-analyze verify" "needs root for a private mount namespace"
else
	sed 's/^Type=notify/Type=notifyy/' "$units/lib/systemd/system/safelined.service" \
		> "$units/lib/systemd/system/broken.service"
	if verify /usr/local/lib/systemd/system/broken.service > "$tmp/verify" 2>&1 &&
		[ ! -s "$tmp/verify" ]; then
		fail "systemd: control: verify catches Type=notifyy"
	elif verify /usr/local/lib/systemd/system/safelined.service \
		/usr/local/lib/systemd/system/safelined.socket \
		/usr/local/lib/systemd/system/safeline-reapply.service > "$tmp/verify" 2>&1 &&
		[ ! -s "$tmp/verify" ]; then
		ok "systemd: safelined.service, .socket and safeline-reapply.service pass systemd-analyze verify"
	else
		diag < "$tmp/verify"
		fail "systemd: systemd-analyze verify"
	fi
	rm -f "$units/lib/systemd/system/broken.service"
fi

exposure() {
	systemd-analyze security --offline=true "$1" 2>/dev/null |
		sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p'
}
score=$(exposure "$units/lib/systemd/system/safelined.service")
printf '[Service]\nType=notify\nExecStart=/usr/local/sbin/safelined\n' > "$tmp/safelined.service"
bare=$(exposure "$tmp/safelined.service")
echo "# systemd-analyze security --offline=true: hardened $score, unhardened control $bare"
if [ -n "$score" ] && [ -n "$bare" ] && awk "BEGIN { exit !($score <= 1.5 && $bare > 1.5) }"; then
	ok "systemd: security exposure $score <= 1.5 (unhardened control: $bare)"
else
	fail "systemd: security exposure ${score:-?} <= 1.5 (unhardened control: ${bare:-?})"
fi

# SystemCallFilter= must allow every syscall safelined makes: trace it through
# start, control requests, SIGHUP and SIGTERM, and compare with the filter.
expand() {
	for g; do
		systemd-analyze syscall-filter "$g" | sed '1d; s/^ *//; /^#/d; /^$/d' |
		while read -r x; do case $x in @*) expand "$x" ;; *) echo "$x" ;; esac; done
	done
}
# outside FILTER TRACE: syscalls in TRACE the unit's filter would refuse
outside() {
	sed -n 's/^[0-9]\{1,\} \{1,\}\([a-z0-9_]\{1,\}\)(.*/\1/p' "$2" | sort -u | comm -23 - "$1"
}
if ! command -v strace > /dev/null; then
	skip "systemd: SystemCallFilter= allows what safelined calls" "no strace"
else
	allow=$(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' systemd/safelined.service.in)
	deny=$(sed -n 's/^SystemCallFilter=~\(.*\)/\1/p' systemd/safelined.service.in)
	expand $allow | sort -u > "$tmp/allow"
	expand $deny | sort -u > "$tmp/deny"
	comm -23 "$tmp/allow" "$tmp/deny" > "$tmp/filter"
	store=$(mktemp -d /dev/shm/test-install-XXXXXX)
	# our own group is the admin group, so the admin requests work without root too
	printf 'store = { path = "%s/store"; };\ncontrol = { socket = "%s/sock"; };\n%s\n' \
		"$store" "$tmp" "access = { admin = $(id -g); };" > "$tmp/agent.conf"
	# JOURNAL_STREAM: audit lines take their journal path (sd_journal_send), as under systemd
	JOURNAL_STREAM=0:0 strace -f -qq -o "$tmp/trace" "$safelined" -c "$tmp/agent.conf" \
		2> "$tmp/agent.log" &
	tracer=$!
	i=0
	while [ ! -S "$tmp/sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	agent=$(pgrep -P "$tracer" | head -n1)
	for req in report calls wipe reload; do
		SAFELINE_SOCKET=$tmp/sock "$safectl" $req > /dev/null 2>&1 || echo "safectl $req failed" >> "$tmp/agent.log"
	done
	[ -n "$agent" ] && kill -HUP "$agent" && sleep 0.3 && kill -TERM "$agent"
	wait "$tracer"
	rm -rf "$store"
	echo '4242 chown("/x", 0, 0) = 0' > "$tmp/fake-trace"
	used=$(outside /dev/null "$tmp/trace" | wc -l)
	refused=$(outside "$tmp/filter" "$tmp/trace")
	if [ "$(outside "$tmp/filter" "$tmp/fake-trace")" != chown ]; then
		fail "systemd: control: the filter check flags chown (in @privileged)"
	elif [ -z "$agent" ] || [ "$used" -lt 20 ] || ! grep -q 'Reloaded' "$tmp/agent.log" ||
		! grep -q 'Stopped' "$tmp/agent.log" || grep -q 'failed' "$tmp/agent.log"; then
		diag < "$tmp/agent.log"
		fail "systemd: SystemCallFilter= check: the traced agent did not run its course"
	elif [ -n "$refused" ]; then
		echo "refused: $refused" | diag
		fail "systemd: SystemCallFilter= allows the $used syscalls safelined made"
	else
		ok "systemd: SystemCallFilter= allows the $used syscalls safelined made (control: chown flagged)"
	fi
fi

# --- bash completion --------------------------------------------------------

. tests/unit/completion.sh
got=$(complete_line "$safectl" "" | tr '\n' ' ')
want=$(echo $commands | tr '\n' ' ')
if [ -n "$commands" ] && [ "$(echo $got)" = "$(echo $want)" ] &&
	[ "$(complete_line "$safectl" ch)" = channels ] &&
	[ "$(complete_line "$safectl" filter --law "" | tr '\n' ' ')" = "ulaw alaw s16 " ]; then
	ok "completion: loads and completes the $(echo $commands | wc -w) subcommands and options"
else
	echo "got: $got; want: $want" | diag
	fail "completion: loads and completes subcommands and options"
fi

# live channel numbers come from `safectl -j channels`: a stand-in safectl with
# two random channels, and the real one (no module here, or whatever it sees)
a=$(( $(od -An -N2 -tu2 /dev/urandom) % 400 + 1 ))
b=$((a + 1 + $(od -An -N1 -tu1 /dev/urandom) % 50))
cat > "$tmp/safectl" <<EOF
#!/bin/sh
[ "\$1 \$2" = "-j channels" ] && echo '[{"channel":$a,"span":1},
 {"channel":$b,"span":2}]' && exit 0
exec "$safectl" "\$@"
EOF
chmod +x "$tmp/safectl"
fake=$(complete_line "$tmp/safectl" channels "" | tr '\n' ' ')
fake_set=$(complete_line "$tmp/safectl" policy set "" | tr '\n' ' ')
real=$(complete_line "$safectl" channels "" | tr '\n' ' ')
real_want="all $("$safectl" -j channels 2>/dev/null | grep -o '"channel":[0-9]*' | cut -d: -f2 |
	tr '\n' ' ')"
if [ "$fake" = "all $a $b " ] && [ "$fake_set" = "default $a $b " ] &&
	[ "$(echo $real)" = "$(echo $real_want)" ]; then
	ok "completion: channels and policy set take live numbers from 'safectl -j channels'"
else
	echo "stand-in: '$fake' / '$fake_set' want 'all|default $a $b'; real: '$real' want '$real_want'" |
		diag
	fail "completion: channel numbers come live from 'safectl -j channels'"
fi

# --- udev -------------------------------------------------------------------

# udevadm test reads only the system rule directories: run it with ours bound
# over /etc/udev/rules.d in a private mount namespace. No DAHDI here, so two
# loaded modules stand in for dahdi and safeline.
udev_test() {	# ACTION DEVPATH
	unshare -m sh -c "mount --bind '$tmp/rules' /etc/udev/rules.d &&
		udevadm test --action=$1 $2" 2>&1
}
mods=$(ls /sys/module 2>/dev/null | grep -vx 'dahdi\|safeline' | head -n2)
m1=$(echo "$mods" | sed -n 1p)
m2=$(echo "$mods" | sed -n 2p)
if ! $root || [ -z "$m2" ] || ! command -v unshare > /dev/null; then
	skip "udev: 60-safeline.rules" "needs root, unshare and two entries in /sys/module"
else
	mkdir -p "$tmp/rules"
	sed -e "s/KERNEL==\"dahdi\"/KERNEL==\"$m1\"/" -e "s/KERNEL==\"safeline\"/KERNEL==\"$m2\"/" \
		udev/60-safeline.rules > "$tmp/rules/60-safeline.rules"
	udev_test add "/sys/module/$m1" > "$tmp/u1"
	udev_test add "/sys/module/$m2" > "$tmp/u2"
	udev_test remove "/sys/module/$m1" > "$tmp/u3"
	last=$(printf '%s\n' 60-dahdi-linux.rules 60-dahdi.rules 60-safeline.rules | LC_ALL=C sort | tail -n1)
	if grep -q '60-safeline.rules.*\(nvalid\|rror\|nknown\)' "$tmp/u1"; then
		grep 60-safeline "$tmp/u1" | diag
		fail "udev: 60-safeline.rules parses cleanly"
	elif grep -q "run: 'kmod load safeline'" "$tmp/u1" && grep -q 'SYSTEMD_WANTS=safelined.service' "$tmp/u2" &&
		grep -q 'TAGS=.*:systemd:' "$tmp/u2" && ! grep -q "kmod load safeline" "$tmp/u3" &&
		[ "$last" = 60-safeline.rules ]; then
		ok "udev: dahdi add loads safeline, safeline add wants safelined.service, remove does nothing"
	else
		grep -i 'safeline\|SYSTEMD\|TAGS\|run:' "$tmp/u1" "$tmp/u2" "$tmp/u3" | diag
		fail "udev: dahdi add loads safeline, safeline add wants safelined.service, remove does nothing"
	fi
fi

# --- DKMS -------------------------------------------------------------------

# dkms.conf sourced as dkms does (bash, its variables set), with and without dahdi-dkms
dkms_conf() {	# DKMS_TREE
	bash -c 'kernelver=6.1.0-99-amd64 kernel_source_dir=/x dkms_tree=$1; . ./dkms.conf
		echo "$PACKAGE_NAME $PACKAGE_VERSION ${BUILT_MODULE_NAME[0]} ${BUILT_MODULE_LOCATION[0]}" \
			"$AUTOINSTALL deps=${BUILD_DEPENDS[*]}"; echo "$MAKE"' bash "$1"
}
mkdir -p "$tmp/dkms-with/dahdi" "$tmp/dkms-without"
with=$(dkms_conf "$tmp/dkms-with" | head -n1)
without=$(dkms_conf "$tmp/dkms-without")
if [ "$with" = "safeline $version safeline kernel/ yes deps=dahdi" ] &&
	[ "$(echo "$without" | head -n1)" = "safeline $version safeline kernel/ yes deps=" ] &&
	echo "$without" | grep -q "dkms-build.sh '6.1.0-99-amd64' '/x'"; then
	ok "dkms: dkms.conf gives safeline $version, kernel/safeline.ko, BUILD_DEPENDS only with dahdi-dkms"
else
	printf '%s\n%s\n' "$with" "$without" | diag
	fail "dkms: dkms.conf"
fi

dahdi=$(ls -d "$build"/dahdi-*/drivers/dahdi 2>/dev/null | tail -n1)
if [ -z "$dahdi" ] || [ ! -f "$dahdi/Module.symvers" ]; then
	skip "dkms: dahdi-symvers.sh matches kbuild's Module.symvers" "DAHDI not built (make dahdi)"
	skip "dkms: dkms-build.sh builds safeline.ko against a bare dahdi.ko" "DAHDI not built"
else
	awk -F'\t' '$3 ~ /\/dahdi$/ { print $1, $2, $4 }' "$dahdi/Module.symvers" | sort -k2 > "$tmp/ref"
	sh scripts/dahdi-symvers.sh "$dahdi/dahdi.ko" | awk -F'\t' '{ print $1, $2, $4 }' |
		sort -k2 > "$tmp/gen"
	sh scripts/dahdi-symvers.sh "$dahdi/dahdi_dynamic.ko" > "$tmp/other"
	if [ -s "$tmp/ref" ] && cmp -s "$tmp/ref" "$tmp/gen" && ! cmp -s "$tmp/ref" "$tmp/other"; then
		ok "dkms: dahdi-symvers.sh gives kbuild's $(wc -l < "$tmp/ref") dahdi CRCs (control: dahdi_dynamic.ko differs)"
	else
		diff "$tmp/ref" "$tmp/gen" | head -n 10 | diag
		fail "dkms: dahdi-symvers.sh matches kbuild's Module.symvers"
	fi

	# build as DKMS would, in a copy of the installed source tree, with only
	# headers and a dahdi.ko; the module must carry kbuild's CRCs for dahdi
	make -s --no-print-directory install-dkms-source DESTDIR="$tmp/d4" > /dev/null 2>&1
	cp -a "$tmp/d4/usr/src/safeline-$version" "$tmp/dkms-build"
	if (cd "$tmp/dkms-build" && DAHDI_INCLUDE="$dahdi/../../include" DAHDI_KO="$dahdi/dahdi.ko" \
		sh scripts/dkms-build.sh "$kver" "/lib/modules/$kver/build") > "$tmp/dkms.log" 2>&1 &&
		[ -f "$tmp/dkms-build/kernel/safeline.ko" ] && ! grep -q 'WARNING\|undefined' "$tmp/dkms.log"; then
		modprobe --dump-modversions "$tmp/dkms-build/kernel/safeline.ko" |
			awk '{ print $2, $1 }' | sort > "$tmp/versions"
		awk '{ print $2, $1 }' "$tmp/ref" | sort > "$tmp/refv"
		common=$(join "$tmp/versions" "$tmp/refv" | wc -l)
		wrong=$(join "$tmp/versions" "$tmp/refv" | awk '$2 != $3' | wc -l)
		if [ "$common" -gt 0 ] && [ "$wrong" -eq 0 ]; then
			ok "dkms: dkms-build.sh builds safeline.ko with the right CRCs for its $common dahdi symbols"
		else
			fail "dkms: dkms-build.sh: $wrong of $common dahdi CRCs wrong"
		fi
	else
		tail -n 20 "$tmp/dkms.log" | diag
		fail "dkms: dkms-build.sh builds safeline.ko against a bare dahdi.ko"
	fi
fi

[ "$n" -eq 23 ] || echo "# planned 23, ran $n"
[ "$failed" -eq 0 ] && exit 0
exit 1
