#!/bin/bash
# safeline.ko's first contract: it depends on DAHDI, the "safeline" genetlink family loads it
# on first lookup, GET_STATUS tells the truth (version, protocol, DAHDI's span assignment),
# requests are validated strictly with extack messages, and it unloads cleanly.
#
#   safectl / safelined / raw netlink (python)
#        |  CTRL_CMD_GETFAMILY "safeline"  --(not loaded)-->  request_module ->  modprobe
#        v                                                                      |
#   genetlink family "safeline" v1  <---------------- safeline.ko  -- depends --> dahdi.ko
#        GET_STATUS -> version, protocol,                   (holders/safeline)   auto_assign_spans
#                      dahdi_auto_assign  <------------ dahdi_get_auto_assign_spans() --'
#
# No channel is touched: the rig's spans are up, but this test only talks to the module.
# Baseline first: DAHDI up and safeline.ko NOT loaded, so the first status must load it.
. "$RIG_LIB"

rig_require_safeline
ktap_plan 20

safectl=$BUILD/safectl
safelined=$BUILD/safelined
header=$SAFELINE_ROOT/kernel/uapi/linux/safeline.h
auto_assign=/sys/module/dahdi/parameters/auto_assign_spans
loads=0	# how many times safeline.ko was loaded here: dmesg must say so that often

# --safeline preloads the module for every test; this one needs it unloaded to start
preloaded=0
if [ -d /sys/module/safeline ]; then
	preloaded=1
	rmmod safeline || ktap_diag "cannot unload the preloaded safeline.ko"
fi
rig_dmesg_mark status

# Python: raw generic netlink, to send what safectl never would. Prints "ERRNO EXTACK".
genl_probe() {
	python3 - "$1" <<-'EOF'
	import socket, struct, sys
	SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
	NLMSG_ERROR, REQ_ACK, ACK_TLVS = 2, 0x1 | 0x4, 0x200
	def attr(t, p):
	    return struct.pack('HH', 4 + len(p), t) + p + b'\0' * (-len(p) % 4)
	def attrs(b):
	    while len(b) >= 4:
	        n, t = struct.unpack_from('HH', b)
	        if n < 4:
	            return
	        yield t & 0x3fff, b[4:n]
	        b = b[(n + 3) & ~3:]
	def request(s, family, cmd, payload):
	    body = struct.pack('BBH', cmd, 1, 0) + payload
	    s.send(struct.pack('IHHII', 16 + len(body), family, REQ_ACK, 1, 0) + body)
	    replies = []
	    while True:
	        data = s.recv(65536)
	        while data:
	            n, typ, flags = struct.unpack_from('IHH', data)
	            body = data[16:n]
	            if typ == NLMSG_ERROR:
	                err = struct.unpack_from('i', body)[0]
	                text = ''
	                if flags & ACK_TLVS:
	                    for t, p in attrs(body[20:]):
	                        if t == 1:
	                            text = p.rstrip(b'\0').decode()
	                return err, text, replies
	            replies.append(body)
	            data = data[(n + 3) & ~3:]
	s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
	s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
	s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
	err, text, replies = request(s, 0x10, 3, attr(2, b'safeline\0'))   # CTRL_CMD_GETFAMILY
	if err or not replies:
	    sys.exit('family lookup failed: %d %s' % (err, text))
	family = dict(attrs(replies[0][4:]))[1]                            # CTRL_ATTR_FAMILY_ID
	family = struct.unpack('H', family[:2])[0]
	extra = {'plain': b'',
	         'reply-attr': attr(1, b'0.1\0'),                          # STATUS_A_VERSION
	         'unknown-attr': attr(200, struct.pack('I', 1))}[sys.argv[1]]
	err, text, replies = request(s, family, 1, extra)                  # CMD_GET_STATUS
	print(err, len(replies), text)
	EOF
}

# Python: run safelined with NOTIFY_SOCKET, wait for READY=1, SIGTERM it. Prints what it saw.
safelined_probe() {
	python3 - "$safelined" <<-'EOF'
	import os, signal, socket, subprocess, sys, tempfile
	path = os.path.join(tempfile.mkdtemp(), 'notify')
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind(path)
	s.settimeout(0.5)
	p = subprocess.Popen([sys.argv[1]], env=dict(os.environ, NOTIFY_SOCKET=path),
	                     stderr=subprocess.PIPE, text=True)
	ready = status = ''
	for _ in range(120):        # 60 s, or until READY=1, or until it exits
	    try:
	        for line in s.recv(4096).decode().split('\n'):
	            ready += line + ' ' if line.startswith('READY=') else ''
	            status = line[7:] if line.startswith('STATUS=') else status
	    except socket.timeout:
	        pass
	    if 'READY=1' in ready or p.poll() is not None:
	        break
	p.send_signal(signal.SIGTERM)
	try:
	    rc = p.wait(timeout=60)
	except subprocess.TimeoutExpired:
	    p.kill()
	    rc = 'killed'
	print('ready=%s rc=%s' % ('READY=1' in ready, rc))
	print('status=' + status)
	print('stderr=' + p.stderr.read().replace('\n', ' | '))
	EOF
}

