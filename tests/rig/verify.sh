#!/bin/bash
# The verify policy (docs/verify.md): FXO ports 42-47 are verification lines. The carrier
# side (linesim) calls them with one of our own numbers presented, with the number withheld
# and with a number that is not ours; the kernel must count exactly OURS, WITHHELD and
# NOT_OURS per call, across Bell 202 SDMF/MDMF, V.23 (on-hook and DT-AS) and DTMF, both
# laws and two levels, while the PBX side decodes no digit on any verification line.
# safelined hashes the own number under a fresh key, loads the table and the policy, and
# turns the verdicts into its record: an alert-priority log line and STATUS= for OURS (the
# rig has no systemd: JOURNAL_STREAM names the agent's log file, so it writes journal
# priority prefixes there, and a datagram socket here receives its sd_notify messages), `safectl status` exit 3, a record that survives an agent
# restart, an overdue warning. Malformed SET_VERIFY requests are refused with the attribute
# named and change nothing; verify is refused on FXS ports and as the default.
#
#   carrier (linesim)          safeline.ko (verify = suppress + check)      PBX (linesim)
#   fxoks 17 --pass, CID-->    fxsks 41 pass (baseline: PBX decodes)   -->  decodes
#   fxoks 18..20 --CID A-law-> fxsks 42..44 verify                     -->  decodes nothing
#   fxoks 21..23 --CID u-law-> fxsks 45..47 verify                     -->  decodes nothing
# (one line per class and law: a round calls all six at once, the laws in parallel)
#
# The own number is synthetic (NPA-555-01XX, fictitious by NANP convention), made here at
# random, kept in a 0600 file under /run and never printed; the test checks at the end that
# neither it nor its last 7 digits appear in dmesg, the journal or any artifact.
. "$RIG_LIB"

rig_require_safeline
ktap_plan 58

safectl=$BUILD/safectl
linesim=$BUILD/linesim
hdr=$SAFELINE_ROOT/kernel/uapi/linux/safeline.h
STANDARDS="bell202-sdmf bell202-mdmf v23 v23-dtas dtmf"
work=/run/rig-verify
agent_log=$RIG_ARTIFACTS/safelined.log
notify_log=$RIG_ARTIFACTS/sd-notify.log
own=$work/own-number
conf=$work/safeline.conf
export SAFELINE_SOCKET=$work/ctl.sock

t0=$(rig_uptime_cs)

# genl ACTION ARGS: the kernel's side over a raw generic netlink socket (tests/rig/genl.py)
#   verdicts CH...   "withheld not_ours ours" counters of each channel, one line each
#   hashes           SAFELINE_STATUS_A_VERIFY_HASHES
#   policy CH        the channel's policy number
#   malformed FXS    bad SET_VERIFY and SET_POLICY(verify) requests: refused, named
#   listen FILE      join "events", append "channo result standard" per VERIFY event to FILE
GENL=/tmp/verify-genl.py
rig_genl_py $GENL <<'PYTHON'
C, S = enum('safeline_channel_attr'), enum('safeline_status_attr')
V, P, E = enum('safeline_verify_attr'), enum('safeline_policy_attr'), enum('safeline_event_attr')
POL, EV = enum('safeline_policy'), enum('safeline_event_type')
act = sys.argv[2]

def hashes():
    return struct.unpack('I', ask(fam, CMD['SAFELINE_CMD_GET_STATUS'], 0)[2][0]
                         [S['SAFELINE_STATUS_A_VERIFY_HASHES']])[0]

def channel(ch):
    err, msg, m = ask(fam, CMD['SAFELINE_CMD_GET_CHANNEL'], 0,
                      attr(C['SAFELINE_CHANNEL_A_CHANNO'], u32(ch)))
    if err:
        sys.exit('GET_CHANNEL %d: errno %d %s' % (ch, err, msg))
    return m[0]

if act == 'verdicts':
    for ch in sys.argv[3:]:
        m = channel(int(ch))
        print(*(struct.unpack('Q', m[C['SAFELINE_CHANNEL_A_VERIFY_' + k]])[0]
                for k in ('WITHHELD', 'NOT_OURS', 'OURS')))
