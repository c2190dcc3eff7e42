#!/bin/bash
# safelined against safeline.ko: call events become rows, policies reach the module, no number
# reaches tmpfs, the log or dmesg, wipes leave nothing, and a killed agent loses nothing the
# kernel guards. The agent runs by hand here (no systemd in normal rig mode), as root.
#
#   carrier (linesim / rig-chan)                       PBX (linesim decodes / rig-chan answers)
#   fxoks 1..23 = our FXS ports, policy pass  --ring, spill-->  fxsks 25..47 = our FXO ports
#                                                                   | events group (genl)
#                                               safelined --rows--> /run/safeline (tmpfs)
#
#   storm: one linesim run rings pairs 1-20 9 times each (never answered: 180 missed), each
#          pair resting 9 s after a call so the agent's 8 s ring timeout ends it first;
#          meanwhile rig-chan rings and answers 20 calls on pairs 21-23
#
# Order: baseline (a raw listener hears the module's events for a call; no agent yet); the
# agent connects, subscribes and pushes its policy; storm -> exactly 200 rows; no digit in
# the store, no digit run in the agent's log or dmesg; wipe --all; SIGKILL during an answered
# call: the kernel suppresses meanwhile (with a decode control), the restarted agent finds the
# older rows intact and pushes its policy again; SIGHUP and a module reload re-push it.
# Numbers live only in linesim's memory.
. "$RIG_LIB"

rig_require_safeline
ktap_plan 21

linesim=$BUILD/linesim
safectl=$BUILD/safectl
safelined=$BUILD/safelined
hdr=$SAFELINE_ROOT/kernel/uapi/linux/safeline.h
work=$RIG_ARTIFACTS
conf=$work/safeline.conf
log=$work/safelined.log
store=/run/safeline
STORM_ROUNDS=${AGENT_STORM_ROUNDS:-9}	# missed calls per linesim pair
STORM_PAUSE_MS=9000	# after a call ends (~1 s after its ring): > the agent's 8 s ring timeout
ANSWERED=${AGENT_ANSWERED:-20}
LINESIM_PAIRS=20

step() { echo "$(cut -d' ' -f1 /proc/uptime) $*" >>"$work/progress"; }

# the module must be there: --safeline preloads it, else load it here
[ -d /sys/module/safeline ] || rig_load_safeline >/dev/null

# answer PAIR: one answered call by rig-chan: ring, the PBX answers, talks, hangs up
answer() {
	local f o
	read -r f o <<<"$(rig_pair "$1")"
	rig_chan hook "$f" ring || { sleep 0.5; rig_chan hook "$f" ring; } ||
		{ echo "ring $f: $RIG_CHAN_REPLY"; return 1; }
	rig_chan expect "$o" RINGOFFHOOK 8000 || { echo "ring at $o: $RIG_CHAN_REPLY"; return 1; }
	rig_chan hook "$o" offhook || { echo "offhook $o: $RIG_CHAN_REPLY"; return 1; }
	rig_chan expect "$f" RINGOFFHOOK 4000 || echo "answer at $f: $RIG_CHAN_REPLY"
	sleep 0.3
	rig_chan hook "$o" onhook || { echo "onhook $o: $RIG_CHAN_REPLY"; return 1; }
	rig_chan expect "$f" ONHOOK 4000 || echo "hangup at $f: $RIG_CHAN_REPLY"
	# the carrier side back to idle, as linesim leaves a pair, so it may ring again
	rig_chan hook "$f" ringoff || echo "ringoff $f: $RIG_CHAN_REPLY"
	sleep 0.3
}

rig_chan_start
for p in 21 22 23; do
	read -r f o <<<"$(rig_pair $p)"
	rig_chan open "$f" && rig_chan open "$o" || ktap_diag "open $f/$o: $RIG_CHAN_REPLY"
done
sleep 2.1	# fxsks ignores ring for 2 s after open

