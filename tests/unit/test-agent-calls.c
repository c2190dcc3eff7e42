// SPDX-License-Identifier: GPL-2.0
/*
 * safelined's event path without a kernel: hand-built netlink datagrams
 * (tests/unit/nlbuild.h) through event-parse.c into the call assembler
 * (calls.c) and, at the end, into a real store on tmpfs. Each rejection is
 * paired with the well-formed message it was cut from (the control), so a
 * parser that rejected everything would fail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/safelined/calls.h"
#include "agent/safelined/event-parse.h"
#include "agent/safelined/manager.h"
#include "agent/safelined/store.h"
#include "tests/unit/ktap.h"
#include "tests/unit/nlbuild.h"

#define FAM 0x20
#define SEC 1000000000ULL
#define BOOT0 (1000 * SEC)		/* CLOCK_BOOTTIME of the first event */
#define WALL0 1790000000LL		/* the wall-clock second it maps to */
#define OFFSET ((int64_t)(WALL0 * (int64_t)SEC - (int64_t)BOOT0))

static struct ktap k;

/* what came out of the parser and of the assembler */
static struct kernel_event evs[64];
static size_t n_evs;
static int family_changes[8];
static size_t n_family;
static struct call_event calls_out[64];
static size_t n_calls;
static struct calls *asm_;
static bool to_assembler;

static void on_event(const struct kernel_event *ev, void *data)
{
	if (n_evs < 64)
		evs[n_evs++] = *ev;
	if (to_assembler)
		calls_feed(asm_, ev, OFFSET);
}

static void on_family(bool added, void *data)
{
	if (n_family < 8)
		family_changes[n_family++] = added;
}

static int on_call(const struct call_event *ev, void *data)
{
	if (n_calls < 64)
		calls_out[n_calls++] = *ev;
	return 0;
}

static struct event_sink sink = { .family = FAM, .event = on_event, .family_change = on_family };
static struct nlbuf m;
static uint64_t seq;

static void reset(void)
{
	calls_free(asm_);
	if (calls_new(&asm_, on_call, NULL) < 0)
		abort();
	n_evs = n_calls = n_family = 0;
	sink.malformed = 0;
	m.len = 0;
	seq = 0;
	to_assembler = true;
}

/* parses what m holds as one datagram, then empties m */
static void deliver(void)
{
	event_parse_datagram(&sink, m.b, m.len);
	m.len = 0;
}

/* one event of type at BOOT0 + ms on channel c, sent now */
static void ev(uint8_t type, uint64_t ms, uint32_t c)
{
	nl_event(&m, FAM, type, ++seq, BOOT0 + ms * 1000000ULL, c);
	deliver();
}

static void spill(uint64_t ms, uint32_t c, uint8_t kind, uint8_t muted)
{
	nl_spill(&m, FAM, ++seq, BOOT0 + ms * 1000000ULL, c, kind, muted);
	deliver();
}

static uint64_t at(uint64_t ms)
{
	return BOOT0 + ms * 1000000ULL;
}

/* --- the parser ---------------------------------------------------------- */

static void test_parse_good(void)
{
	reset();
	to_assembler = false;
	nl_event(&m, FAM, SAFELINE_EVENT_RING_BEGIN, 7, at(5), 25);
	nl_spill(&m, FAM, 8, at(6), 25, SAFELINE_SPILL_DTMF, 1);
	nl_event_head(&m, FAM, SAFELINE_EVENT_HANGUP, 9, at(7), 3, SAFELINE_ROLE_FXS_PORT);
	nl_u32(&m, SAFELINE_EVENT_A_DROPPED, 4);
	nl_end(&m);
	deliver();
	ktap_ok(&k, n_evs == 3 && sink.malformed == 0, "parse: a datagram of 3 events gives 3 (got %zu, malformed %llu)",
		n_evs, (unsigned long long)sink.malformed);
	ktap_ok(&k, n_evs == 3 && evs[0].type == SAFELINE_EVENT_RING_BEGIN && evs[0].seq == 7 &&
		evs[0].time_ns == at(5) && evs[0].channo == 25 && evs[0].spanno == 2 &&
		evs[0].role == SAFELINE_ROLE_FXO_PORT && evs[0].policy == SAFELINE_POLICY_SUPPRESS &&
		evs[0].dropped == 0, "parse: every attribute of a ring event read back");
	ktap_ok(&k, n_evs == 3 && evs[1].spill_kind == SAFELINE_SPILL_DTMF && evs[1].spill_muted == 1 &&
		evs[1].duration_ms == 600 && evs[2].dropped == 4 &&
		evs[2].role == SAFELINE_ROLE_FXS_PORT, "parse: spill attributes and DROPPED read back");
}