elif act == 'hashes':
    print(hashes())
elif act == 'policy':
    print(channel(int(sys.argv[3]))[C['SAFELINE_CHANNEL_A_POLICY']][0])
elif act == 'malformed':
    fxs = int(sys.argv[3])
    a = lambda name, data: attr(V['SAFELINE_VERIFY_A_' + name], data)
    key, one = b'\x11' * 16, b'\x22' * 8
    before = hashes()
    cases = [  # what, command, request, errno, text the extack must hold ('' kernel's own)
        ('key of 15 bytes', 'SET_VERIFY', a('KEY', key[:15]) + a('HASHES', one), 22,
         'SAFELINE_VERIFY_A_KEY'),
        ('key of 17 bytes', 'SET_VERIFY', a('KEY', key + b'x') + a('HASHES', one), 22,
         'SAFELINE_VERIFY_A_KEY'),
        ('no key', 'SET_VERIFY', a('HASHES', one), 22, 'SAFELINE_VERIFY_A_KEY'),
        ('no hashes', 'SET_VERIFY', a('KEY', key), 22, 'SAFELINE_VERIFY_A_HASHES'),
        ('hashes of 12 bytes', 'SET_VERIFY', a('KEY', key) + a('HASHES', one + b'1234'), 22,
         'SAFELINE_VERIFY_A_HASHES'),
        ('17 hashes', 'SET_VERIFY', a('KEY', key) + a('HASHES', one * 17), 22,
         'SAFELINE_VERIFY_A_HASHES'),
        ('suffix 33', 'SET_VERIFY', a('KEY', key) + a('HASHES', one) + a('SUFFIX_DIGITS', u8(33)),
         22, 'SAFELINE_VERIFY_A_SUFFIX_DIGITS'),
        ('count in a request', 'SET_VERIFY', a('KEY', key) + a('HASHES', one) + a('COUNT', u32(1)),
         22, 'SAFELINE_VERIFY_A_COUNT'),
        ('unknown attribute', 'SET_VERIFY', a('KEY', key) + a('HASHES', one) + attr(60, one), 22, ''),
        ('verify on an FXS port', 'SET_POLICY', attr(P['SAFELINE_POLICY_A_CHANNO'], u32(fxs)) +
         attr(P['SAFELINE_POLICY_A_POLICY'], u8(POL['SAFELINE_POLICY_VERIFY'])), 95, 'FXO-port'),
        ('verify as the default', 'SET_POLICY', attr(P['SAFELINE_POLICY_A_DEFAULT'], b'') +
         attr(P['SAFELINE_POLICY_A_POLICY'], u8(POL['SAFELINE_POLICY_VERIFY'])), 95, 'verify'),
    ]
    bad = 0
    for what, cmd, req, want_err, want in cases:
        err, msg, _ = ask(fam, CMD['SAFELINE_CMD_' + cmd], 0, req)
        ok = err == want_err and want in msg and msg != ''
        bad += not ok
        print('%s: errno %d, extack "%s"%s' % (what, err, msg, '' if ok else '  <- wrong'))
    after = hashes()
    print('hashes loaded: %d before, %d after' % (before, after))
    sys.exit(bad != 0 or before != after)
elif act == 'listen':
    try:
        s = subscribe('events', 1 << 20)
    except KeyError:
        print('no events group')
        sys.exit(4)
    print('listening')
    sys.stdout.flush()
    with open(sys.argv[3], 'a') as out:
        while True:
            for cmd, m, _ in messages(s.recv(65536)):
                if m.get(E['SAFELINE_EVENT_A_TYPE'], b'\0')[0] == EV['SAFELINE_EVENT_VERIFY']:
                    out.write('%d %d %d\n' % (struct.unpack('I', m[E['SAFELINE_EVENT_A_CHANNO']])[0],
                              m[E['SAFELINE_EVENT_A_VERIFY_RESULT']][0],
                              m[E['SAFELINE_EVENT_A_VERIFY_STANDARD']][0]))
                    out.flush()
