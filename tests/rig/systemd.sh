#!/bin/bash
# SafeLine installed as an admin would (make install PREFIX=/usr), under systemd as PID 1:
# udev, systemd and the agent's control socket together. Runs only in systemd mode
# (run.sh --systemd, implied by this name: docs/rig.md, "systemd mode").
#
#   guest.sh modprobes dahdi* --uevent--> udev 60-safeline.rules --kmod--> safeline.ko
#                                                 |  module add: SYSTEMD_WANTS
#   safelined.socket (/run/safeline.sock) ---fd--> safelined.service (Type=notify, watchdog)
#        ^  connect                                       ^ SO_PEERCRED: groups
#   safectl as rigadmin (safeline-admin) / rigother (no group)
#
# Baseline first: before DAHDI appeared (guest.sh's before-dahdi snapshot) neither DAHDI nor
# safeline.ko was loaded and safelined.service was inactive, so both are udev's doing.
. "$RIG_LIB"

if [ "$RIG_SYSTEMD" != 1 ] || [ ! -d /run/systemd/system ]; then
	ktap_skip_all "needs systemd as PID 1: tests/rig/run.sh --systemd"
fi
ktap_plan 16

unit=safelined.service
before=/run/rig/before-dahdi
prop() { systemctl show -p "$2" --value "$1"; }
as() { local who=$1; shift; setpriv --reuid="$who" --regid="$who" --init-groups "$@"; }


# 1. baseline: what the guest looked like just before guest.sh loaded DAHDI
ktap_diag "before DAHDI: $(xargs <"$before" 2>/dev/null)"
grep -qx safeline_loaded=0 "$before" && grep -qx dahdi_loaded=0 "$before" &&
	grep -qx safelined_ActiveState=inactive "$before" &&
	grep -qx socket_ActiveState=active "$before"
ktap_result $? "baseline: before DAHDI, no dahdi or safeline.ko, safelined inactive, socket up"

# 2. nobody else loads it here: RIG_SAFELINE=0 and modules-load.d/safeline.conf masked
[ "$RIG_SAFELINE" = 0 ] && rig_wait_for 20 test -d /sys/module/safeline
ktap_result $? "udev loaded safeline.ko when DAHDI appeared"

# 3. udev's SYSTEMD_WANTS started the agent; READY=1 makes it active, STATUS= the text
connected() {
	[ "$(prop $unit ActiveState)" = active ] &&
		prop $unit StatusText | grep -q '^Connected to safeline.ko'
}
rig_wait_for 30 connected
rc=$?
ktap_diag "$unit: $(prop $unit ActiveState)/$(prop $unit SubState), \"$(prop $unit StatusText)\""
[ $rc = 0 ] || ktap_diag "$(journalctl -q -b -u $unit -o cat | tail -n 15)"
ktap_result $rc "systemd started safelined (udev's SYSTEMD_WANTS) and it reached READY, connected"

# 4. User=safelined: not root, and CAP_NET_ADMIN (bit 12) is its only effective capability
pid=$(prop $unit MainPID)
ids=$(awk '/^Uid:|^CapEff:/ { printf "%s %s ", $1, $2 }' /proc/"$pid"/status 2>&1)
ktap_diag "safelined $pid: $ids"
echo "$ids" | grep -q 'CapEff: 0000000000001000' &&
	echo "$ids" | grep -q "Uid: $(id -u safelined) "
ktap_result $? "the agent runs as user safelined holding only CAP_NET_ADMIN"

# 5. the agent listens on systemd's socket: both hold /run/safeline.sock
holders=$(ss -xlpn 2>&1 | grep ' /run/safeline.sock ')
ktap_diag "listening: $(echo "$holders" | grep -o 'users:.*')"
echo "$holders" | grep -q '"safelined"' && echo "$holders" | grep -q '"systemd"' &&
	[ "$(prop safelined.socket ActiveState)" = active ]
ktap_result $? "socket activation: safelined serves the socket systemd holds"

# 6-10. authorisation by SO_PEERCRED groups: admin may, a user in no group may not.
# `safectl status` shows the module (netlink, open to all, like lsmod) and then the agent's
# own status, which the agent refuses to users in neither group: exit 1. The raw request is
# asked for directly on the socket too.
ctl_request() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect("/run/safeline.sock")
s.sendall(sys.argv[1].encode() + b"\n"); print(s.recv(200).decode().split("\n")[0])' "$1"
}
ktap_diag "rigadmin: $(id rigadmin 2>&1); rigother: $(id rigother 2>&1)"
admin_status() {
	local out
	out=$(as rigadmin safectl status) || return 1
	echo "$out" | grep '^agent'
	echo "$out" | grep -qx 'agent: running'
}
ktap_check "safectl status works for rigadmin (safeline-admin), with the agent section" \
	admin_status
