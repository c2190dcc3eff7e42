#!/bin/bash
# SafeLine rig, systemd mode (run.sh --systemd): prepares the overlay before stage 1
# switch_roots into it with the host's systemd as PID 1. Runs chrooted in the overlay.
# Installs what `make install DESTDIR=... PREFIX=/usr` laid out on the host
# (/run/rig/sysroot), lays the staged modules over the kernel's so udev finds
# safeline.ko, adds test users, masks what is slow or irrelevant in a guest, and
# has safeline-rig.service run guest.sh (DAHDI, tests, poweroff) once the system is up.
set -eu
OUT=/run/rig
. "$OUT/rig.conf"
log() { echo "rig: systemd prep: $*"; }

# the staged modules over the kernel's, before udev starts: as guest.sh does
stage=$RIG_MODULES/lib/modules/$KVER mods=/lib/modules/$KVER
mkdir -p /run/modules/upper /run/modules/work
mount -t overlay -o "lowerdir=$stage:$mods,upperdir=/run/modules/upper" \
	-o workdir=/run/modules/work rigmodules "$mods"

cp -a "$OUT/sysroot/." /
# the host's fstab names the host's disks: systemd would wait 90 s for them
: >/etc/fstab
# systemd-tmpfiles empties /tmp at boot (tmp.conf's D line): spare a checkout living there
case $SAFELINE_ROOT in
/tmp/*) mkdir -p /etc/tmpfiles.d && ln -sfn /dev/null /etc/tmpfiles.d/tmp.conf ;;
esac

mkdir -p /etc/safeline
cat >/etc/safeline/safeline.conf <<-CONF
	# written by tests/qemu/systemd-prep.sh
	access = { admin = "safeline-admin"; view = "safeline-view"; };
CONF

# the groups from our sysusers.d, and two test users: one admin, one in no group
mkdir -p /etc/sysusers.d
cat >/etc/sysusers.d/rig-users.conf <<-CONF
	u rigadmin - "rig test user, safeline-admin" /nonexistent
	m rigadmin safeline-admin
	u rigother - "rig test user, no SafeLine group" /nonexistent
CONF
systemd-sysusers >/dev/null

units=/etc/systemd/system
mask() { for u; do ln -sfn /dev/null "$units/$u"; done; }
# no logins, network, timers, databases or journal on disk in a test guest
mask getty@tty1.service serial-getty@ttyS0.service console-getty.service getty.target \
	timers.target remote-fs.target postgresql.service e2scrub_reap.service \
	systemd-timesyncd.service systemd-pstore.service systemd-logind.service \
	systemd-journal-flush.service systemd-update-utmp.service \
	systemd-update-utmp-runlevel.service networking.service systemd-networkd.service \
	ssh.service cron.service rsyslog.service apt-daily.service apt-daily-upgrade.service \
	systemd-random-seed.service systemd-binfmt.service
# the test proves udev loads safeline.ko when DAHDI appears, so neither at boot: guest.sh
# loads DAHDI (with auto_assign_spans=1, which Debian's dahdi-linux.conf would not give)
mkdir -p /etc/modules-load.d
ln -sfn /dev/null /etc/modules-load.d/safeline.conf
ln -sfn /dev/null /etc/modules-load.d/dahdi-linux.conf

# the socket as `systemctl enable` would; the service is left to udev's SYSTEMD_WANTS
mkdir -p "$units/sockets.target.wants" "$units/multi-user.target.wants"
ln -sfn /usr/lib/systemd/system/safelined.socket "$units/sockets.target.wants/"
ln -sfn /lib/systemd/system/multi-user.target "$units/default.target"

cat >"$units/safeline-rig.service" <<-UNIT
	[Unit]
	Description=SafeLine rig: DAHDI, the tests, poweroff
	After=multi-user.target

	[Service]
	Type=simple
	Environment=PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb LANG=C.UTF-8
	ExecStart=/bin/bash $SAFELINE_ROOT/tests/qemu/guest.sh
	StandardOutput=journal+console
	StandardError=journal+console
UNIT
ln -sfn "$units/safeline-rig.service" "$units/multi-user.target.wants/"
log "done at $(cut -d' ' -f1 /proc/uptime) s"