PYTHON
genl() { python3 "$GENL" "$hdr" "$@"; }

read -r fxs17 fxo17 < <(rig_pair 17)
read -r fxs18 fxo18 < <(rig_pair 18)
read -r fxs19 fxo19 < <(rig_pair 19)
read -r fxs20 fxo20 < <(rig_pair 20)
read -r fxs21 fxo21 < <(rig_pair 21)
read -r fxs22 fxo22 < <(rig_pair 22)
read -r fxs23 fxo23 < <(rig_pair 23)
notours=$fxo21 ours=$fxo22 withheld=$fxo23	# one verification line per class (u-law)
notours_a=$fxo18 ours_a=$fxo19 withheld_a=$fxo20	# and for the A-law calls

# 1: the module, a private working directory on tmpfs, a synthetic own number
rig_dmesg_mark verify
setup() {
	[ -d /sys/module/safeline ] || rig_load_safeline || return 1
	[ "$fxs17:$fxo17 $fxs23:$fxo23" = "17:41 23:47" ] || { echo "pairs: $RIG_PAIRS"; return 1; }
	[ -x "$linesim" ] && [ -x "$safectl" ] && [ -x "$BUILD/safelined" ] || return 1
	rm -rf "$work" && mkdir -m 0700 -p "$work" || return 1
	[ "$(stat -f -c %T "$work")" = tmpfs ] || { echo "$work is not on tmpfs"; return 1; }
	# NPA 200-999, exchange 555, line 0100-0199: reserved for fictional use
	(umask 077; printf '%d5550%03d\n' $((200 + RANDOM % 800)) $((100 + RANDOM % 100)) >"$own")
	echo 1500 >/sys/module/safeline/parameters/verify_gap_ms || return 1	# calls 3 s apart
	"$safectl" policy set "$fxs17-$fxs23" pass >/dev/null &&	# senders untouched
		"$safectl" policy set "$fxo17" pass >/dev/null &&
		"$safectl" policy set "$fxo18-$fxo23" suppress >/dev/null || return 1
	echo "verify_gap_ms $gap_before -> 1500; FXS $fxs17-$fxs23 and FXO $fxo17 pass"
}
gap_before=$(cat /sys/module/safeline/parameters/verify_gap_ms 2>/dev/null || echo 8000)
ktap_say "setup: safeline.ko loaded, $work on tmpfs, a synthetic own number" setup

# 2: baseline: without SafeLine in the way (pass) the PBX decodes exactly that number, so
# the calls below do carry it; a number from --number-file is what linesim sends
rig_calls baseline 2 --dir in --pairs 17 --calls 1 --number-file "$own" \
	--expect decode --min-percent 100 --std bell202-sdmf --law ulaw --and --std dtmf --law alaw
ktap_result $? "baseline: the PBX decodes the own number on a pass channel (2 standards)"

# 5: the agent: own number in international form (suffix rule)
# the agent enforces its policy: it must keep the rig's carrier side passing, as setup did
cat >"$conf" <<CONF
policy = {
	default = "suppress";
	channels = ( { channels = "$fxs17-$fxs23"; policy = "pass"; },
		     { channels = "$fxo17"; policy = "pass"; } );
};
store = { path = "$work/store"; };
control = { socket = "$SAFELINE_SOCKET"; };
verify = {
	channels = "$fxo18-$fxo23";
	own_numbers = ( "+1 $(cut -c1-3 "$own") $(cut -c4-6 "$own") $(cut -c7- "$own")" );
	suffix_digits = 10;
	interval = "35d";
};
CONF
chmod 0600 "$conf"
events=$work/events
: >"$events"
listen_out=$(mktemp)
python3 "$GENL" "$hdr" listen "$events" >"$listen_out" 2>&1 &
listener=$!
python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as out:
    while True:
        out.write(s.recv(4096).decode(errors="replace").replace("\n", " ") + "\n")
        out.flush()' "$work/notify" "$notify_log" </dev/null >/dev/null 2>&1 &
