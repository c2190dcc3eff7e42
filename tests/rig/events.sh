#!/bin/bash
# Call events: safeline.ko multicasts ring, answer, hangup and spill events to the generic
# netlink group "events", only to CAP_NET_ADMIN, only for channels that do not pass, with a
# SEQ whose gaps are exactly the drops it reports.
#
#   inbound   carrier (linesim)  fxoks 1 (pass)  --ring, spill-->  fxsks 25 = our FXO port
#             then the PBX (rig-chan) takes 25 off-hook and hangs up: events on 25 only
#   outbound  PBX (linesim)      fxoks 2 = our FXS port  --ring, spill-->  fxsks 26 (pass)
#             then the phone (rig-chan on 26) lifts and hangs up: events on 2 only
#   DTMF      fxoks 4 (pass) --DTMF CLIP, then ring--> fxsks 28: the spill comes first
#   detect    fxoks 5 (pass) --ring, spill--> fxsks 29 (detect): decodes, SPILL_MUTED 0
#   control   fxoks 3 (pass) --ring, spill--> fxsks 27 (pass): the number decodes, no event
#   storm     every FXO port's hook toggled by a real-time process while two real-time hogs
#             keep the sender (a kworker) off both CPUs: the ring of 1024 overflows
#
# Order: load; a listener (32 MiB receive buffer) hears nothing while nothing happens and
# GET_STATUS counts 0 sent, 0 dropped; inbound, outbound, DTMF, detect and pass calls, each
# call's events checked in order; an unprivileged process gets EPERM joining the group; the
# storm, with a second listener that never reads (4 KiB buffer): the kernel's drops show as SEQ gaps that
# the next event's DROPPED names, totals match GET_STATUS, the lazy listener got ENOBUFS and
# the other lost nothing; every message holds only fixed-size event attributes; unload with
# the listener attached; dmesg clean, no digit runs. Numbers live only in linesim's memory.
. "$RIG_LIB"

rig_require_safeline
ktap_plan 20

linesim=$BUILD/linesim
safectl=$BUILD/safectl
hdr=$SAFELINE_ROOT/kernel/uapi/linux/safeline.h
work=$RIG_ARTIFACTS

EV=/tmp/events-genl.py
cat >$EV <<'PYTHON'
import fcntl, os, signal, struct, sys, time
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.environ['SAFELINE_ROOT'], 'tests/rig'))
import genl  # noqa: E402
enum = genl.enums(sys.argv[1])
CMD, S, E = enum('safeline_cmd'), enum('safeline_status_attr'), enum('safeline_event_attr')
TYPE = {v: k[len('SAFELINE_EVENT_'):] for k, v in enum('safeline_event_type').items()}
KIND = {v: k[len('SAFELINE_SPILL_'):] for k, v in enum('safeline_spill_kind').items()}
ROLE = {v: k[len('SAFELINE_ROLE_'):] for k, v in enum('safeline_role').items()}
POLICY = {v: k[len('SAFELINE_POLICY_'):] for k, v in enum('safeline_policy').items()}
A = lambda n: E['SAFELINE_EVENT_A_' + n]
SIZE = {A('PAD'): None, A('TYPE'): 1, A('SEQ'): 8, A('TIME_NS'): 8, A('CHANNO'): 4,
        A('SPANNO'): 4, A('ROLE'): 1, A('POLICY'): 1, A('DROPPED'): 4, A('SPILL_KIND'): 1,
        A('SPILL_MUTED'): 1, A('DURATION_MS'): 4, A('VERIFY_RESULT'): 1,
        A('VERIFY_STANDARD'): 1}
REQUIRED = ['TYPE', 'SEQ', 'TIME_NS', 'CHANNO', 'SPANNO', 'ROLE', 'POLICY']
num = lambda a, n: int.from_bytes(a[A(n)], 'little') if A(n) in a else 0