/* builds a RING_BEGIN with one thing wrong, selected by how */
static void bad_event(int how)
{
	uint16_t u16 = 25;

	nl_begin(&m, FAM, how == 6 ? SAFELINE_CMD_GET_STATUS : SAFELINE_CMD_EVENT);
	nl_u8(&m, SAFELINE_EVENT_A_TYPE, how == 7 ? 0 : SAFELINE_EVENT_RING_BEGIN);
	if (how != 1)
		nl_u64(&m, SAFELINE_EVENT_A_SEQ, 1);
	nl_u64(&m, SAFELINE_EVENT_A_TIME_NS, at(1));
	if (how == 2)
		nl_put(&m, SAFELINE_EVENT_A_CHANNO, &u16, 2);
	else
		nl_u32(&m, SAFELINE_EVENT_A_CHANNO, 25);
	if (how == 3)
		nl_u32(&m, SAFELINE_EVENT_A_CHANNO, 26);
	nl_u32(&m, SAFELINE_EVENT_A_SPANNO, 3);
	nl_u8(&m, SAFELINE_EVENT_A_ROLE, SAFELINE_ROLE_FXO_PORT);
	nl_u8(&m, SAFELINE_EVENT_A_POLICY, 2);
	if (how == 8)
		nl_u32(&m, 200, 1);	/* an attribute from a newer module: ignored */
	nl_end(&m);
	if (how == 4)	/* the last attribute claims more than the message holds */
		((struct nlattr *)(m.b + m.len - 8))->nla_len = 64;
	if (how == 5)	/* the message claims more than the datagram holds */
		((struct nlmsghdr *)m.b)->nlmsg_len += 64;
}

static void test_parse_bad(void)
{
	static const char *const what[] = {
		"control: the same event well formed",
		"SEQ missing", "CHANNO as 2 bytes", "CHANNO twice",
		"attribute longer than its message", "message longer than its datagram",
		"wrong command on the family", "TYPE 0 (unspec)",
		"control: an unknown newer attribute is ignored",
	};
	int how;

	for (how = 0; how <= 8; how++) {
		bool want = how == 0 || how == 8;

		reset();
		bad_event(how);
		deliver();
		ktap_ok(&k, want ? n_evs == 1 && sink.malformed == 0 && n_calls == 0 &&
				   calls_open(asm_) == 1 :
				   n_evs == 0 && sink.malformed == 1 && calls_open(asm_) == 0,
			"parse: %s -> %s (events %zu, malformed %llu)", what[how],
			want ? "accepted" : "rejected, nothing assembled", n_evs,
			(unsigned long long)sink.malformed);
	}

	reset();
	nl_event_head(&m, FAM, SAFELINE_EVENT_SPILL, 1, at(1), 25, SAFELINE_ROLE_FXO_PORT);
	nl_u8(&m, SAFELINE_EVENT_A_SPILL_MUTED, 1);
	nl_u32(&m, SAFELINE_EVENT_A_DURATION_MS, 10);
	nl_end(&m);
	nl_spill(&m, FAM, 2, at(2), 25, SAFELINE_SPILL_DTMF + 1, 1);
	nl_spill(&m, FAM, 3, at(3), 25, SAFELINE_SPILL_ALERT, 2);
	nl_spill(&m, FAM, 4, at(4), 25, SAFELINE_SPILL_ALERT, 1);	/* control */
	deliver();
	ktap_ok(&k, n_evs == 1 && sink.malformed == 3 && evs[0].seq == 4,
		"parse: spill without kind, unknown kind, MUTED 2 rejected; a good one next to them kept");

	reset();
	m.len = 10;	/* less than a netlink header */
	memset(m.b, 0xff, 10);
	deliver();
	ktap_ok(&k, n_evs == 0 && sink.malformed == 1, "parse: a 10-byte datagram is one malformed message");

	reset();
	nl_event(&m, FAM + 1, SAFELINE_EVENT_RING_BEGIN, 1, at(1), 25);	/* another family */
	nl_ctrl(&m, CTRL_CMD_NEWFAMILY, "safeline");
	nl_ctrl(&m, CTRL_CMD_NEWFAMILY, "safelinex");
	nl_ctrl(&m, CTRL_CMD_NEWOPS, "safeline");
	nl_ctrl(&m, CTRL_CMD_DELFAMILY, "safeline");
	deliver();
	ktap_ok(&k, n_evs == 0 && sink.malformed == 0 && n_family == 2 && family_changes[0] == 1 &&
		family_changes[1] == 0,
		"parse: nlctrl NEW/DELFAMILY of safeline seen, other families and commands ignored");
}