# 1. baseline: the module's events reach a raw listener (no agent running)
step baseline
rig_dmesg_mark agent
rig_event_listener 30 "$work/listener.ready" >"$work/listener.txt" 2>&1 &
lpid=$!
rig_wait_for 10 test -e "$work/listener.ready"
answer 21 >"$work/baseline-call.txt" 2>&1
sleep 0.5	# the hangup's event is on its way (answer waited for the far end's ONHOOK)
pkill -TERM -P $lpid	# the listener's python: it prints what it heard and ends
wait $lpid
read -r _ o21 <<<"$(rig_pair 21)"
ktap_diag "listener: $(xargs <"$work/listener.txt")"
grep -qx "RING_BEGIN $o21 1" "$work/listener.txt" && grep -qx "ANSWER $o21 1" "$work/listener.txt" &&
	grep -qx "HANGUP $o21 1" "$work/listener.txt"
ktap_result $? "baseline: a raw listener hears RING_BEGIN, ANSWER, HANGUP of FXO $o21 (no agent)"

# 2-4. the agent: its config passes the carrier side (our FXS ports 1-23 play the carrier)
printf '%s\n' 'policy = { default = "suppress";' \
	'  channels = ( { channels = "1-23"; policy = "pass"; } ); };' \
	'wipe = { max_age = "24h"; };' >"$conf"
rm -rf "$store"
start_agent() {
	local n
	n=$(applied connect)
	"$safelined" -c "$conf" 2>>"$log" &
	agent=$!
	rig_wait_for 20 applied_more connect "$n"
}
applied() { local n; n=$(grep -c "Applied policy ($1)" "$log" 2>/dev/null); echo "${n:-0}"; }
applied_more() { [ "$(applied "$1")" -gt "$2" ]; }	# WHY N: more than N such lines
start_agent
ktap_diag "$(grep -v audit "$log")"
grep -q "Subscribed to call events" "$log" &&
	grep -q "Applied policy (connect): 46 channels set" "$log"
ktap_result $? "agent: connected, subscribed to call events, set policy on 46 channels"

# FIRST LAST POLICY: every live analog channel there has that policy, as the module says
policy_is() {
	"$safectl" -j channels | python3 -c 'import json, sys
a, b, p = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
c = [x for x in json.load(sys.stdin) if a <= x["channel"] <= b and x["role"] != "none"]
bad = [x for x in c if x["policy"] != p]
print("%d channels %d-%d, %d not %s" % (len(c), a, b, len(bad), p))
sys.exit(1 if not c or bad else 0)' "$@"
}
both() { policy_is 1 23 pass && policy_is 25 47 suppress; }
ktap_check "agent: the module reports 1-23 pass and 25-47 suppress (its push)" both
[ "$(stat -c %a "$store")" = 700 ] && [ "$(stat -fc %T "$store")" = tmpfs ]
ktap_result $? "agent: store $store is 0700 on tmpfs"

# 5-7. the storm
step storm
answered_ok=0 n_answer=0
missed=$((STORM_ROUNDS * LINESIM_PAIRS))
total=$((missed + ANSWERED))
# linesim paces a pair's calls itself (--pause); the answered calls run alongside
"$linesim" call --pairs 1-$LINESIM_PAIRS --calls $missed --pause $STORM_PAUSE_MS --expect none \
	--std bell202-mdmf >"$work/storm.ktap" 2>"$work/storm.stderr" &
spid=$!
while [ $n_answer -lt "$ANSWERED" ]; do
	answer $((21 + n_answer % 3)) >>"$work/answers.txt" 2>&1 && answered_ok=$((answered_ok + 1))
	n_answer=$((n_answer + 1))