modinfo_version=$(modinfo -F version safeline 2>&1)
header_protocol=$(awk '$1 == "#define" && $2 == "SAFELINE_GENL_VERSION" { print $3 }' "$header")

# 1: baseline
baseline() {
	[ -d /sys/module/dahdi ] || { echo "dahdi is not loaded"; return 1; }
	[ ! -d /sys/module/safeline ] || { echo "safeline is already loaded"; return 1; }
	[ -x "$safectl" ] && [ -x "$safelined" ] || { echo "$safectl or $safelined missing"; return 1; }
}
ktap_check "baseline: dahdi loaded, safeline not loaded, tools built" baseline

# 2-3: what modprobe and the genetlink autoload rely on
depends_on_dahdi() {
	local deps
	deps=$(modinfo -F depends safeline) || return 1
	echo "depends: $deps"
	echo ",$deps," | grep -q ',dahdi,'
}
ktap_check "modinfo: safeline depends on dahdi" depends_on_dahdi
has_alias() {
	modinfo -F alias safeline
	modinfo -F alias safeline | grep -qx 'net-pf-16-proto-16-family-safeline'
}
ktap_check "modinfo: alias net-pf-16-proto-16-family-safeline (genetlink autoload)" has_alias

# 4-7: the first status loads the module and reports it
out=$("$safectl" status 2>"$RIG_ARTIFACTS/status.err")
rc=$?
[ -z "$out" ] || ktap_diag "$out"
[ ! -s "$RIG_ARTIFACTS/status.err" ] || ktap_diag "$(cat "$RIG_ARTIFACTS/status.err")"
[ $rc -eq 0 ] && [ -d /sys/module/safeline ]
ktap_result $? "status: exit 0 and safeline.ko was autoloaded by the family lookup"
# the rest is about the module, not autoload: load it by hand if autoload failed
autoload_diag() {
	local helper
	helper=$(cat /proc/sys/kernel/modprobe)
	ktap_diag "kernel's modprobe helper: $helper (in PID 1's root, where the kernel runs it: $(ls -l \
		"/proc/1/root$helper" 2>&1)); modprobe by hand follows"
	modprobe safeline || ktap_diag "modprobe safeline failed too"
}
[ -d /sys/module/safeline ] || autoload_diag
[ -d /sys/module/safeline ] && loads=$((loads + 1))
out=$("$safectl" status 2>>"$RIG_ARTIFACTS/status.err")

field() { echo "$out" | sed -n "s/^$1: //p"; }
sys_version=$(cat /sys/module/safeline/version 2>/dev/null)
ktap_diag "status version '$(field version)', modinfo '$modinfo_version', sysfs '$sys_version'"
[ -n "$modinfo_version" ] && [ "$(field version)" = "$modinfo_version" ] &&
	[ "$sys_version" = "$modinfo_version" ]
ktap_result $? "status: version equals modinfo's and /sys/module/safeline/version"

ktap_diag "status protocol '$(field protocol)', header SAFELINE_GENL_VERSION '$header_protocol'"
[ -n "$header_protocol" ] && [ "$(field protocol)" = "$header_protocol" ]
ktap_result $? "status: protocol equals SAFELINE_GENL_VERSION of the uapi header"