/* --- the assembler ------------------------------------------------------- */

static void test_answered(void)
{
	reset();
	ev(SAFELINE_EVENT_RING_BEGIN, 0, 25);
	ev(SAFELINE_EVENT_RING_END, 2000, 25);
	spill(2900, 25, SAFELINE_SPILL_FSK_SEIZURE, 1);
	spill(2950, 25, SAFELINE_SPILL_FSK_MESSAGE, 1);
	ev(SAFELINE_EVENT_RING_BEGIN, 6000, 25);
	ev(SAFELINE_EVENT_RING_END, 8000, 25);
	ev(SAFELINE_EVENT_ANSWER, 9500, 25);
	ktap_ok(&k, n_calls == 0 && calls_open(asm_) == 1 && calls_expire(asm_, at(60000)) == 0 &&
		n_calls == 0, "answered: open while talking, no ring timeout applies");
	ev(SAFELINE_EVENT_HANGUP, 70000, 25);
	ktap_ok(&k, n_calls == 1 && calls_out[0].channo == 25 &&
		calls_out[0].direction == CALL_DIRECTION_INCOMING && calls_out[0].ring_s == WALL0 &&
		calls_out[0].answer_s == WALL0 + 9 && calls_out[0].end_s == WALL0 + 70 &&
		!calls_out[0].incomplete && calls_open(asm_) == 0,
		"answered: two ring bursts, answer, hangup -> one incoming answered call, wall times");
	ktap_ok(&k, n_calls == 1 && calls_out[0].suppressed[CALL_SUPPRESSED_FSK] == 2 &&
		calls_out[0].suppressed[CALL_SUPPRESSED_DTMF] == 0 &&
		calls_out[0].suppressed[CALL_SUPPRESSED_ALERT] == 0,
		"answered: two FSK spills counted as fsk=2");
}

static void test_missed(void)
{
	uint64_t next;

	reset();
	ev(SAFELINE_EVENT_RING_BEGIN, 0, 30);
	ev(SAFELINE_EVENT_RING_END, 2000, 30);
	ev(SAFELINE_EVENT_RING_BEGIN, 6000, 30);
	ev(SAFELINE_EVENT_RING_END, 8000, 30);
	next = calls_expire(asm_, at(15999));
	ktap_ok(&k, n_calls == 0 && next == at(16000),
		"missed: still open 7.999 s after the last ring, deadline at 8 s");
	calls_expire(asm_, at(16000));
	ktap_ok(&k, n_calls == 1 && calls_out[0].answer_s == 0 && calls_out[0].end_s == WALL0 + 8 &&
		calls_out[0].direction == CALL_DIRECTION_INCOMING && !calls_out[0].incomplete &&
		calls_expire(asm_, at(99000)) == 0 && n_calls == 1,
		"missed: closed 8 s after the last ring ended, once, end = last ring end");
	ev(SAFELINE_EVENT_HANGUP, 17000, 30);
	ev(SAFELINE_EVENT_RING_END, 17100, 30);
	ktap_ok(&k, n_calls == 1 && calls_open(asm_) == 0,
		"missed: a stray hangup or ring end on an idle channel opens nothing");
	/* the agent started mid-ring: RING_END, then ANSWER, of a call it never saw begin */
	ev(SAFELINE_EVENT_ANSWER, 18000, 30);
	ev(SAFELINE_EVENT_HANGUP, 20000, 30);
	ev(SAFELINE_EVENT_RING_END, 30000, 30);
	ev(SAFELINE_EVENT_ANSWER, 39000, 30);	/* 9 s later: not that ring's answer */
	ev(SAFELINE_EVENT_HANGUP, 40000, 30);
	ktap_ok(&k, n_calls == 3 && calls_out[1].direction == CALL_DIRECTION_INCOMING &&
		calls_out[1].incomplete && calls_out[2].direction == CALL_DIRECTION_OUTGOING &&
		!calls_out[2].incomplete,
		"answer 0.9 s after a ring whose start was missed: incoming, incomplete; 9 s after: outgoing");
}