done
step "answered calls done"
wait $spid
storm_rc=$?
step "linesim done"
sleep 9	# the agent closes a missed call 8 s after its last ring
storm_calls=$(grep -c '^ok .*: pair ' "$work/storm.ktap")
ktap_diag "linesim: exit $storm_rc, $storm_calls of $missed calls ok; answered calls: $answered_ok of $n_answer"
[ "$storm_rc" = 0 ] && [ "$storm_calls" = "$missed" ]
ktap_result $? "storm: $missed linesim calls, the PBX side decoded no number (--expect none)"
[ "$answered_ok" = "$ANSWERED" ]
ktap_result $? "storm: $ANSWERED calls rung and answered by rig-chan"
summary=$("$safectl" -j calls | python3 -c 'import json, sys
yes = lambda v: v is True or v == "yes"
rows = json.load(sys.stdin)
miss = [r for r in rows if not yes(r["answered"])]
print(len(rows), len(rows) - len(miss), len(miss),
      sum(r["direction"] == "in" for r in rows), sum(yes(r["complete"]) for r in rows),
      sum(25 <= int(r["channel"]) <= 47 for r in rows), sum(int(r["fsk"]) >= 1 for r in miss))')
ktap_diag "rows answered missed incoming complete on-FXO-ports missed-with-fsk: $summary"
[ "$summary" = "$total $ANSWERED $missed $total $total $total $missed" ]
ktap_result $? "storm: exactly $total rows: $ANSWERED answered, $missed missed with FSK suppressed, all in, complete"

# 8-9. no number anywhere (dmesg: at the end)
digits_in_store=$(grep -rlaE '[0-9]' "$store" | wc -l)
control=$(printf 'Ca%s\n' "$(shuf -i 10000000-99999999 -n 1)" | grep -caE '[0-9]')
ktap_diag "store files: $(find "$store" -type f -printf '%m %s %f, ')"
[ "$digits_in_store" = 0 ] && [ "$control" = 1 ] && [ -s "$store/calls" ]
ktap_result $? "no digit at all in $store (binary too; control: a planted digit is found)"
runs() { sed -E 's/^\[[ 0-9.]+\] //' | grep -caE "[0-9]{$1,}"; }
ktap_diag "agent log: $(wc -l <"$log") lines"
[ "$(runs 5 <"$log")" = 0 ] && [ "$(printf 'x 1234567 y\n' | runs 5)" = 1 ]
ktap_result $? "no run of 5+ digits in the agent's log (control: one is flagged)"

# 10-11. wipe --all
step wipe
out=$("$safectl" wipe --all 2>&1)
rc=$?
ktap_diag "wipe --all: exit $rc: $(echo "$out" | xargs)"
rows=$("$safectl" -j calls | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
[ $rc = 0 ] && [ "$rows" = 0 ]
ktap_result $? "wipe --all: exit 0, then no rows"
left=$(find "$store" -type f ! -empty | wc -l)
ktap_diag "non-empty files left in $store: $left; $(find "$store" -printf '%f %s, ')"
[ "$left" = 0 ] && ! grep -rqa 'Ca' "$store"
ktap_result $? "wipe --all: every store file empty, no record left in $store"

# 12-17. SIGKILL during an answered call
step sigkill
ids() { "$safectl" -j calls | python3 -c 'import json, sys
print(" ".join(sorted(r["id"] for r in json.load(sys.stdin))))'; }
for p in 21 22 23; do answer $p >>"$work/answers.txt" 2>&1; done
sleep 1
ids_before=$(ids)
read -r f22 o22 <<<"$(rig_pair 22)"
rig_chan hook "$f22" ring && rig_chan expect "$o22" RINGOFFHOOK 8000 &&
	rig_chan hook "$o22" offhook
ktap_diag "rows before the kill: $(echo "$ids_before" | wc -w); call on $o22 answered: $RIG_CHAN_REPLY"
kill -KILL "$agent"
wait "$agent" 2>/dev/null
[ "$(echo "$ids_before" | wc -w)" = 3 ] && ! kill -0 "$agent" 2>/dev/null
ktap_result $? "SIGKILL: the agent is gone with 3 rows stored and a call open"

read -r f1 o1 <<<"$(rig_pair 1)"
read -r f2 o2 <<<"$(rig_pair 2)"
"$linesim" call --pairs "$f1" --expect none >"$work/gap-none.ktap" 2>&1
ktap_result $? "while the agent is dead: FXO $o1 still suppressed, the PBX decoded 0 digits"
"$safectl" policy set "$o2" pass >/dev/null &&
	"$linesim" call --pairs "$f2" --expect decode --min-percent 100 >"$work/gap-decode.ktap" 2>&1
ktap_result $? "control: FXO $o2 set to pass by hand, the PBX decodes the number"
rig_chan hook "$o22" onhook

start_agent
ids_after=$(ids)
ktap_diag "after restart: $(echo "$ids_after" | wc -w) rows"
[ -n "$ids_before" ] && [ "$ids_after" = "$ids_before" ]
ktap_result $? "restart: the store opens, the 3 older rows are there with the same ids, nothing else"
corrupt=$("$safectl" -j status | python3 -c 'import json, sys
def find(d):
    if isinstance(d, dict):
        for k, v in d.items():
            if k == "corrupt":
                return v
            r = find(v)
            if r is not None:
                return r
print(find(json.load(sys.stdin)))')
ktap_diag "status corrupt: $corrupt"
[ "$corrupt" = 0 ]
ktap_result $? "restart: no corrupt record"
policy_is "$o2" "$o2" suppress >"$work/policy-o2.txt"
rc=$?
ktap_diag "$(cat "$work/policy-o2.txt")"
ktap_result $rc "restart: the agent pushed its policy again: FXO $o2 back to suppress"

# 18. SIGHUP with a changed config
step sighup
sed -i 's/channels = ( /channels = ( { channels = "30"; policy = "detect"; }, /' "$conf"
kill -HUP "$agent"
rig_wait_for 10 applied_more reload 0
sighup() { policy_is 30 30 detect && policy_is 31 47 suppress; }
ktap_check "SIGHUP: channel 30 detect as the new config says, 31-47 stay suppress" sighup

# 19. module reload: the agent notices (nlctrl), reconnects and pushes again
step reload
n=$(applied connect)
modprobe -r safeline && modprobe safeline
rig_wait_for 30 applied_more connect "$n"
ktap_diag "$(grep -E 'registered|Applied' "$log" | tail -n 3)"
# the new module's channels go live at their first tick: the agent re-checks 1 s after connect
reloaded() { policy_is 1 23 pass && policy_is 30 30 detect; }
rig_wait_for 15 reloaded >/dev/null
ktap_check "module reload: the agent reconnects and the new module has 1-23 pass, 30 detect" \
	reloaded

# 20-21. the agent stops cleanly; the kernel log since the baseline holds no number
kill -TERM "$agent"
wait "$agent"
rc=$?
rig_dmesg_since agent >"$work/dmesg.txt"
bad=$(grep -cE 'BUG|WARNING|Oops|Call Trace' "$work/dmesg.txt")
ktap_diag "agent exit $rc; BUG/WARNING/Oops lines since the baseline: $bad"
[ $rc = 0 ] && [ "$bad" = 0 ]
ktap_result $? "agent stops on SIGTERM with exit 0; no BUG/WARNING/Oops in dmesg"
ktap_diag "dmesg since the baseline: $(wc -l <"$work/dmesg.txt") lines: $(cut -c1-60 "$work/dmesg.txt" |
	sed -E 's/^\[[ 0-9.]+\] //' | sort | uniq -c | sort -rn | head -n 3 | xargs)"
# durations are not numbers: TCG makes the kernel say "hrtimer: interrupt took 3131160 ns"
nodur() { sed -E 's/[0-9]+ ns\b//g'; }
[ "$(nodur <"$work/dmesg.txt" | runs 7)" = 0 ] &&
	[ "$(printf '[ 1.000000] x 12345678\n' | nodur | runs 7)" = 1 ]
ktap_result $? "no run of 7+ digits in dmesg since the baseline (timestamps, durations aside; control flagged)"

rig_chan_stop
# leave the rig as the runner set it up
[ "$RIG_SAFELINE" = 1 ] || rig_unload_safeline >/dev/null
ktap_finish
