#!/bin/bash
# What `make demo` runs inside the rig: the whole story. Caller-ID calls first without
# SafeLine (the far end decodes the number), then SafeLine comes up (safeline.ko and
# safelined with a config), the same kind of calls arrive on a hotline line and on an admin
# line, the PBX side decodes nothing on the hotline and the number on the admin line, a
# staff phone gets no number either, `safectl calls` shows the tmpfs log without numbers,
# `safectl report` the day's counts and `safectl wipe` empties it. Never a digit of a
# number is printed: linesim keeps them in memory and only says whether they arrived.
#
#   carrier -> FXO ports 25, 27 (hotline)   -> PBX    pairs 1, 3: fxoks 1, 3 ring fxsks 25, 27
#   carrier -> FXO port 26 (the admin line) -> PBX    pair 2: fxoks 2 rings fxsks 26
#   PBX -> FXS port 4 -> a staff phone                pair 4: fxoks 4 rings fxsks 28
#
# In the rig our FXS ports 1-23 also play the carrier and fxsks 28 plays the phone, so the
# agent's config sets those far ends to pass: each call is muted once, where a real
# installation would mute it.
. "$RIG_LIB"

linesim=$BUILD/linesim
safectl=$BUILD/safectl
safelined=$BUILD/safelined
out=$RIG_ARTIFACTS
conf=$out/safeline.conf
log=$out/safelined.log
store=/run/safeline

hotline=(--pairs 1 --std bell202-mdmf --law ulaw --dir in --and --pairs 3 --std v23 --law alaw)
admin=(--pairs 2 --std bell202-mdmf --law ulaw --dir in)
phone=(--pairs 4 --std bell202-mdmf --law ulaw --dir out)

# say NAME EXPECT CALLS...: linesim's sentences go to NAME.txt and become diagnostics
say() {
	local name=$1 expect=$2
	shift 2
	"$linesim" demo --expect "$expect" "$@" >"$out/$name.txt" 2>&1
	local rc=$?
	while IFS= read -r line; do echo "#${line:+ $line}"; done <"$out/$name.txt"
	return $rc
}

# show NAME CMD...: a safectl command's output into NAME.txt and the diagnostics
show() {
	local name=$1
	shift
	"$@" >"$out/$name.txt" 2>&1
	local rc=$?
	sed 's/^/#   /' "$out/$name.txt"
	return $rc
}

rows() { "$safectl" -j calls | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }

ktap_plan 9
grep -q '^safeline ' /proc/modules && modprobe -r safeline

echo "# === Without SafeLine: what the PBX and the phone hear ==="
say without decode "${hotline[@]}" --and "${admin[@]}" --and "${phone[@]}"
ktap_result $? "demo: without SafeLine the far end decoded the caller ID on every call"

echo "# === SafeLine comes up: safeline.ko, then safelined with its config ==="
cat >"$conf" <<-'EOF'
	# the hotline (FXO port 25) keeps the fail-closed default: suppress
	policy = {
	  default = "suppress";
	  channels = (
	    { channels = "1-23"; policy = "pass"; },  # the rig's carrier side
	    { channels = 4; policy = "suppress"; },   # FXS port to a staff phone
	    { channels = 26; policy = "detect"; },    # the admin line: caller ID wanted
	    { channels = 28; policy = "pass"; }       # the rig's phone side
	  );
	};
	store = { path = "/run/safeline"; resolution = "minute"; };
	wipe = { max_age = "24h"; };
EOF
rm -rf "$store"
modprobe safeline && {
	"$safelined" -c "$conf" 2>>"$log" &
	agent=$!
	rig_wait_for 20 grep -q "Applied policy (connect)" "$log"
}
ktap_result $? "demo: safeline.ko loaded, safelined connected and applied its policy"
show status "$safectl" status
sleep 1.5	# the agent re-checks the policy of channels gone live just after it connected

echo "# === With SafeLine: calls on the hotline (FXO 25 and 27) ==="
say hotline none "${hotline[@]}"
ktap_result $? "demo: hotline: the PBX decoded no caller ID, not one digit"
echo "# === With SafeLine: a call on the admin line (FXO 26, policy detect: counted, not muted) ==="
say admin decode "${admin[@]}"
ktap_result $? "demo: admin line: the PBX decoded the caller's number"
echo "# === With SafeLine: the PBX calls a staff phone (FXS 4) ==="
say phone none "${phone[@]}"
ktap_result $? "demo: staff phone: the phone decoded no caller ID"

echo "# What safeline.ko counted on those channels (safectl channels):"
"$safectl" channels 2>&1 | awk 'NR == 1 || $1 ~ /^(4|25|26|27)$/' >"$out/channels.txt"
sed 's/^/#   /' "$out/channels.txt"

# an unanswered call becomes a row once its ringing has stopped for a while
four_rows() { [ "$(rows)" -ge 4 ]; }
rig_wait_for 30 four_rows
echo "# === The agent's log in tmpfs (safectl calls): no numbers ==="
show calls "$safectl" calls
n=$(rows)
ktap_diag "rows: $n"
[ "$n" = 4 ] && ! grep -rqaE '[0-9]{5,}' "$store"
ktap_result $? "demo: safectl calls lists the 4 calls; no run of 5+ digits anywhere in $store"
echo "# === Today's counts (safectl report) ==="
show report "$safectl" report
ktap_result $? "demo: safectl report shows the day's counts"
echo "# === safectl wipe --all ==="
show wipe "$safectl" wipe --all && show after-wipe "$safectl" calls
[ $? = 0 ] && [ "$(rows)" = 0 ] && [ -z "$(find "$store" -type f ! -empty)" ]
ktap_result $? "demo: after safectl wipe --all no row is left and every store file is empty"

kill -TERM "$agent" 2>/dev/null
wait "$agent" 2>/dev/null
# linesim, safectl calls/report/wipe and the agent's log say whether numbers arrived, never
# which (channels.txt and status.txt hold chunk counters, long numbers that are no number)
! grep -qaE '[0-9]{7,}' "$out"/{without,hotline,admin,phone,calls,report,wipe,after-wipe}.txt "$log"
ktap_result $? "demo: no run of 7+ digits in anything the demo printed or logged"
modprobe -r safeline
ktap_finish