static void test_outgoing(void)
{
	reset();
	ev(SAFELINE_EVENT_ANSWER, 0, 3);
	ev(SAFELINE_EVENT_ANSWER, 100, 3);	/* repeated: ignored */
	ev(SAFELINE_EVENT_HANGUP, 45000, 3);
	ktap_ok(&k, n_calls == 1 && calls_out[0].direction == CALL_DIRECTION_OUTGOING &&
		calls_out[0].ring_s == WALL0 && calls_out[0].answer_s == WALL0 &&
		calls_out[0].end_s == WALL0 + 45,
		"outgoing: off-hook without ring, hangup -> one outgoing answered call");
}

static void test_spills(void)
{
	reset();
	/* DTMF CLIP and a DT-AS alert before the first ring: they belong to the call */
	spill(0, 25, SAFELINE_SPILL_ALERT, 1);
	spill(200, 25, SAFELINE_SPILL_DTMF, 1);
	spill(300, 25, SAFELINE_SPILL_DTMF, 0);		/* detect only: nothing suppressed */
	ev(SAFELINE_EVENT_RING_BEGIN, 700, 25);
	spill(1000, 25, SAFELINE_SPILL_FSK_JCLIP, 1);
	ev(SAFELINE_EVENT_RING_END, 1700, 25);
	calls_expire(asm_, at(20000));
	ktap_ok(&k, n_calls == 1 && calls_out[0].suppressed[CALL_SUPPRESSED_ALERT] == 1 &&
		calls_out[0].suppressed[CALL_SUPPRESSED_DTMF] == 1 &&
		calls_out[0].suppressed[CALL_SUPPRESSED_FSK] == 1 &&
		calls_out[0].suppressed[CALL_SUPPRESSED_ONHOOK] == 0,
		"spills: before-ring alert and DTMF held for the call, unmuted not counted, fsk during ring");

	reset();
	spill(0, 25, SAFELINE_SPILL_DTMF, 1);	/* a stray spill long before the call */
	ev(SAFELINE_EVENT_RING_BEGIN, 9000, 25);
	ev(SAFELINE_EVENT_RING_END, 10000, 25);
	calls_expire(asm_, at(30000));
	ktap_ok(&k, n_calls == 1 && calls_out[0].suppressed[CALL_SUPPRESSED_DTMF] == 0,
		"spills: one more than 8 s before the ring is not the call's (control)");
}