def line(cmd, a):
    """one event as text: seq type chan span role policy dropped time_ms [kind muted ms];
    or BAD and why, when the message is not an event of fixed-size attributes"""
    bad = [t for t, v in a.items() if t not in SIZE or SIZE[t] not in (None, len(v))]
    miss = [n for n in REQUIRED if A(n) not in a]
    if cmd != CMD['SAFELINE_CMD_EVENT'] or bad or miss:
        return 'BAD cmd %d, attributes %s of unknown type or size, missing %s' % (cmd, bad, miss)
    out = '%d %s %d %d %s %s %d %d' % (
        num(a, 'SEQ'), TYPE.get(num(a, 'TYPE'), '?'), num(a, 'CHANNO'), num(a, 'SPANNO'),
        ROLE.get(num(a, 'ROLE'), '?'), POLICY.get(num(a, 'POLICY'), '?').lower(),
        num(a, 'DROPPED'), num(a, 'TIME_NS') // 1000000)
    if num(a, 'TYPE') == enum('safeline_event_type')['SAFELINE_EVENT_SPILL']:
        out += ' %s %d %d' % (KIND.get(num(a, 'SPILL_KIND'), '?'), num(a, 'SPILL_MUTED'),
                              num(a, 'DURATION_MS'))
    return out


def listen(out, rcvbuf):
    s = genl.subscribe('events', rcvbuf)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(out, 'w', buffering=1) as f, open(out + '.raw', 'wb') as raw:
        open(out + '.ready', 'w').close()
        while True:
            try:
                data = s.recv(1 << 16)
            except OSError as e:
                f.write('ENOBUFS\n' if e.errno == 105 else 'ERROR %s\n' % e)
                continue
            for cmd, a, msg in genl.messages(data):
                raw.write(msg)
                raw.flush()
                f.write(line(cmd, a) + '\n')


def lazy(out):
    """joins with a 4 KiB buffer, reads nothing until told (SIGUSR1), then reports"""
    s = genl.subscribe('events', 4096)
    got = []
    signal.signal(signal.SIGUSR1, lambda *_: got.append(1))
    open(out + '.ready', 'w').close()
    while not got:
        signal.pause()
    s.setblocking(False)
    res = 'no ENOBUFS'
    try:
        while True:
            s.recv(1 << 16)
    except BlockingIOError:
        pass
    except OSError as e:
        res = 'ENOBUFS' if e.errno == 105 else str(e)
    open(out, 'w').write(res + '\n')


def status():
    err, msg, r = genl.ask(genl.family(), CMD['SAFELINE_CMD_GET_STATUS'], 0)
    if err:
        sys.exit('GET_STATUS: errno %d %s' % (err, msg))
    get = lambda n: struct.unpack('Q', r[0][S['SAFELINE_STATUS_A_' + n]])[0]
    print(get('EVENTS_SENT'), get('EVENTS_DROPPED'))


def join():
    try:
        genl.subscribe('events')
    except PermissionError as e:
        print('join: errno %d (%s)' % (e.errno, os.strerror(e.errno)))
        sys.exit(1)
    print('joined')


def toggle(go, secs, chans):
    """once the file go exists, DAHDI_HOOK off and on again on every channel for secs"""
    fds = []
    for c in chans:
        fd = os.open('/dev/dahdi/channel', os.O_RDWR)
        fcntl.ioctl(fd, 0x4004DA26, struct.pack('i', c))	# DAHDI_SPECIFY
        fds.append(fd)
    hook = lambda fd, v: fcntl.ioctl(fd, 0x4004DA07, struct.pack('i', v))	# DAHDI_HOOK
    while not os.path.exists(go):
        time.sleep(0.01)
    end, rounds = time.monotonic() + secs, 0
    while time.monotonic() < end:
        for v in (1, 0):	# DAHDI_OFFHOOK, DAHDI_ONHOOK
            for fd in fds:
                hook(fd, v)
            time.sleep(0.004)	# a few ticks: each state is seen
        rounds += 1
    print('%d rounds on %d channels' % (rounds, len(fds)))


def hog(go, secs):
    """once the file go exists (every hog loaded), spin for secs"""
    while not os.path.exists(go):
        time.sleep(0.01)
    end = time.monotonic() + secs
    while time.monotonic() < end:
        pass


what = sys.argv[2]
if what == 'listen':
    listen(sys.argv[3], int(sys.argv[4]))
elif what == 'lazy':
    lazy(sys.argv[3])
elif what == 'status':
    status()
elif what == 'join':
    join()
elif what == 'toggle':
    toggle(sys.argv[3], float(sys.argv[4]), [int(c) for c in sys.argv[5:]])
elif what == 'hog':
    hog(sys.argv[3], float(sys.argv[4]))
PYTHON
ev() { python3 "$EV" "$hdr" "$@"; }

# ktap_say DESC CMD...: like ktap_check, but its output is always shown
# the listener's events from line FROM on (1-based), optionally of one channel
log=$work/events.txt
events_from() { tail -n +"$1" "$log"; }
lines() { wc -l <"$log"; }
# types CHAN FROM: that channel's event types since FROM, space separated
types() { events_from "$2" | awk -v c="$1" '$3 == c { printf "%s%s", s, $2; s = " " }'; }

call() {
	local name=$1 rc
	shift
	"$linesim" call "$@" >"$work/$name.ktap" 2>"$work/$name.stderr"
	rc=$?
	grep '^#\|^ok\|^not ok' "$work/$name.ktap" | grep -v ': pair ' | sed 's/^/    /'
	return $rc
}

# answer_hangup CHAN: rig-chan takes CHAN off-hook, then back on-hook
answer_hangup() {
	rig_chan open "$1" && rig_chan hook "$1" offhook && sleep 0.5 &&
		rig_chan hook "$1" onhook && sleep 0.5 && rig_chan close "$1" ||
		{ echo "rig-chan: $RIG_CHAN_REPLY"; return 1; }
}

# answered_call NAME CHAN DESC LINESIM-ARGS...: a linesim call (one result, DESC), then
# CHAN, the far end, answers and hangs up; its events start at line $from of the log
answered_call() {
	local name=$1 chan=$2 desc=$3
	shift 3
	from=$(($(lines) + 1))
	ktap_say "$desc" call "$name" "$@"
	answer_hangup "$chan"
	sleep 0.3
}

# check_call NAME CHAN SPAN ROLE FROM [POLICY KINDS MUTED ORDER]: CHAN's events since FROM are
# the whole call in ORDER (after-ring FSK by default), for the right role, span and policy
# (suppress), the spill of a kind matching KINDS (FSK seizure or message) and MUTED (1) with a
# duration; no other channel had any
check_call() {
	local name=$1 chan=$2 span=$3 role=$4 from=$5 policy=${6:-suppress}
	local kinds=${7:-FSK_(SEIZURE|MESSAGE)} muted=${8:-1}
	local want=${9:-RING_BEGIN RING_END SPILL ANSWER HANGUP} got others
	got=$(types "$chan" "$from")
	echo "$name: channel $chan: $got"
	events_from "$from" | awk -v c="$chan" '$3 == c' | sed 's/^/  /'
	others=$(events_from "$from" | awk -v c="$chan" '$3 != c' | wc -l)
	[ "$got" = "$want" ] && [ "$others" = 0 ] || { echo "$others events of other channels"; return 1; }
	events_from "$from" | awk -v c="$chan" -v s="$span" -v r="$role" -v p="$policy" \
		-v k="^($kinds)\$" -v m="$muted" '$3 == c {
		if ($4 != s || $5 != r || $6 != p) bad++
		if ($2 == "SPILL" && ($9 !~ k || $10 != m || $11 <= 0)) bad++ }
		END { exit bad > 0 }' || { echo "wrong span, role, policy or spill"; return 1; }
}

