#!/bin/bash
# safeline.ko suppresses caller ID: with it loaded, neither the PBX behind an FXO port nor the
# phone behind an FXS port recovers a digit, for every standard linesim sends and both laws;
# `safectl policy set ... pass` lets the number through at once on just that channel, and
# only root may change a policy.
#
#   inbound   carrier (linesim)                       PBX (linesim decodes, as chan_dahdi)
#             fxoks  1 .. 21  --ring, CID spill-->    fxsks 25 .. 45  = our FXO ports:
#                                                     muted in receive, before DAHDI reads it
#   outbound  PBX (linesim sends, as chan_dahdi)      phone (linesim decodes)
#             fxoks  1 .. 21 = our FXS ports: muted in transmit, after DAHDI wrote it
#                            --ring, MDMF spill-->    fxsks 25 .. 45
#
# Both directions cross the same loc wire, so each run sets the other end of every pair to
# pass: inbound runs judge the FXO ports' receive mute alone, outbound the FXS ports' transmit
# mute alone. Order: baseline (not loaded) and a decode control without safeline.ko; load
# (default policy suppress); inbound, 5 standards x 2 laws, and the spill counters; outbound,
# both laws; one pair set to pass and one to detect decode while the others still suppress;
# strict mutes idle on-hook audio; EPERM for an unprivileged write; malformed requests
# refused with the attribute named; ENOENT for a channel that does not exist; dmesg without
# digit runs.
# Numbers live only in linesim's memory: everything printed here is counts and kinds.
. "$RIG_LIB"

rig_require_safeline
ktap_plan 38

safectl=$BUILD/safectl
linesim=$BUILD/linesim
hdr=$SAFELINE_ROOT/kernel/uapi/linux/safeline.h
STANDARDS="bell202-sdmf bell202-mdmf v23 v23-dtas dtmf"
IN_CALLS=6	# per standard and law, all ten jobs sharing pairs 1..21
OUT_CALLS=10	# per law

t0=$(rig_uptime_cs)

# calls NAME NJOBS LINESIM-ARGS...: rig_calls, then one result for the run itself
calls() {
	local name=$1 njobs=$2 start ok
	start=$(rig_uptime_cs)
	rig_calls "$@"
	ok=$?
	start=$(($(rig_uptime_cs) - start))
	ktap_result $ok "$name: linesim exit $RIG_CALLS_EXIT, $RIG_CALLS_VERDICTS of $njobs jobs reported ($((start / 100)).$((start % 100 / 10)) s)"
}

