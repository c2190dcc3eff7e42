#!/bin/sh
# test-safectl-cli: every command of safectl's command table, as a user meets
# it (KTAP): --help exits 0; usage errors exit 2 with "safectl: ..." on stderr
# and nothing on stdout; operational failures exit 1 (no module, no agent, an
# agent that refuses or talks nonsense, unreadable or unwritable files); -j
# output parses as JSON (python3 -m json.tool) and says what the text says.
# A stand-in agent (python3, on a socket in a temporary directory) answers
# the control-socket requests; the real safelined with safectl is
# test-agent-daemon's part, the real module the rig's. Also: every command
# and option is in safectl.8 and in the bash completion, and the policies the
# completion offers are exactly the uapi header's.
# Usage: test-safectl-cli.sh REPO BUILD
set -u

repo=${1:?usage: $0 REPO BUILD} build=${2:?usage: $0 REPO BUILD}
cd "$repo" || exit 1
PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C

tmp=$(mktemp -d)
agents=""
cleanup() {
	for pid in $agents; do kill "$pid" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
safectl=$build/safectl
man=agent/man/safectl.8
completion=agent/completion/safectl.bash

n=0
: > "$tmp/results"
ok() { n=$((n + 1)); echo "ok $n $1" >> "$tmp/results"; }
fail() { n=$((n + 1)); echo "not ok $n $1" >> "$tmp/results"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2" >> "$tmp/results"; }
diag() { sed 's/^/# /' >> "$tmp/results"; }
result() {	# RC DESC: ok when RC is 0, else the last run's output as diagnostics
	if [ "$1" = 0 ]; then ok "$2"; else
		{ echo "exit $rc"; echo "stdout:"; head -c 600 "$tmp/out"; echo "stderr:";
		  head -c 600 "$tmp/err"; } | diag
		fail "$2"
	fi
}

# run ARG...: safectl with ARG..., exit status in $rc, output in $tmp/out and $tmp/err
run() {
	"$safectl" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	rc=$?
}
is_json() { python3 -m json.tool "$1" > /dev/null 2>&1; }
# json_lines FILE: every line a JSON value of its own
json_lines() {
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$1" 2> /dev/null
}
# expect_usage DESC ARG...: exit 2, nothing on stdout, "safectl: " on stderr
expect_usage() {
	d=$1
	shift
	run "$@"
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q '^safectl: ' "$tmp/err"
	result $? "exit 2: $d (safectl $*)"
}
# expect_failure DESC PATTERN ARG...: exit 1, PATTERN on stderr
expect_failure() {
	d=$1 p=$2
	shift 2
	run "$@"
	[ $rc = 1 ] && grep -q "$p" "$tmp/err"
	result $? "exit 1: $d (safectl $*)"
}

commands=$("$safectl" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }
	on && /^$/ { exit }')
ncommands=$(echo $commands | wc -w)

# --- the command table: man page and completion ------------------------------

sed -n '/^\.SH COMMANDS/,/^\.SH [A-Z]/p' "$man" > "$tmp/cmdsec"
documented() { grep -Eq "^\.BR? \"?$1( |\"|$)" "$tmp/cmdsec"; }
missing=""
for c in $commands; do documented "$c" || missing="$missing $c"; done
if [ "$ncommands" -ge 12 ] && [ -z "$missing" ] && ! documented no-such-command; then
	ok "man: safectl.8 documents all $ncommands commands (control: a made-up one is not)"
else
	fail "man: safectl.8 misses:${missing:- (no commands parsed)}"
fi

# every option of every command's usage, written as man writes it (\-\-law)
usage_options() {
	"$safectl" "$1" --help 2>&1 | awk 'NR == 1 || /^ +(safectl|\[)/ { print; next } { exit }' |
		grep -oE -- '(^|[[ |])--?[a-zA-Z][a-z-]*' | tr -d ' [|' | sort -u
}
missing="" count=0
for c in $commands; do
	for o in $(usage_options "$c"); do
		count=$((count + 1))
		grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$man" || missing="$missing $c:$o"
	done
done
if [ "$count" -gt 10 ] && [ -z "$missing" ]; then
	ok "man: safectl.8 names all $count options of the commands' usages"
else
	fail "man: safectl.8 misses options:$missing"
fi

. tests/unit/completion.sh
got=$(complete_line "$safectl" "" | tr '\n' ' ')
[ "$ncommands" -ge 12 ] && [ "$(echo $got)" = "$(echo $commands)" ]
rc=$?
[ $rc = 0 ] || echo "completion: '$got'; table: '$(echo $commands)'" | diag
result $rc "completion: offers the $ncommands commands of the table"

missing=""
for c in $commands; do
	offered=" $(complete_line "$safectl" "$c" - | tr '\n' ' ') "
	for o in $(usage_options "$c"); do
		case $offered in *" $o "*) ;; *) missing="$missing $c:$o" ;; esac
	done