notifier=$!
policies() { local c; for c in $(seq "$fxo18" "$fxo23"); do genl policy "$c"; done | xargs; }
agent_ready() { [ "$(genl hashes)" = 1 ] && [ "$(policies)" = "4 4 4 4 4 4" ]; }
start_agent() {
	: >>"$agent_log"
	JOURNAL_STREAM=$(stat -c '%d:%i' "$agent_log") NOTIFY_SOCKET=$work/notify \
		"$BUILD/safelined" -c "$conf" </dev/null >/dev/null 2>>"$agent_log" &
	agent_pid=$!
	rig_wait_for 20 agent_ready
}
stop_agent() { kill "$agent_pid" 2>/dev/null; wait "$agent_pid" 2>/dev/null; }
start_agent
rc=$?
ktap_diag "hashes loaded: $(genl hashes); policies of $fxo18-$fxo23: $(policies) (verify = 4)"
[ $rc = 0 ] || ktap_diag "$(tail -n 5 "$agent_log")"
ktap_result $rc "safelined loads 1 hash and sets policy verify on $fxo18-$fxo23"

# 5: malformed requests change nothing; verify only on FXO ports
ktap_say "malformed SET_VERIFY refused (EINVAL, attribute named), verify refused on an FXS port and as default (EOPNOTSUPP)" \
	genl malformed "$fxs21"

# 6: only CAP_NET_ADMIN may load a table
eperm() {
	local out
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups python3 -c '
import os, struct, sys
sys.path.insert(0, os.path.join(os.environ["SAFELINE_ROOT"], "tests/rig"))
from genl import attr, ask, enums, family
e = enums(sys.argv[1])
V = e("safeline_verify_attr")
print(ask(family(), e("safeline_cmd")["SAFELINE_CMD_SET_VERIFY"], 0,
          attr(V["SAFELINE_VERIFY_A_KEY"], bytes(16)) + attr(V["SAFELINE_VERIFY_A_HASHES"], b""))[0])' "$hdr")
	echo "SET_VERIFY as uid 65534: errno $out; hashes loaded: $(genl hashes)"
	[ "$out" = 1 ] && [ "$(genl hashes)" = 1 ]
}
ktap_say "unprivileged SET_VERIFY: EPERM, table unchanged" eperm

# every standard, both laws, two levels: six calls at once, one per verification line
# (a random number, the own number, the own number withheld; u-law at 0 dB on 45-47, A-law at
# -12 dB on 42-44); the PBX decodes no digit on any
LINES="$notours $ours $withheld $notours_a $ours_a $withheld_a"
wait_verdicts() {	# BEFORE: until the lines counted one more verdict each, at most 10 s
	local end=$((SECONDS + 10)) now
	while [ $SECONDS -lt $end ]; do
		now=$(genl verdicts $LINES | xargs)
		[ "$(total "$now")" -ge $(($(total "$1") + 6)) ] && break
		sleep 0.5
	done
}
total() { local s=0 x; for x in $1; do s=$((s + x)); done; echo $s; }
delta() {	# BEFORE AFTER: the counters' differences
	local -a b=($1) a=($2) d=()
	local i
	for i in "${!a[@]}"; do d+=($((a[i] - b[i]))); done
	echo "${d[*]}"
}
for std in $STANDARDS; do
	before=$(genl verdicts $LINES | xargs)
	# --and copies the job before: order them so that only "ours" sends the own number
	rig_calls "$std" 6 --dir in --std "$std" --calls 1 --expect none --max-leak 0 \
		--law ulaw --level 0 --pairs "$fxs21" --label not-ours \
		--and --law alaw --level -12 --pairs "$fxs18" \
		--and --pairs "$fxs19" --number-file "$own" --label ours \
		--and --law ulaw --level 0 --pairs "$fxs22" \
		--and --pairs "$fxs23" --withheld --label withheld \
		--and --law alaw --level -12 --pairs "$fxs20"
	linesim_rc=$?
	wait_verdicts "$before"
	after=$(genl verdicts $LINES | xargs)
	d=($(delta "$before" "$after"))
	for law in ulaw alaw; do
		level=0 got=(${d[@]:0:9}) lines="$notours $ours $withheld"
		[ $law = ulaw ] || level=-12 got=(${d[@]:9:9}) lines="$notours_a $ours_a $withheld_a"
		read -r n o w <<<"$lines"
		# not-ours line: 0 1 0, ours line: 0 0 1, withheld line: 1 0 0
		verdict_ok=0
		[ "${got[*]}" = "0 1 0 0 0 1 1 0 0" ] || verdict_ok=1
		ktap_diag "$std $law ${level} dB: verdict deltas (withheld not-ours ours) on" \
			"$n: ${got[*]:0:3}, $o: ${got[*]:3:3}, $w: ${got[*]:6:3}; linesim exit $linesim_rc"
		ktap_result $((verdict_ok | (linesim_rc != 0))) \
			"$std $law ${level} dB: ours -> OURS, withheld -> WITHHELD, not ours -> NOT_OURS; PBX decoded no digit"
	done
	sleep 0.5