static void test_losses(void)
{
	const struct calls_stats *st;

	reset();
	ev(SAFELINE_EVENT_RING_BEGIN, 0, 25);
	ev(SAFELINE_EVENT_RING_BEGIN, 10, 26);
	ev(SAFELINE_EVENT_RING_END, 2010, 26);
	seq += 5;	/* five events lost */
	ev(SAFELINE_EVENT_ANSWER, 3000, 25);
	ev(SAFELINE_EVENT_RING_BEGIN, 3100, 27);	/* opened after the gap */
	ev(SAFELINE_EVENT_HANGUP, 9000, 25);
	ev(SAFELINE_EVENT_ANSWER, 9100, 27);
	ev(SAFELINE_EVENT_HANGUP, 9200, 27);
	st = calls_stats(asm_);
	ktap_ok(&k, st->lost == 5 && n_calls == 2 && calls_out[0].incomplete &&
		!calls_out[1].incomplete,
		"SEQ gap: 5 lost, the call open across it is incomplete, one opened after is not");
	calls_expire(asm_, at(60000));
	ktap_ok(&k, n_calls == 3 && calls_out[2].channo == 26 && calls_out[2].incomplete,
		"SEQ gap: the other call open across it ends incomplete too");

	reset();
	ev(SAFELINE_EVENT_RING_BEGIN, 0, 25);
	seq += 3;
	nl_event_head(&m, FAM, SAFELINE_EVENT_RING_END, ++seq, at(2000), 25, SAFELINE_ROLE_FXO_PORT);
	nl_u32(&m, SAFELINE_EVENT_A_DROPPED, 3);
	nl_end(&m);
	deliver();
	ktap_ok(&k, calls_stats(asm_)->lost == 3, "DROPPED 3 with a gap of 3: 3 lost, not 6 (got %llu)",
		(unsigned long long)calls_stats(asm_)->lost);

	reset();
	ev(SAFELINE_EVENT_ANSWER, 0, 25);
	calls_lost(asm_, 0);	/* what an ENOBUFS overrun does */
	ev(SAFELINE_EVENT_HANGUP, 5000, 25);
	ev(SAFELINE_EVENT_ANSWER, 6000, 25);
	ev(SAFELINE_EVENT_HANGUP, 7000, 25);
	ktap_ok(&k, n_calls == 2 && calls_out[0].incomplete && !calls_out[1].incomplete,
		"overrun: the open call is incomplete, the next one complete (control)");

	/* resync after an overrun: the hook states settle what was lost */
	reset();
	ev(SAFELINE_EVENT_ANSWER, 0, 25);		/* its HANGUP will be lost */
	ev(SAFELINE_EVENT_RING_BEGIN, 10, 26);		/* its ANSWER will be lost */
	ev(SAFELINE_EVENT_ANSWER, 20, 27);		/* still talking */
	calls_lost(asm_, 0);
	calls_resync(asm_, 25, SAFELINE_HOOK_ON, at(5000), OFFSET);
	calls_resync(asm_, 26, SAFELINE_HOOK_OFF, at(5000), OFFSET);
	calls_resync(asm_, 27, SAFELINE_HOOK_OFF, at(5000), OFFSET);
	calls_resync(asm_, 28, SAFELINE_HOOK_ON, at(5000), OFFSET);	/* never seen */
	ktap_ok(&k, n_calls == 1 && calls_out[0].channo == 25 && calls_out[0].incomplete &&
		calls_out[0].end_s == WALL0 + 5 && calls_open(asm_) == 2,
		"resync: an answered call on an on-hook channel ends; one still off-hook stays open");
	ev(SAFELINE_EVENT_HANGUP, 9000, 26);
	ktap_ok(&k, n_calls == 2 && calls_out[1].channo == 26 && calls_out[1].answer_s == WALL0 + 5 &&
		calls_out[1].incomplete, "resync: a ringing call on an off-hook channel was answered");

	reset();
	ev(SAFELINE_EVENT_RING_BEGIN, 0, 25);	/* and its RING_END never comes */
	calls_expire(asm_, at(119000));
	ktap_ok(&k, n_calls == 0, "lost ring end: still open after 119 s");
	calls_expire(asm_, at(121000));
	ktap_ok(&k, n_calls == 1 && calls_out[0].incomplete && calls_out[0].answer_s == 0,
		"lost ring end: closed incomplete after 120 s");
}

static void test_garbage(void)
{
	const struct calls_stats *st;
	uint64_t before;

	reset();
	seq = 100;
	ev(SAFELINE_EVENT_RING_BEGIN, 0, 25);
	ev(SAFELINE_EVENT_ANSWER, 1000, 25);
	/* a replayed (older) sequence number */
	nl_event(&m, FAM, SAFELINE_EVENT_HANGUP, seq - 1, at(2000), 25);
	deliver();
	ktap_ok(&k, n_calls == 0 && calls_stats(asm_)->rejected == 1,
		"out of order: a HANGUP with an old SEQ is rejected, the call stays open");
	/* time going back on a channel */
	ev(SAFELINE_EVENT_HANGUP, 500, 25);
	ktap_ok(&k, n_calls == 0 && calls_stats(asm_)->rejected == 2,
		"out of order: a HANGUP timed before the answer is rejected");
	ev(SAFELINE_EVENT_HANGUP, 3000, 25);
	ktap_ok(&k, n_calls == 1 && calls_out[0].end_s == WALL0 + 3,
		"control: the proper HANGUP closes it");

	reset();
	before = 0;
	nl_event(&m, FAM, SAFELINE_EVENT_RING_BEGIN, ++seq, at(1), 0);		/* channel 0 */
	nl_event(&m, FAM, SAFELINE_EVENT_RING_BEGIN, ++seq, at(1), 1u << 30);	/* absurd */
	nl_event_head(&m, FAM, SAFELINE_EVENT_RING_BEGIN, ++seq, at(1), 5, SAFELINE_ROLE_NONE);
	nl_end(&m);
	nl_event_head(&m, FAM, SAFELINE_EVENT_RING_BEGIN, ++seq, at(1), 5, 9);	/* no such role */
	nl_end(&m);
	nl_event(&m, FAM, SAFELINE_EVENT_RING_BEGIN, ++seq, 0, 5);		/* time 0 */
	deliver();
	st = calls_stats(asm_);
	ktap_ok(&k, st->rejected == 5 && st->events == before && calls_open(asm_) == 0,
		"garbage: channel 0, channel 2^30, role none, unknown role, time 0 all rejected");
	nl_event(&m, FAM, 99, ++seq, at(2), 5);			/* a type from a newer module */
	nl_event(&m, FAM, SAFELINE_EVENT_POLARITY, ++seq, at(3), 5);
	deliver();
	ktap_ok(&k, st->events == 2 && calls_open(asm_) == 0 && st->lost == 0,
		"unknown type and POLARITY: accepted (SEQ moves on), nothing opened");
}