done
[ -z "$missing" ]
rc=$?
[ $rc = 0 ] || echo "not offered:$missing" | diag
result $rc "completion: offers every option of every command's usage"

# the policies: the uapi header's enum, in its order, and nothing else
want=$(sed -n 's/^\tSAFELINE_POLICY_\([A-Z]*\),.*/\1/p' kernel/uapi/linux/safeline.h |
	tr 'A-Z' 'a-z' | tr '\n' ' ')
got=$(complete_line "$safectl" policy set 3 "" | tr '\n' ' ')
case " $want " in *" verify "*) has_verify=0 ;; *) has_verify=1 ;; esac
[ "$got" = "$want" ] && [ $has_verify = 0 ]
rc=$?
[ $rc = 0 ] || echo "completion: '$got'; uapi: '$want'" | diag
result $rc "completion: 'policy set N' offers the uapi header's policies ($(echo $want))"
got=$(complete_line "$safectl" filter --law ulaw --mode "" | tr '\n' ' ')
[ "$got" = "suppress strict detect pass " ] &&
	[ "$(complete_line "$safectl" monitor "")" = "" ] &&
	[ "$(complete_line "$safectl" policy "" | tr '\n' ' ')" = "show set " ]
rc=$?
[ $rc = 0 ] || echo "filter --mode: '$got'" | diag
result $rc "completion: option values from the usage, policy actions, nothing after monitor"

# --- --help and usage errors: every command ----------------------------------

bad=""
for c in $commands; do
	run "$c" --help
	[ $rc = 0 ] && grep -q '^Usage: safectl' "$tmp/out" && [ ! -s "$tmp/err" ] || bad="$bad $c"
done
[ -z "$bad" ]
result $? "exit 0: 'COMMAND --help' prints the usage on stdout for all $ncommands commands${bad:+ (not:$bad)}"

bad=""
for c in $commands; do
	run "$c" --no-such-option
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q "^safectl: $c: " "$tmp/err" || bad="$bad $c"
done
[ -z "$bad" ]
result $? "exit 2: an unknown option, for all $ncommands commands${bad:+ (not:$bad)}"

for c in status version calls report wipe reload monitor filter; do
	expect_usage "$c takes no operand" "$c" extra
done
expect_usage "channels takes one operand" channels 1 2
expect_usage "a channel is a number" channels one
expect_usage "unknown policy action" policy frob
expect_usage "policy set without a policy" policy set 3
expect_usage "policy set with a made-up policy" policy set 3 bogus
expect_usage "policy set with a range the wrong way round" policy set 5-3 pass
expect_usage "reset-counters with a range the wrong way round" reset-counters 5-3
expect_usage "filter with an unknown law" filter --law mulaw
expect_usage "analyze without a file" analyze
expect_usage "help for an unknown command" help bogus
expect_usage "an unknown command" bogus
expect_usage "an unknown global option" --bogus

# --- operational failures: exit 1 -------------------------------------------

export SAFELINE_SOCKET="$tmp/no-agent.sock"
if [ -e /sys/module/safeline ]; then
	skip "kernel commands without the module" "safeline.ko is loaded here"
elif modprobe -n -q net-pf-16-proto-16-family-safeline 2>/dev/null; then
	skip "kernel commands without the module" "safeline.ko is installed: they would load it"