done

# the events group: VERIFY events with the result and the standard, one per call
events_ok() {
	local n_ours n_with n_not
	if grep -q 'no events group' "$listen_out"; then
		echo "no events group in this module: kernel/event.c not merged yet"
		return 4
	fi
	n_not=$(awk -v c="$notours" -v a="$notours_a" '($1 == c || $1 == a) && $2 == 2' "$events" | wc -l)
	n_ours=$(awk -v c="$ours" -v a="$ours_a" '($1 == c || $1 == a) && $2 == 3' "$events" | wc -l)
	n_with=$(awk -v c="$withheld" -v a="$withheld_a" '($1 == c || $1 == a) && $2 == 1' "$events" |
		wc -l)
	echo "VERIFY events: $n_ours OURS on $ours and $ours_a, $n_with WITHHELD on $withheld and" \
		"$withheld_a, $n_not NOT_OURS on $notours and $notours_a; $(wc -l <"$events") in all;" \
		"by standard (enum value:count):" \
		"$(awk '{ n[$3]++ } END { for (k in n) printf "%s:%d ", k, n[k] }' "$events")"
	# each round's standard on its 6 calls: Bell 202 SDMF 1 and MDMF 2, V.23 MDMF 4 (v23 and
	# v23-dtas), DTMF 5
	[ "$n_ours" = 10 ] && [ "$n_with" = 10 ] && [ "$n_not" = 10 ] &&
		[ "$(wc -l <"$events")" = 30 ] &&
		[ "$(awk '{ print $3 }' "$events" | sort | uniq -c | xargs)" = "6 1 6 2 12 4 6 5" ]
}
out=$(events_ok)
rc=$?
ktap_diag "$out"
if [ $rc = 4 ]; then ktap_skip "VERIFY events: one per call, result and standard" "$out"
else ktap_result $rc "VERIFY events: one per call, result and standard"; fi
kill "$listener" 2>/dev/null

# the agent: its view of what just happened, then one class at a time on the ours line
last_status() { grep '^STATUS=\|STATUS=' "$notify_log" | tail -n 1 | sed 's/.*STATUS=//'; }
status_is() {	# EXIT WORD: safectl status exits EXIT and says "verification: WORD"
	local out rc
	out=$("$safectl" status 2>&1)
	rc=$?
	echo "$out" | grep -E '^(verification|last)'
	echo "safectl status exit $rc; last STATUS=: $(last_status)"
	[ $rc = "$1" ] && echo "$out" | grep -qx "verification: $2"
}
counted() { [ "$(genl verdicts "$ours" | xargs)" != "$1" ]; }
# the agent's record (store/verify) changed from BEFORE and holds last_result=RESULT
recorded() {
	local now
	now=$(cat "$work/store/verify" 2>/dev/null)
	[ "$now" != "$1" ] && [[ " $now " == *" last_result=$2 "* ]]
}
one_call() {	# NAME RESULT ARGS...: one call on the ours line; the agent's poll records RESULT
	local name=$1 result=$2 before record
	shift 2
	before=$(genl verdicts "$ours" | xargs)
	record=$(cat "$work/store/verify" 2>/dev/null)
	"$linesim" call --dir in --std bell202-mdmf --pairs "$fxs22" --calls 1 --expect none \
		--max-leak 0 "$@" >"$RIG_ARTIFACTS/agent-$name.ktap" 2>&1 ||
		ktap_diag "linesim $name: $(grep -v '^ok' "$RIG_ARTIFACTS/agent-$name.ktap" | head -3)"
	rig_wait_for 10 counted "$before" || ktap_diag "$name: no verdict counted"
	# the agent polls every 5 s
	rig_wait_for 15 recorded "$record" "$result" || ktap_diag "$name: the agent recorded no $result"
}
alerts() {
	local n
	sleep 6		# the agent polls every 5 s: this covers the last round (one_call relies on it)
	n=$(grep -c '^<1>Caller-ID verification FAILED on channel' "$agent_log")
	echo "$n log lines at alert priority (<1>) name the failure"
	[ "$n" -ge 1 ]
}
ktap_say "agent: the OURS calls raised alert-priority (<1>) lines in its journal stream" alerts