static void test_restart(void)
{
	reset();
	seq = 500;
	ev(SAFELINE_EVENT_ANSWER, 0, 25);
	ev(SAFELINE_EVENT_RING_BEGIN, 10, 26);
	seq = 0;	/* module reloaded: SEQ starts over, BOOTTIME does not */
	ev(SAFELINE_EVENT_RING_BEGIN, 5000, 27);
	ktap_ok(&k, n_calls == 2 && calls_out[0].incomplete && calls_out[1].incomplete &&
		calls_open(asm_) == 1 && calls_stats(asm_)->rejected == 0,
		"module restart (SEQ 1 again): open calls end incomplete, the new event is taken");
	reset();
	ev(SAFELINE_EVENT_ANSWER, 0, 25);
	calls_reset(asm_, at(4000), OFFSET);
	ktap_ok(&k, n_calls == 1 && calls_out[0].incomplete && calls_out[0].end_s == WALL0 + 4,
		"module unloaded (calls_reset): the open call ends incomplete at that time");
}

static void test_interleaved(void)
{
	uint32_t c;
	size_t i, answered = 0;

	reset();
	for (c = 25; c < 45; c++)
		ev(SAFELINE_EVENT_RING_BEGIN, c, c);
	for (c = 25; c < 45; c++)
		ev(SAFELINE_EVENT_RING_END, 2000 + c, c);
	for (c = 25; c < 45; c += 2)
		ev(SAFELINE_EVENT_ANSWER, 3000 + c, c);
	for (c = 25; c < 45; c += 2)
		ev(SAFELINE_EVENT_HANGUP, 9000 + c, c);
	calls_expire(asm_, at(11000));
	for (i = 0; i < n_calls; i++)
		answered += calls_out[i].answer_s != 0;
	ktap_ok(&k, n_calls == 20 && answered == 10 && calls_open(asm_) == 0,
		"20 channels interleaved: 20 calls, 10 answered, 10 missed");
}

static unsigned int flags_seen;	/* 0x1/0x2: a complete/incomplete row, <<4 if answered */

static int note_flags(const struct call_row *row, void *data)
{
	flags_seen |= (row->incomplete ? 0x2u : 0x1u) << (row->answered ? 4 : 0);
	return 0;
}

static int to_store(const struct call_event *ev, void *data)
{
	return store_record_event(data, ev);
}