json_ok() {
	local json
	json=$("$safectl" -j status) || return 1
	echo "$json"
	echo "$json" | python3 -m json.tool >/dev/null || return 1
	"$safectl" -j -p status | python3 -m json.tool >/dev/null || return 1
	[ "$(echo "$json" | python3 -c 'import json, sys; d = json.load(sys.stdin)
print(d["version"], d["protocol"], d["dahdi_auto_assign_spans"])')" = \
		"$modinfo_version $header_protocol True" ]
}
ktap_check "status -j (and -j -p): valid JSON with the same version and protocol" json_ok

# 8-9: dahdi_auto_assign comes from DAHDI now, not from a constant: flip DAHDI's parameter
assign_was=$(cat "$auto_assign")
ktap_diag "dahdi auto_assign_spans=$assign_was; status says '$(field "dahdi auto-assign spans")'"
[ "$assign_was" = 1 ] && [ "$(field "dahdi auto-assign spans")" = yes ]
ktap_result $? "status: reports DAHDI's auto_assign_spans=1 (the rig's setting) as yes"
echo 0 >"$auto_assign"
flipped=$("$safectl" status | sed -n 's/^dahdi auto-assign spans: //p')
echo "$assign_was" >"$auto_assign"
ktap_diag "after auto_assign_spans=0: '$flipped'; restored to $(cat "$auto_assign")"
[ "$flipped" = no ] && [ "$(cat "$auto_assign")" = "$assign_was" ]
ktap_result $? "status: follows auto_assign_spans=0 live (control), parameter restored"

# 10: usage errors are not operation failures
bad=$("$safectl" frobnicate 2>&1 >/dev/null)
rc=$?
ktap_diag "exit $rc: $bad"
[ $rc -eq 2 ] && [[ $bad == "safectl: unknown command 'frobnicate'"* ]]
ktap_result $? "usage: unknown subcommand exits 2 with a message on stderr"

# 11-13: strict validation, seen from a client safectl is not
probe=$(genl_probe plain 2>&1)
ktap_diag "no attributes: $probe"
[ "$probe" = "0 1 " ]
ktap_result $? "netlink: GET_STATUS without attributes is answered (baseline)"
probe=$(genl_probe reply-attr 2>&1)
ktap_diag "with SAFELINE_STATUS_A_VERSION: $probe"
[ "$probe" = "-22 0 SAFELINE_STATUS_A_VERSION is a reply attribute" ]
ktap_result $? "netlink: a reply attribute in the request -> EINVAL, extack names it"
probe=$(genl_probe unknown-attr 2>&1)
ktap_diag "with attribute 200: $probe"
[[ $probe == "-22 0 "?* ]]
ktap_result $? "netlink: an attribute beyond the policy -> EINVAL with a message (strict)"

# 14-15: the dependency is real: DAHDI cannot go while safeline uses it
ktap_diag "lsmod: $(lsmod | awk '$1 == "dahdi"')"
[ -e /sys/module/dahdi/holders/safeline ]
ktap_result $? "dahdi: held by safeline (/sys/module/dahdi/holders/safeline)"
out_rm=$(modprobe -r dahdi 2>&1)
rc=$?
ktap_diag "modprobe -r dahdi: exit $rc: $out_rm"
[ $rc -ne 0 ] && [ -d /sys/module/dahdi ] && [ -d /sys/module/safeline ]
ktap_result $? "dahdi: modprobe -r dahdi refused while safeline is loaded; both stay"

# 16: safelined's seed: connects, tells systemd, stops on SIGTERM
probe=$(safelined_probe 2>&1)
ktap_diag "$probe"
want="Connected to safeline.ko $modinfo_version, protocol $header_protocol"
echo "$probe" | grep -qx 'ready=True rc=0' && echo "$probe" | grep -qx "status=$want" &&
	echo "$probe" | grep -q "stderr=.*$want"
ktap_result $? "safelined: READY=1 with STATUS naming the module version, exit 0 on SIGTERM"

# 17-19: unload, and the family lookup loads it again
out_rm=$(rmmod safeline 2>&1)
rc=$?
ktap_diag "rmmod safeline: exit $rc $out_rm"
[ $rc -eq 0 ] && [ ! -d /sys/module/safeline ]
ktap_result $? "rmmod: safeline unloads"
[ ! -e /sys/module/dahdi/holders/safeline ] && [ -d /sys/module/dahdi ]
ktap_result $? "dahdi: no longer held after rmmod, still loaded (control)"
out=$("$safectl" status 2>&1)
rc=$?
ktap_diag "$out"
[ $rc -eq 0 ] && [ -d /sys/module/safeline ] && [ "$(field version)" = "$modinfo_version" ]
ktap_result $? "status: autoloads safeline.ko again after rmmod"
[ -d /sys/module/safeline ] && loads=$((loads + 1))

# leave the rig as the runner set it up
if [ $preloaded = 0 ]; then
	rmmod safeline 2>/dev/null
elif [ ! -d /sys/module/safeline ]; then
	modprobe safeline && loads=$((loads + 1))
fi

# 20: the kernel log: one line per load (pr_fmt at work), nothing alarming
dmesg_ok() {
	local log want n
	log=$(rig_dmesg_since status)
	echo "$log" | grep -i -e safeline -e dahdi
	want="safeline: SafeLine $modinfo_version loaded"
	n=$(echo "$log" | grep -c "$want")
	echo "'$want' $n times for $loads loads"
	[ "$n" -eq "$loads" ] && [ "$loads" -ge 1 ] || return 1
	! echo "$log" | grep -E 'BUG|WARNING|Oops|Call Trace|safeline.*(error|fail)'
}
ktap_check "dmesg: one load line per load, no BUG/WARNING/Oops/errors" dmesg_ok

ktap_finish