# ktap_say DESC CMD...: like ktap_check, but its output is always shown (figures for the docs)
# set_policy TARGET POLICY...: safectl policy set, each pair of arguments in turn
set_policy() {
	while [ $# -ge 2 ]; do
		"$safectl" policy set "$1" "$2" || return 1
		shift 2
	done
}

# policies: "channel policy" lines of every analog channel, from safectl policy show -j
policies() {
	"$safectl" -j policy show | python3 -c 'import json, sys
d = json.load(sys.stdin)
print("default", d["default"])
for c in d["channels"]:
    if c["role"] != "none":
        print(c["channel"], c["policy"])'
}

# policy_of CHAN: that channel's policy now
policy_of() { policies | awk -v c="$1" '$1 == c { print $2 }'; }

# genl ACTION ARGS: the kernel's side over a raw generic netlink socket, with names and numbers
# read from the uapi header (so this checks the protocol itself, not safectl):
#   counters FIRST LAST  spill and mute counters summed over channels FIRST..LAST (GET_CHANNEL
#                        dump), as "seizure message jclip alert dtmf muted"
#   malformed CHAN       bad SET_POLICY requests naming CHAN: each must fail with EINVAL and,
#                        where safeline words it, an extack message naming the attribute
GENL=/tmp/suppress-genl.py
rig_genl_py $GENL <<'PYTHON'
C, P = enum('safeline_channel_attr'), enum('safeline_policy_attr')
if sys.argv[2] == 'counters':
    kinds = ['SPILLS_FSK_SEIZURE', 'SPILLS_FSK_MESSAGE', 'SPILLS_FSK_JCLIP', 'SPILLS_ALERT',
             'SPILLS_DTMF', 'MUTED_CHUNKS']
    tot = [0] * len(kinds)
    for m in ask(fam, CMD['SAFELINE_CMD_GET_CHANNEL'], 0x300)[2]:
        ch = struct.unpack('I', m[C['SAFELINE_CHANNEL_A_CHANNO']])[0]
        if int(sys.argv[3]) <= ch <= int(sys.argv[4]):
            for i, k in enumerate(kinds):
                tot[i] += struct.unpack('Q', m[C['SAFELINE_CHANNEL_A_' + k]])[0]
    print(*tot)
    sys.exit(0)
chan = struct.pack('I', int(sys.argv[3]))
a = lambda name, data: attr(P['SAFELINE_POLICY_A_' + name], data)
cases = [  # what, request, text the extack must hold ('' where genl words it itself)
    ('policy out of range', a('CHANNO', chan) + a('POLICY', u8(9)), 'SAFELINE_POLICY_A_POLICY'),
    ('no policy', a('CHANNO', chan), 'SAFELINE_POLICY_A_POLICY'),
    ('default with a channel', a('DEFAULT', b'') + a('CHANNO', chan) + a('POLICY', u8(0)),
     'SAFELINE_POLICY_A_CHANNO'),
    ('no target', a('POLICY', u8(0)), 'SAFELINE_POLICY_A_CHANNO'),
    ('range backwards', a('CHANNO', chan) + a('CHANNO_LAST', struct.pack('I', 1)) +
     a('POLICY', u8(0)), 'SAFELINE_POLICY_A_CHANNO_LAST'),
    ('reply attribute', a('CHANNO', chan) + a('POLICY', u8(0)) + a('COUNT', chan),
     'SAFELINE_POLICY_A_COUNT'),
    ('unknown attribute', a('CHANNO', chan) + a('POLICY', u8(0)) + attr(60, chan), ''),
    ('policy as u32', a('CHANNO', chan) + a('POLICY', struct.pack('I', 0)), ''),
]
bad = 0
for what, req, want in cases:
    err, msg, _ = ask(fam, CMD['SAFELINE_CMD_SET_POLICY'], 0, req)
    ok = err == 22 and want in msg
    bad += not ok
    print('%s: errno %d, extack "%s"%s' % (what, err, msg, '' if ok else '  <- wrong'))
sys.exit(bad != 0)
PYTHON
genl() { python3 "$GENL" "$hdr" "$@"; }
counters() { genl counters "$@"; }

read -r fxs1 fxo1 < <(rig_pair 1)
read -r fxs21 fxo21 < <(rig_pair 21)
read -r fxs23 fxo23 < <(rig_pair 23)

# 1: baseline
preloaded=0
[ -d /sys/module/safeline ] && rig_unload_safeline && preloaded=1
rig_dmesg_mark suppress
baseline() {
	[ ! -d /sys/module/safeline ] || { echo "safeline.ko is loaded"; return 1; }
	[ -x "$linesim" ] && [ -x "$safectl" ] || { echo "linesim or safectl missing"; return 1; }
	[ "$fxs1:$fxo1 $fxs21:$fxo21" = "1:25 21:45" ] || { echo "pairs: $RIG_PAIRS"; return 1; }
}
ktap_check "baseline: safeline.ko not loaded, pairs 1:25 .. 21:45 wired" baseline

# 2-8: control without safeline.ko: the far end decodes (baseline.sh measures it in full)
calls control 6 --expect decode --min-percent 100 --dir in --calls 3 \
	--std bell202-sdmf --law ulaw --pairs 1-3 \
	--and --std bell202-mdmf --law alaw --pairs 4-6 \
	--and --std v23 --law ulaw --pairs 7-9 \
	--and --std v23-dtas --law alaw --pairs 10-12 \
	--and --std dtmf --law ulaw --pairs 13-15 \
	--and --std bell202-mdmf --law alaw --dir out --pairs 16-18

# 9-10: load; the fail-closed default
out=$(rig_load_safeline 2>&1)
ktap_result $? "load: modprobe safeline"
[ -z "$out" ] || ktap_diag "$out"
sleep 0.3	# every channel ticked, so every one is listed
default_ok() {
	local p
	p=$(policies) || return 1
	echo "$p" | awk '$1 == "default" { d = $2; next } { n++; if ($2 != "suppress") bad++ }
		END { print "default " d ", " n " analog channels, " bad + 0 " not suppressing";
		exit !(d == "suppress" && n == 46 && !bad) }'
}
ktap_check "policy show: default suppress, all 46 analog channels suppress" default_ok

# 11-23: inbound. The FXS ports (senders) pass, so only the FXO ports' receive mute acts.
ktap_check "policy set $fxs1-$fxs23 pass: senders' transmit untouched" \
	set_policy "$fxs1-$fxs23" pass
jobs=()
for law in ulaw alaw; do
	for std in $STANDARDS; do
		[ ${#jobs[@]} = 0 ] || jobs+=(--and)
		jobs+=(--std "$std" --law "$law")
	done
done
calls inbound 10 --dir in --pairs 1-21 --calls $IN_CALLS --expect none --max-leak 0 "${jobs[@]}"
counts_in() {
	local fxo fxs
	fxo=($(counters "$fxo1" "$fxo21")) && fxs=($(counters "$fxs1" "$fxs21")) || return 1
	echo "FXO $fxo1..$fxo21 spills: fsk-seizure ${fxo[0]} fsk-message ${fxo[1]}" \
		"fsk-jclip ${fxo[2]} alert ${fxo[3]} dtmf ${fxo[4]}; muted chunks ${fxo[5]}"
	echo "FXS $fxs1..$fxs21 (pass): spills $((fxs[0] + fxs[1] + fxs[2] + fxs[3] + fxs[4]))," \
		"muted chunks ${fxs[5]}"
	# FSK spills: sdmf, mdmf, v23 (v23-dtas opens on its alert tone) in both laws
	[ $((fxo[0] + fxo[1])) -ge $((6 * IN_CALLS)) ] && [ "${fxo[3]}" -ge $((2 * IN_CALLS)) ] &&
		[ "${fxo[4]}" -ge $((2 * IN_CALLS)) ] && [ "${fxo[5]}" -gt 0 ] &&
		[ "${fxs[5]}" = 0 ] && [ $((fxs[0] + fxs[1] + fxs[2] + fxs[3] + fxs[4])) = 0 ]
}
ktap_say "counters: the FXO ports counted every inbound spill by kind; pass ports none" \
	counts_in

# 24-27: outbound. The FXO ports (listeners) pass; the FXS ports' transmit mute acts alone.
ktap_check "policy set $fxo1-$fxo23 pass, $fxs1-$fxs23 suppress" \
	set_policy "$fxo1-$fxo23" pass "$fxs1-$fxs23" suppress
calls outbound 2 --dir out --std bell202-mdmf --pairs 1-21 --calls $OUT_CALLS \
	--expect none --max-leak 0 --law ulaw --and --law alaw

# 28-33: pair 1 passes, pair 2 only detects, pairs 3..21 still suppress, from the very first
# call after the change; detect counts the spills it lets through
read -r fxs2 fxo2 < <(rig_pair 2)
ktap_check "policy set: all suppress, then pair $fxs1:$fxo1 pass, pair $fxs2:$fxo2 detect" \
	set_policy "$fxs1-$fxs23" suppress "$fxo1-$fxo23" suppress "$fxs1" pass "$fxo1" pass \
	"$fxs2" detect "$fxo2" detect
before=($(counters "$fxo2" "$fxo2"))
calls pass 3 --dir in --std bell202-mdmf --law ulaw \
	--pairs 1 --calls 2 --expect decode --min-percent 100 \
	--and --pairs 2 --label detect \
	--and --pairs 3-21 --calls 19 --expect none --max-leak 0 --label suppress
detect_counts() {
	local after
	after=($(counters "$fxo2" "$fxo2")) || return 1
	echo "FXO $fxo2 (detect): fsk-seizure spills ${before[0]} -> ${after[0]}," \
		"muted chunks ${before[5]} -> ${after[5]}"
	[ $((after[0] - before[0])) -ge 2 ] && [ "${after[5]}" = "${before[5]}" ]
}
ktap_say "detect: pair $fxs2:$fxo2 counted the spills it let through and muted nothing" \
	detect_counts

# 34: strict mutes an idle FXO port's on-hook audio; suppress (the control) does not
muted_idle() {
	local a b
	a=($(counters "$fxo1" "$fxo21")) && sleep 1 && b=($(counters "$fxo1" "$fxo21")) &&
		echo $((b[5] - a[5]))
}
strict_idle() {
	local sup strict
	set_policy "$fxo1-$fxo23" suppress >/dev/null && sup=$(muted_idle) &&
		set_policy "$fxo1-$fxo23" strict >/dev/null && strict=$(muted_idle) &&
		set_policy "$fxo1-$fxo23" suppress >/dev/null || return 1
	echo "idle FXO $fxo1..$fxo21 over 1 s: $sup chunks muted under suppress," \
		"$strict under strict"
	[ "$sup" = 0 ] && [ "$strict" -ge $((21 * 500)) ]
}
ktap_say "strict: idle on-hook FXO ports muted (suppress, the control: nothing)" strict_idle

# 35: only CAP_NET_ADMIN may write (safectl as nobody, no groups)
eperm() {
	local err rc before
	before=$(policy_of "$fxo21")
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$safectl" policy set "$fxo21" pass 2>&1)
	rc=$?
	echo "as uid 65534: exit $rc: $err"
	echo "channel $fxo21: $before before, $(policy_of "$fxo21") after"
	[ $rc = 1 ] && [[ $err == *"Operation not permitted"* ]] &&
		[ "$before" = suppress ] && [ "$(policy_of "$fxo21")" = suppress ]
}
ktap_say "unprivileged policy set: EPERM, exit 1, policy unchanged" eperm

# 36: malformed requests: refused, the attribute named, nothing changed
malformed() {
	genl malformed "$fxo21" || return 1
	echo "channel $fxo21: $(policy_of "$fxo21") after"
	[ "$(policy_of "$fxo21")" = suppress ]
}
ktap_say "malformed SET_POLICY: 8 kinds refused with EINVAL, extack names the attribute" \
	malformed

# 37: a channel that does not exist
enoent() {
	local err rc
	err=$("$safectl" policy set 999 pass 2>&1)
	rc=$?
	echo "policy set 999: exit $rc: $err"
	[ $rc = 1 ] && [[ $err == *"No such channel"*"kernel: SAFELINE_POLICY_A_CHANNO"* ]]
}
ktap_say "policy set 999: ENOENT, exit 1, the kernel's reason on stderr" enoent

rig_unload_safeline >/dev/null || ktap_diag "could not unload safeline.ko"
[ $preloaded = 0 ] || rig_load_safeline >/dev/null || ktap_diag "could not load it again"

# 38: the kernel log: no oops, and no run of 4 digits in a safeline line (timestamps cut)
ktap_say "dmesg: no BUG/WARNING/Oops, no digit runs in safeline lines" rig_dmesg_ok suppress

t0=$(($(rig_uptime_cs) - t0))
ktap_diag "suppress.sh took $((t0 / 100)).$((t0 % 100 / 10)) s (guest time)"
ktap_finish