/* malformed input through the whole chain into a real store: no row */
static void test_store(void)
{
	char dir[] = "/dev/shm/safeline-calls-XXXXXX", path[64];
	struct store_options o = { .resolution_s = 60, .aggregate_days = 7 };
	struct store *s = NULL;
	struct store_counts cnt = { 0 };
	int how, r;

	if (!mkdtemp(dir)) {
		ktap_skip(&k, "no /dev/shm", "store: malformed events record nothing");
		ktap_skip(&k, "no /dev/shm", "store: the same events well formed record one row");
		return;
	}
	snprintf(path, sizeof(path), "%s/store", dir);
	r = store_open(&s, path, &o);
	calls_free(asm_);
	calls_new(&asm_, to_store, s);
	n_evs = 0;
	sink.malformed = 0;
	to_assembler = true;
	for (how = 1; how <= 7; how++) {
		bad_event(how);
		deliver();
		nl_event(&m, FAM, SAFELINE_EVENT_RING_END, 2, at(2000), 25);
		deliver();
	}
	calls_expire(asm_, at(60000));
	if (r == 0)
		store_count(s, &cnt);
	ktap_ok(&k, r == 0 && cnt.rows == 0 && sink.malformed == 7,
		"store: 7 malformed ring events (with their ring ends) record nothing");
	calls_free(asm_);
	calls_new(&asm_, to_store, s);
	bad_event(0);
	deliver();
	nl_event(&m, FAM, SAFELINE_EVENT_RING_END, 2, at(2000), 25);
	deliver();
	calls_expire(asm_, at(60000));
	if (r == 0)
		store_count(s, &cnt);
	ktap_ok(&k, r == 0 && cnt.rows == 1, "store: the same event well formed records one row (control)");
	/* an incomplete call: the flag survives the store, and a foreign flag bit is refused */
	nl_event(&m, FAM, SAFELINE_EVENT_ANSWER, 3, at(3000), 26);
	nl_event(&m, FAM, SAFELINE_EVENT_HANGUP, 9, at(4000), 26);	/* 5 lost between */
	deliver();
	flags_seen = 0;
	if (r == 0)
		store_foreach_call(s, note_flags, NULL);
	{
		struct call_row row = { .channo = 26, .answered = true, .incomplete = true }, back;
		char rec[CALL_ROW_SIZE];

		call_row_encode(&row, rec);
		uint32_t crc;
		int i, good = call_row_decode(rec, &back) == 0 && back.incomplete && back.answered;

		rec[2 + 2 * CALL_ID_BYTES + 8 + 2 + 1] = 'e';	/* flags 0x4: no such flag */
		crc = crc32_of(rec, CALL_ROW_SIZE - 9);	/* sealed again: only the flag is wrong */
		for (i = 0; i < 8; i++)
			rec[CALL_ROW_SIZE - 9 + i] = (char)('a' + ((crc >> (28 - 4 * i)) & 0xf));
		ktap_ok(&k, flags_seen == (0x1 | 0x20) && good &&
			call_row_decode(rec, &back) == -EBADMSG,
			"store: an incomplete call reads back incomplete, the complete one not; "
			"an unknown flag bit makes the record unreadable");
	}
	store_close(s);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static void test_flatten(void)
{
	struct safeline_conf c;
	struct policy_stretch s[POLICY_MAX_STRETCHES];
	size_t n;

	conf_init(&c);
	n = policy_flatten(&c, s);
	ktap_ok(&k, n == 1 && s[0].first == 1 && s[0].last == UINT32_MAX &&
		s[0].policy == SAFELINE_POLICY_SUPPRESS, "policy: no rules -> 1..max at the default");
	c.rules[0] = (struct conf_rule){ 1, 23, SAFELINE_POLICY_PASS, CONF_ROLE_AUTO };
	c.rules[1] = (struct conf_rule){ 5, 5, SAFELINE_POLICY_STRICT, CONF_ROLE_AUTO };
	c.rules[2] = (struct conf_rule){ 30, 40, SAFELINE_POLICY_SUPPRESS, CONF_ROLE_AUTO };	/* = default */
	c.n_rules = 3;
	n = policy_flatten(&c, s);
	ktap_ok(&k, n == 4 && s[0].first == 1 && s[0].last == 4 && s[0].policy == SAFELINE_POLICY_PASS &&
		s[1].first == 5 && s[1].last == 5 && s[1].policy == SAFELINE_POLICY_STRICT &&
		s[2].first == 6 && s[2].last == 23 && s[2].policy == SAFELINE_POLICY_PASS &&
		s[3].first == 24 && s[3].last == UINT32_MAX &&
		s[3].policy == SAFELINE_POLICY_SUPPRESS,
		"policy: overlapping rules flatten to 1-4 pass, 5 strict, 6-23 pass, 24.. suppress (%zu)", n);
	/* verification lines inside a rule's range are cut out of it */
	c.verify.enabled = true;
	c.verify.first = 45;
	c.verify.last = 47;
	n = policy_flatten(&c, s);
	ktap_ok(&k, n == 6 && s[3].first == 24 && s[3].last == 44 &&
		s[4].first == 45 && s[4].last == 47 && s[4].policy == SAFELINE_POLICY_VERIFY &&
		s[5].first == 48 && s[5].policy == SAFELINE_POLICY_SUPPRESS,
		"policy: verify 45-47 inside the default stretch: 24-44, 45-47 verify, 48.. (%zu)", n);
}

int main(void)
{
	ktap_plan(&k, 47);
	test_parse_good();
	test_parse_bad();
	test_answered();
	test_missed();
	test_outgoing();
	test_spills();
	test_losses();
	test_garbage();
	test_restart();
	test_interleaved();
	test_store();
	test_flatten();
	calls_free(asm_);
	return ktap_exit(&k);
}