[ -d /sys/module/safeline ] && rig_unload_safeline
rig_dmesg_mark events
out=$(rig_load_safeline 2>&1)
ktap_result $? "load: modprobe safeline"
[ -z "$out" ] || ktap_diag "$out"
sleep 0.3
rig_chan_start || ktap_diag "rig-chan would not start"

# 2: baseline: nothing happens, nothing is heard or counted
python3 "$EV" "$hdr" listen "$log" $((32 << 20)) 2>"$work/listen.stderr" &
listener=$!
rig_wait_for 5 test -e "$log.ready" || ktap_diag "listener not ready: $(<"$work/listen.stderr")"
sleep 2
quiet() {
	echo "listener after 2 s idle: $(lines) messages; GET_STATUS sent, dropped: $(ev status)"
	[ "$(lines)" = 0 ] && [ "$(ev status)" = "0 0" ]
}
ktap_say "baseline: an idle rig sends no event and counts none" quiet

# 3: the other ends pass, so each call has one suppressing end
setup() {
	"$safectl" policy set 1 pass && "$safectl" policy set 3-5 pass &&
		"$safectl" policy set 26-27 pass && "$safectl" policy set 29 detect
}
ktap_check "policy set 1 3-5 26-27 pass, 29 detect (the rest suppress)" setup