ktap_check "safectl report works for rigadmin (safeline-admin)" as rigadmin safectl report
admin=$(as rigadmin bash -c "$(declare -f ctl_request); ctl_request status" 2>&1)
other=$(as rigother bash -c "$(declare -f ctl_request); ctl_request status" 2>&1)
ktap_diag "control socket 'status': rigadmin \"$admin\", rigother \"$other\""
[ "$admin" = ok ] && [ "$other" = "error permission denied" ]
ktap_result $? "the agent's status request: answered for rigadmin, refused for rigother (no group)"
out=$(as rigother safectl report 2>&1)
rc=$?
[ $rc != 0 ] && echo "$out" | grep -qi 'permission denied'
ktap_result $? "safectl report is refused for rigother (no group): exit $rc"
out=$(as rigother safectl status 2>&1 >/dev/null)
rc=$?
ktap_diag "safectl status as rigother: exit $rc: $out"
[ $rc = 1 ] && echo "$out" | grep -qx 'safectl: status: agent: permission denied'
ktap_result $? "safectl status is refused for rigother (no group): exit 1, agent: permission denied"

# 11-12. SIGKILL: Restart=on-failure brings a new agent up on the same socket
restarted() {
	[ "$(prop $unit ActiveState)" = active ] && [ "$(prop $unit MainPID)" != 0 ] &&
		[ "$(prop $unit MainPID)" != "$1" ] && [ "$(prop $unit NRestarts)" -gt "$2" ]
}
sock_inode=$(stat -c %i /run/safeline.sock)
pid=$(prop $unit MainPID) n=$(prop $unit NRestarts)
kill -KILL "$pid"
rig_wait_for 20 restarted "$pid" "$n"
rc=$?
ktap_diag "after SIGKILL of $pid: MainPID $(prop $unit MainPID)," \
	"NRestarts $n -> $(prop $unit NRestarts)"
ktap_result $rc "SIGKILL of the agent: systemd restarts it (new MainPID, active)"
rig_wait_for 10 connected && [ "$(stat -c %i /run/safeline.sock)" = "$sock_inode" ] &&
	as rigadmin safectl status >/dev/null
ktap_result $? "the restarted agent serves the same socket file (systemd kept it) and safectl works"

# 13-14. the watchdog, shortened to 3 s for the test: alive agents ping, a stopped one dies
mkdir -p /run/systemd/system/$unit.d
printf '[Service]\nWatchdogSec=3s\nTimeoutAbortSec=5s\n' \
	>/run/systemd/system/$unit.d/rig-watchdog.conf
systemctl daemon-reload && systemctl restart $unit && rig_wait_for 20 connected
pid=$(prop $unit MainPID) n=$(prop $unit NRestarts)
sleep 7
ktap_diag "WatchdogUSec=$(prop $unit WatchdogUSec); 7 s later MainPID $pid -> $(prop $unit MainPID)"
[ "$(prop $unit WatchdogUSec)" = 3s ] && [ "$(prop $unit MainPID)" = "$pid" ] &&
	[ "$(prop $unit NRestarts)" = "$n" ]
ktap_result $? "control: with WatchdogSec=3s a running agent pings and stays up 7 s"

since=$(date '+%Y-%m-%d %H:%M:%S')
kill -STOP "$pid"
rig_wait_for 30 restarted "$pid" "$n"
rc=$?
timeouts=$(journalctl -q --since "$since" -u $unit -o cat | grep -c 'Watchdog timeout')
ktap_diag "after SIGSTOP: MainPID $(prop $unit MainPID), NRestarts $n ->" \
	"$(prop $unit NRestarts), \"Watchdog timeout\" x$timeouts"
[ $rc = 0 ] && [ "$timeouts" -ge 1 ]
ktap_result $? "a hung agent (SIGSTOP): the watchdog fires and systemd restarts it"
rm -rf /run/systemd/system/$unit.d
systemctl daemon-reload

# 15. on demand: with the agent stopped, a request on systemd's socket starts it
# systemctl warns that the socket can still activate it: that is the point
systemctl stop $unit 2>/dev/null
stopped=$(prop $unit ActiveState)
out=$(as rigadmin safectl report 2>&1)
rc=$?
ktap_diag "stopped: $stopped; safectl report: exit $rc; then $unit $(prop $unit ActiveState)"
[ "$stopped" = inactive ] && [ $rc = 0 ] && [ "$(prop $unit ActiveState)" = active ]
ktap_result $? "socket activation: a safectl request starts a stopped agent and is answered"

# 16. no number-like digits in what safelined wrote to the journal: versions, the protocol
# number, audit uids and the count of channels a policy push set are the only digits it may
# log. Control: the same filter flags a random digit string (made and checked in memory,
# never printed).
numbers() { sed -E 's/uid=[0-9]+//g; s/[0-9]+ channels set//g; s/[0-9]+\.[0-9]+\.[0-9]+//g' |
	grep -cE '[0-9]{2,}'; }
lines=$(journalctl -q -b _SYSTEMD_UNIT=$unit -o cat)
control=$(printf 'audit: uid=0 action=status result=ok %s\n' "$(shuf -i 1000000-9999999 -n 1)" |
	numbers)
ktap_diag "safelined logged $(echo "$lines" | grep -c .) journal lines, among them:" \
	"$(echo "$lines" | grep -E -m 3 'Subscribed|Applied policy|Cannot join' | tr '\n' ' ')"
[ "$control" = 1 ] && [ "$(echo "$lines" | grep -c .)" -gt 0 ] &&
	[ "$(echo "$lines" | numbers)" = 0 ]
ktap_result $? "no number-like digits in safelined's journal (control: a digit string is flagged)"

ktap_finish
