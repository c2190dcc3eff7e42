#!/bin/bash
# safectl against the real safeline.ko: every kernel command succeeds (exit 0) with -j output
# that parses and agrees with the text tables, the new policy `verify` and the optional
# counters are handled whether or not this module knows them, errors carry the kernel's
# extack text (exit 1), a user without CAP_NET_ADMIN is refused by the kernel (exit 1), and
# `safectl monitor` listens to the module's "events" group (root) or says why not (nobody).
# The unit test test-safectl-cli covers usage errors and the agent commands.
. "$RIG_LIB"

rig_require_safeline
ktap_plan 10

safectl=$BUILD/safectl
rig_load_safeline 2>/dev/null || [ -d /sys/module/safeline ]
set -- $RIG_FXO_CHANS
fxo1=$1 fxo2=$2
out=$RIG_ARTIFACTS

# run NAME ARG...: safectl ARG..., stdout in $out/NAME.out, stderr in $out/NAME.err, status in rc
run() {
	local name=$1
	shift
	"$safectl" "$@" >"$out/$name.out" 2>"$out/$name.err"
	rc=$?
}
is_json() { python3 -m json.tool "$1" >/dev/null; }

# 1: every read-only kernel command, text and JSON
bad=""
for args in status version channels "channels $fxo1" policy "policy show"; do
	run text $args
	[ $rc = 0 ] && [ -s "$out/text.out" ] || bad="$bad '$args'"
	run json -j $args
	[ $rc = 0 ] && is_json "$out/json.out" || bad="$bad '-j $args'"
	run pretty -j -p $args
	[ $rc = 0 ] && is_json "$out/pretty.out" || bad="$bad '-j -p $args'"
done
ktap_diag "${bad:-all passed}"
[ -z "$bad" ]
ktap_result $? "status, version, channels, policy: exit 0, -j and -j -p parse as JSON"

# 2: the table and the JSON list the same channels, and the columns line up
run table channels
run json -j channels
python3 - "$out/table.out" "$out/json.out" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
rows = json.load(open(sys.argv[2]))
assert [int(l.split()[0]) for l in lines[1:]] == [r["channel"] for r in rows], "channel lists differ"
# right-aligned counters: every line ends at the same column, nothing trails
assert len({len(l) for l in lines}) == 1, "lines of different widths"
head = lines[0].split()
assert head[:12] == ["CHAN", "SPAN", "NAME", "ROLE", "LAW", "POLICY", "HOOK", "RX_EC", "RX",
                     "TX", "SPILLS", "MUTED"], head
for r in rows:
    assert ("dtmf_events_blocked" in r) == ("DTMF_BLOCKED" in head), "DTMF column vs JSON"
    assert ("verify_ours" in r) == ("VERIFY(W/N/O)" in head), "verify column vs JSON"
EOF
ktap_result $? "channels: the table and -j agree; aligned; optional counters in both or neither"

# 3: status shows the events counters exactly when the module reports them
run json -j status
run text status
python3 - "$out/json.out" "$out/text.out" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
assert s["protocol"] == 1 and s["version"], s
assert ("events_sent" in s) == ("events sent: " in text), "text and JSON disagree"
assert ("events_sent" in s) == ("events_dropped" in s)
print("# events counters reported:", "events_sent" in s)
# this module reports what its data path missed: nothing, in text and JSON alike
assert s["hook_misses"] == 0 and s["chunks_uncovered"] == 0, s
assert "hook misses: 0\n" in text and "chunks uncovered: 0\n" in text, text
EOF
ktap_result $? "status: events counters in text and JSON together, or absent together; 0 hook misses, 0 chunks uncovered"

# 4-5: policy set, with and without -j; verify where the module knows it
run set policy set "$fxo1" detect
run setj -j policy set "$fxo2" detect
python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
assert s == {"policy": "detect", "default": False, "channels": 1}, s' "$out/setj.out" &&
	grep -qx 'detect on 1 channel' "$out/set.out" &&
	"$safectl" -j policy | python3 -c "import json, sys
p = {c['channel']: c['policy'] for c in json.load(sys.stdin)['channels']}
assert p[$fxo1] == p[$fxo2] == 'detect', p"
ktap_result $? "policy set: exit 0, text and -j, and policy show reads it back"

run verify policy set "$fxo1" verify
ktap_diag "policy set $fxo1 verify: exit $rc: $(cat "$out/verify.out" "$out/verify.err")"
if [ $rc = 0 ]; then
	"$safectl" -j channels "$fxo1" | python3 -c 'import json, sys
assert json.load(sys.stdin)[0]["policy"] == "verify"'
	ktap_result $? "policy set verify: this module has it, and channels shows it"
else
	# a module from before verify refuses it; safectl must pass on the kernel's reason
	[ $rc = 1 ] && grep -q '(kernel: .\+)' "$out/verify.err"
	ktap_result $? "policy set verify: refused by this older module, exit 1 with its extack"
fi
"$safectl" policy set "$fxo1-$fxo2" suppress >/dev/null

# 6: the kernel's refusal text reaches the user
run nochan policy set 999 pass
ktap_diag "policy set 999: $(cat "$out/nochan.err")"
[ $rc = 1 ] && grep -q '^safectl: policy set 999: No such channel' "$out/nochan.err"
ktap_result $? "policy set on a channel that does not exist: exit 1, No such channel"

# 7: reset-counters, text and JSON
run reset reset-counters "$fxo1"
run resetj -j reset-counters "$fxo1-$fxo2"
grep -qx 'counters reset on 1 channel' "$out/reset.out" &&
	python3 -c 'import json, sys
assert json.load(open(sys.argv[1])) == {"reset": 2}' "$out/resetj.out"
ktap_result $? "reset-counters: exit 0, text and -j"

# 8: writes need CAP_NET_ADMIN: the kernel refuses nobody, safectl exits 1 and says so
err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$safectl" reset-counters 2>&1)
rc=$?
ktap_diag "reset-counters as nobody: exit $rc: $err"
[ $rc = 1 ] && [[ $err == "safectl: reset-counters all: "*"needs CAP_NET_ADMIN"* ]]
ktap_result $? "reset-counters without CAP_NET_ADMIN: exit 1"

# 9-10: monitor: this tree's module has the events group: root listens until SIGINT, then
# exits 0 (--preserve-status: timeout's own 124 would hide that); nobody may not
timeout --preserve-status -s INT 2 "$safectl" monitor >"$out/monitor.out" 2>"$out/monitor.err"
rc=$?
ktap_diag "monitor as root: exit $rc: $(head -c 300 "$out/monitor.err")"
[ $rc = 0 ] && [ ! -s "$out/monitor.err" ]
ktap_result $? "monitor: joins the events group and stops cleanly on SIGINT (exit 0, no error)"
setpriv --reuid=65534 --regid=65534 --clear-groups "$safectl" monitor \
	>"$out/monitor-nobody.out" 2>"$out/monitor-nobody.err"
rc=$?
[ $rc = 1 ] && grep -q 'needs CAP_NET_ADMIN' "$out/monitor-nobody.err"
ktap_result $? "monitor without CAP_NET_ADMIN: exit 1, says it needs CAP_NET_ADMIN"

rig_unload_safeline >/dev/null || ktap_diag "could not unload safeline.ko"
[ "$RIG_NFAIL" -eq 0 ]