# 4-5: inbound on FXO port 25
answered_call inbound 25 "inbound call 1 -> 25 under suppress: the PBX decodes no digit" \
	--dir in --std bell202-mdmf --pairs 1 --calls 1 --expect none --max-leak 0
ktap_say "inbound: FXO port 25 sent RING_BEGIN RING_END SPILL ANSWER HANGUP, nothing else" \
	check_call inbound 25 3 FXO_PORT "$from"

# 6-7: outbound on FXS port 2
answered_call outbound 26 "outbound call 2 -> 26 under suppress: the phone decodes no digit" \
	--dir out --std bell202-mdmf --pairs 2 --calls 1 --expect none --max-leak 0
ktap_say "outbound: FXS port 2 sent RING_BEGIN RING_END SPILL ANSWER HANGUP, nothing else" \
	check_call outbound 2 2 FXS_PORT "$from"

# 8-9: before-ring DTMF CLIP on FXO port 28: the spill comes first
answered_call dtmf 28 "inbound DTMF call 4 -> 28 under suppress: the PBX decodes no digit" \
	--dir in --std dtmf --pairs 4 --calls 1 --expect none --max-leak 0
ktap_say "DTMF: FXO port 28 sent SPILL (DTMF) RING_BEGIN RING_END ANSWER HANGUP" \
	check_call dtmf 28 3 FXO_PORT "$from" suppress DTMF 1 "SPILL RING_BEGIN RING_END ANSWER HANGUP"

# 10-11: detect on FXO port 29: the number goes through, the spill is reported unmuted
answered_call detect 29 "inbound call 5 -> 29 under detect: the PBX decodes the number" \
	--dir in --std bell202-mdmf --pairs 5 --calls 1 --expect decode --min-percent 100
ktap_say "detect: FXO port 29 sent the call with SPILL_MUTED 0" \
	check_call detect 29 3 FXO_PORT "$from" detect "FSK_(SEIZURE|MESSAGE)" 0

# 12-13: both ends pass: the number goes through, and no event
answered_call pass 27 "pass call 3 -> 27: the PBX decodes the number (the spill was there)" \
	--dir in --std bell202-mdmf --pairs 3 --calls 1 --expect decode --min-percent 100
none() {
	echo "events since the pass call: $(events_from "$from" | wc -l)"
	[ -z "$(events_from "$from")" ]
}
ktap_say "pass: channels 3 and 27 sent no event" none

# 14: the counters so far
counted() {
	local n
	n=$(lines)
	echo "listener: $n events; GET_STATUS sent, dropped: $(ev status)"
	[ "$(ev status)" = "$n 0" ] && [ "$n" = 20 ]
}
ktap_say "GET_STATUS: EVENTS_SENT = the 20 events heard, EVENTS_DROPPED = 0" counted

# 15: only CAP_NET_ADMIN joins
eperm() {
	local out rc
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups python3 "$EV" "$hdr" join 2>&1)
	rc=$?
	echo "as uid 65534: exit $rc: $out; as root: $(ev join 2>&1)"
	[ $rc = 1 ] && [[ $out == *"errno 1 "* ]] && [ "$(ev join 2>&1)" = joined ]
}
ktap_say "joining events without CAP_NET_ADMIN: EPERM (root: joined)" eperm