else
	bad=""
	for args in status channels "channels 3" policy "policy set 3 verify" \
		"policy set default strict" reset-counters "reset-counters 1-4" monitor "-j monitor"; do
		run $args
		[ $rc = 1 ] && grep -q 'safeline module not loaded' "$tmp/err" || bad="$bad '$args'"
	done
	[ -z "$bad" ] && [ ! -e /sys/module/safeline ]
	result $? "exit 1: every kernel command says 'module not loaded' (policy set accepts verify)${bad:+; not:$bad}"
fi

if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$safectl" monitor \
		> "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q 'needs CAP_NET_ADMIN' "$tmp/err"
	result $? "exit 1: monitor without CAP_NET_ADMIN says it needs it (as nobody)"
else
	skip "monitor without CAP_NET_ADMIN" "needs root to run as nobody"
fi
for c in calls report wipe "wipe --all" reload; do
	expect_failure "no agent" "safelined is not running" $c
done
run status
grep -qx 'agent: not running' "$tmp/out" && ! grep -q agent "$tmp/err"
result $? "status: no agent is a state, not an error ('agent: not running')"

expect_failure "a missing recording" "safectl: analyze: /nonexistent" analyze /nonexistent/x.ulaw
head -c 8000 /dev/zero > "$tmp/silence.ulaw"
"$safectl" filter < "$tmp/silence.ulaw" > /dev/full 2> "$tmp/err"
rc=$?
[ $rc = 1 ] && grep -q 'safectl: filter: writing stdout' "$tmp/err"
result $? "exit 1: filter cannot write its output (stdout /dev/full)"
"$safectl" filter < "$tmp/silence.ulaw" > "$tmp/out" 2> "$tmp/err"
rc=$?
[ $rc = 0 ] && cmp -s "$tmp/out" "$tmp/silence.ulaw"
result $? "exit 0: filter passes silence through unchanged (control)"

# --- a stand-in agent: success, JSON, refusals -------------------------------

cat > "$tmp/agent.py" <<'EOF'
import os, socket, sys
path, mode = sys.argv[1], sys.argv[2]
replies = {
    "status": "connected=no module_version=- rows=2 corrupt=0 days=1 resolution=minute"
              " max_age_s=3600 wipe_times=1 next_wipe=1795363200 wipe_on_stop=no\n",
    "calls": "id=0123456789abcdef0123456789abcdef channel=25 direction=in answered=yes"
             " ring_s=1795363200 answer_s=1795363210 end_s=1795363270 fsk=1 dtmf=0"
             " alert=1 onhook=0\n"
             "id=fedcba9876543210fedcba9876543210 channel=7 direction=a\"b\\c answered=no"
             " ring_s=1795363300 answer_s=0 end_s=1795363330 fsk=0 dtmf=1 alert=0"
             " onhook=12\n",
    "report": "date=2026-11-22 calls=2 answered=1 missed=1 total_s=60 mean_s=60\n"
              "date=2026-11-21 calls=1234 answered=1000 missed=234 total_s=987654 mean_s=987\n",
    "wipe expired": "rows_wiped=0 days_wiped=0 rows_kept=2 days_kept=1\n",
    "wipe all": "rows_wiped=2 days_wiped=1 rows_kept=0 days_kept=0\n",
    "reload": "",
}
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(8)
open(path + ".ready", "w").close()
while True:
    c, _ = s.accept()
    req = b""
    while not req.endswith(b"\n"):
        b = c.recv(256)
        if not b:
            break
        req += b
    req = req.decode().strip()
    if mode == "refuse":
        c.sendall(b"error permission denied\n")
    elif mode == "garbage":
        c.sendall(b"hello\n")
    elif req in replies:
        c.sendall(("ok\n" + replies[req]).encode())
    else:
        c.sendall(b"error unknown request\n")
    c.close()