one_call withheld withheld --label withheld --withheld
ktap_say "withheld call: verification ok, safectl status exit 0, last result withheld" \
	status_is 0 ok
one_call ours ours --label ours --number-file "$own"
ktap_say "own number presented: verification FAILED, safectl status exit 3" status_is 3 FAILED
status_text() { last_status; last_status | grep -q 'VERIFICATION FAILED'; }
ktap_say "sd_notify STATUS= names the failure" status_text
stop_agent
start_agent || ktap_diag "the agent did not come back"
# nothing new is verified meanwhile: FAILED can only come from the record it read back
restarted() { rig_wait_for 5 status_is 3 FAILED >/dev/null; status_is 3 FAILED; }
ktap_say "agent restarted: the failure is kept (record in the store directory)" restarted
one_call notours not_ours --label not-ours
ktap_say "a number not ours afterwards: still FAILED (no success since)" status_is 3 FAILED
one_call withheld2 withheld --label withheld --withheld
ktap_say "withheld again: verification ok, exit 0" status_is 0 ok

# overdue: a 5 s interval, reloaded with SIGHUP
sed -i 's/interval = "35d"/interval = "5s"/' "$conf"
kill -HUP "$agent_pid"
overdue() {
	status_is 3 OVERDUE &&
		grep '^<4>No successful caller-ID verification' "$agent_log"
}
# 5 s after the last success, and the agent's next poll (every 5 s) warns
overdue_soon() { rig_wait_for 20 overdue >/dev/null; overdue; }
ktap_say "interval passed without a verification: OVERDUE, exit 3, a warning logged" overdue_soon

# no number, no key, no hash anywhere
stop_agent
kill "$notifier" 2>/dev/null
echo "$gap_before" >/sys/module/safeline/parameters/verify_gap_ms
"$safectl" policy set "$fxs17-$fxs23" suppress >/dev/null
"$safectl" policy set "$fxo17-$fxo23" suppress >/dev/null
leaks() {
	local num tail7 where
	num=$(cat "$own") && tail7=${num: -7} || return 1
	where=$( { rig_dmesg_since verify; cat "$RIG_ARTIFACTS"/* "$work"/store/verify; } 2>/dev/null |
		grep -c -e "$tail7")
	echo "lines holding the own number's last 7 digits in dmesg, the agent's log, its" \
		"sd_notify messages, its record and the artifacts: $where" \
		"(control: $(echo "x$tail7" | grep -c -e "$tail7"))"
	[ "$where" = 0 ]
}
ktap_say "no trace of the own number in dmesg, journal or artifacts" leaks
ktap_say "dmesg: no BUG/WARNING/Oops, no digit runs in safeline lines" rig_dmesg_ok verify
rm -rf "$work" "$listen_out"

t0=$(($(rig_uptime_cs) - t0))
ktap_diag "verify.sh took $((t0 / 100)).$((t0 % 100 / 10)) s (guest time)"
ktap_finish