# 16-18: the storm
python3 "$EV" "$hdr" lazy "$work/lazy.txt" &
lazy=$!
rig_wait_for 5 test -e "$work/lazy.txt.ready" || ktap_diag "lazy listener not ready"
from=$(($(lines) + 1))
before=($(ev status))
# the toggler (FIFO 60) outranks the hogs (FIFO 50), which outrank the sender's kworker
storm() {
	local rt go=$work/go
	rt=$(cat /proc/sys/kernel/sched_rt_runtime_us)
	echo -1 >/proc/sys/kernel/sched_rt_runtime_us	# no time left for SCHED_OTHER
	chrt -f 60 python3 "$EV" "$hdr" toggle "$go" 2.5 $RIG_FXO_CHANS &
	taskset -c 0 chrt -f 50 python3 "$EV" "$hdr" hog "$go" 2 &
	taskset -c 1 chrt -f 50 python3 "$EV" "$hdr" hog "$go" 2 &
	sleep 2.5
	touch "$go"
	wait
	echo "$rt" >/proc/sys/kernel/sched_rt_runtime_us
	echo "sched_rt_runtime_us back to $(cat /proc/sys/kernel/sched_rt_runtime_us)"
}
storm_out=$(storm 2>&1)
ktap_diag "storm: $storm_out"
sleep 1
answer_hangup 30 >/dev/null	# events after the storm carry its last drops
after=($(ev status))
# the listener (Python under TCG) needs a while for thousands of messages
caught_up() { [ "$(lines)" -ge "${after[0]}" ]; }
rig_wait_for 60 caught_up ||
	ktap_diag "listener heard $(lines) of ${after[0]} events in 60 s"
consistent() {
	local sent=$((after[0] - before[0])) dropped=$((after[1] - before[1]))
	echo "GET_STATUS during the storm: $sent sent, $dropped dropped;" \
		"the listener heard $(events_from "$from" | wc -l)"
	events_from "$from" | awk -v sent=$sent -v dropped=$dropped -v first="$((before[0] + before[1]))" '
		$1 !~ /^[0-9]+$/ { print "not an event: " $0; bad++; next }
		{ n++; d += $7; if ($1 != first + 1 + $7) { gaps++; if (gaps < 4)
			print "seq " $1 " after " first " but DROPPED " $7 }; first = $1
		  if ($8 < t) back++; t = $8 }
		END { print n " events, DROPPED summing to " d ", " gaps + 0 " SEQ gaps not explained, " \
			back + 0 " times TIME_NS went back"
		      exit !(!bad && !gaps && !back && n == sent && d == dropped && dropped > 0) }'
}
ktap_say "overflow: EVENTS_DROPPED > 0; SEQ gaps = DROPPED exactly; totals = GET_STATUS" consistent
kill -USR1 $lazy
wait $lazy
lazy_ok() {
	echo "lazy listener (4 KiB, never read): $(cat "$work/lazy.txt" 2>&1)"
	[ "$(cat "$work/lazy.txt")" = ENOBUFS ]
}
ktap_say "a listener that does not read overflows its own socket (ENOBUFS) only" lazy_ok
toggled() {
	local n
	n=$(events_from "$from" | awk '$2 == "ANSWER" || $2 == "HANGUP"' | wc -l)
	echo "$n ANSWER/HANGUP events heard; channels: $(events_from "$from" | awk '{ print $3 }' |
		sort -un | tr '\n' ' ')"
	! events_from "$from" | awk '($3 >= 3 && $3 <= 5) || $3 == 1 || $3 == 26 || $3 == 27' |
		grep -q . && [ "$n" -gt 0 ]
}
ktap_say "storm: only hook events, none from the passing channels 1 3-5 26-27" toggled

# 19: every message is an event of fixed-size integer attributes: no room for a digit string
shapes() {
	local bad total
	total=$(lines)
	bad=$(grep -c '^BAD\|^ERROR' "$log")
	echo "$total messages, $bad not well-formed events; $(stat -c %s "$log.raw") bytes captured"
	[ "$bad" = 0 ] && [ "$total" -gt 10 ]
}
ktap_say "every message: the event attributes only, each of its fixed integer size" shapes

rig_chan_stop
out=$(rig_unload_safeline 2>&1)
ktap_diag "unload with the listener attached: ${out:-ok}"
kill $listener 2>/dev/null
wait $listener 2>/dev/null

# 20: the kernel log: no oops, no run of 4 digits in a safeline line
ktap_say "dmesg: no BUG/WARNING/Oops, no digit runs in safeline lines" rig_dmesg_ok events
[ "${RIG_SAFELINE:-0}" = 0 ] || rig_load_safeline >/dev/null
ktap_finish