EOF
start_agent() {	# MODE: sets SAFELINE_SOCKET to a stand-in agent answering in MODE
	SAFELINE_SOCKET=$tmp/$1.sock
	python3 "$tmp/agent.py" "$SAFELINE_SOCKET" "$1" 2> "$tmp/agent-$1.err" &
	agents="$agents $!"
	i=0
	while [ ! -e "$SAFELINE_SOCKET.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

start_agent ok
bad=""
for args in calls report wipe "wipe --all" reload; do
	run $args
	[ $rc = 0 ] && [ -s "$tmp/out" ] && [ ! -s "$tmp/err" ] || bad="$bad '$args'"
	run -j $args
	[ $rc = 0 ] && is_json "$tmp/out" || bad="$bad '-j $args'"
	run -j -p $args
	[ $rc = 0 ] && is_json "$tmp/out" && [ "$(wc -l < "$tmp/out")" -gt 1 ] || bad="$bad '-j -p $args'"
done
[ -z "$bad" ]
result $? "exit 0 and valid JSON (-j, -j -p) from calls, report, wipe, wipe --all, reload${bad:+; not:$bad}"

run -j calls
python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
assert len(c) == 2 and c[0]["answered"] is True and c[1]["answered"] is False
assert c[1]["direction"] == "a\"b\\c" and c[0]["channel"] == 25 and c[1]["onhook"] == 12
' "$tmp/out" 2>> "$tmp/err"
result $? "-j calls: booleans, numbers, and a quote and backslash kept intact"
run calls
# the table: header and two rows, every column starting where its header does
awk 'NR == 1 { for (i = 1; i <= NF; i++) { h[i] = index($0, $i) } next }
	{ if (index($0, $1) != h[1] || substr($0, h[3], 1) == " ") bad = 1 }
	END { exit bad || NR != 3 }' "$tmp/out" && ! grep -q ' $' "$tmp/out"
result $? "calls: an aligned table, header and 2 rows, no trailing blanks"
run report
[ "$(awk '{ print length($0) }' "$tmp/out" | sort -u | wc -l)" = 1 ] &&
	[ "$(wc -l < "$tmp/out")" = 3 ] && grep -q ' 1234 ' "$tmp/out"
result $? "report: right-aligned numbers make every line the same width"
run -j report
python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
assert r[0] == {"date": "2026-11-22", "calls": 2, "answered": 1, "missed": 1,
                "total_s": 60, "mean_s": 60}, r[0]
' "$tmp/out" 2>> "$tmp/err"
result $? "-j report: the date a string, the counts numbers"
run wipe --all
[ $rc = 0 ] && grep -qx 'call records wiped: 2' "$tmp/out"
result $? "wipe --all: says what was wiped"
run -j reload
[ $rc = 0 ] && [ "$(cat "$tmp/out")" = '{"reloaded":true}' ]
result $? "-j reload: {\"reloaded\":true}"

run -j status
python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
a = s["agent"]
assert a["running"] is True and a["rows"] == 2 and a["connected"] is False
assert a["resolution"] == "minute" and a["wipe_on_stop"] is False
' "$tmp/out" 2>> "$tmp/err"
result $? "-j status: the agent object from the agent's record, valid JSON whatever the module"
run status
grep -qx 'agent: running' "$tmp/out" && grep -qx 'agent call records: 2' "$tmp/out"
result $? "status: the agent section in text"

start_agent refuse
for args in calls report "wipe --all" reload; do
	expect_failure "the agent refuses" "safelined: permission denied" $args
done
run -j status
grep -qx 'safectl: status: agent: permission denied' "$tmp/err" && is_json "$tmp/out" &&
	python3 -c 'import json, sys
a = json.load(open(sys.argv[1]))["agent"]
assert a == {"running": True, "error": "permission denied"}, a' "$tmp/out"
[ $? = 0 ] && [ $rc = 1 ]
result $? "exit 1: -j status with a refusing agent: error on stderr and in the JSON"
start_agent garbage
expect_failure "the agent talks nonsense" "malformed reply" report

# --- JSON from the commands that need neither module nor agent ----------------

bad=""
for args in "-j version" "-j -p version" "version -j" "analyze -j $tmp/silence.ulaw" \
	"-j -p analyze $tmp/silence.ulaw"; do
	run $args
	[ $rc = 0 ] && is_json "$tmp/out" || bad="$bad '$args'"
done
[ -z "$bad" ]
result $? "exit 0 and valid JSON: version, analyze (-j before or after the command)${bad:+; not:$bad}"
run -j analyze "$tmp/silence.ulaw"
[ "$(cat "$tmp/out")" = "[]" ]
result $? "-j analyze of silence: an empty array (control for the spill tests)"

echo "KTAP version 1"
echo "1..$n"
cat "$tmp/results"
! grep -q '^not ok' "$tmp/results"
