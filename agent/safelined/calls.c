// SPDX-License-Identifier: GPL-2.0
/* The per-channel call assembler: see calls.h for the rules. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/safeline.h>

#include "agent/safelined/calls.h"

#define NSEC_PER_SEC 1000000000LL

enum chan_state {
	CHAN_IDLE,
	CHAN_RINGING,		/* a call that rang and is not (yet) answered */
	CHAN_ANSWERED,
};

struct chan {
	enum chan_state state;
	bool ring_on;		/* inside a ring burst */
	bool incomplete;
	enum call_direction direction;
	uint64_t last_ns;	/* the channel's latest accepted event */
	uint64_t ring_end_ns;	/* when the last burst ended (CLOCK_BOOTTIME) */
	int64_t ring_s, answer_s, ring_end_s;	/* wall clock */
	uint16_t suppressed[CALL_SUPPRESSED_KINDS];
	/* a ring burst ended on an idle channel: we missed its start (agent started mid-ring) */
	uint64_t stray_ring_end_ns;
	/* spills seen while idle: caller ID sent before the first ring */
	uint64_t pending_ns;
	uint16_t pending[CALL_SUPPRESSED_KINDS];
};

struct calls {
	struct chan *chans;	/* indexed by channel number */
	size_t n_chans;
	uint64_t last_seq;	/* 0: none seen since start or reset */
	calls_emit_fn emit;
	void *data;
	struct calls_stats st;
};

int calls_new(struct calls **ret, calls_emit_fn emit, void *data)
{
	struct calls *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->emit = emit;
	c->data = data;
	*ret = c;
	return 0;
}

void calls_free(struct calls *c)
{
	if (!c)
		return;
	free(c->chans);
	free(c);
}

const struct calls_stats *calls_stats(const struct calls *c)
{
	return &c->st;
}

size_t calls_open(const struct calls *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->n_chans; i++)
		n += c->chans[i].state != CHAN_IDLE;
	return n;
}

static struct chan *chan_get(struct calls *c, uint32_t channo)
{
	if (channo >= c->n_chans) {
		size_t n = (size_t)channo + 16 < CALLS_MAX_CHANNO + 1 ?
			   (size_t)channo + 16 : CALLS_MAX_CHANNO + 1;
		struct chan *p = realloc(c->chans, n * sizeof(*p));

		if (!p)
			return NULL;
		memset(p + c->n_chans, 0, (n - c->n_chans) * sizeof(*p));
		c->chans = p;
		c->n_chans = n;
	}
	return &c->chans[channo];
}

/* wall-clock seconds of a CLOCK_BOOTTIME instant, rounded down */
static int64_t wall_s(uint64_t boot_ns, int64_t offset_ns)
{
	int64_t t = (int64_t)boot_ns + offset_ns;

	return t >= 0 ? t / NSEC_PER_SEC : -((-t + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
}

static void add_counts(uint16_t *to, const uint16_t *from)
{
	int i;

	for (i = 0; i < CALL_SUPPRESSED_KINDS; i++)
		to[i] = (uint16_t)(to[i] + from[i] < to[i] ? UINT16_MAX : to[i] + from[i]);
}

static void close_call(struct calls *c, uint32_t channo, struct chan *ch, int64_t end_s)
{
	struct call_event ev = {
		.channo = channo,
		.direction = ch->direction,
		.ring_s = ch->ring_s,
		.answer_s = ch->state == CHAN_ANSWERED ? ch->answer_s : 0,
		.end_s = end_s < ch->ring_s ? ch->ring_s : end_s,
		.incomplete = ch->incomplete,
	};

	memcpy(ev.suppressed, ch->suppressed, sizeof(ev.suppressed));
	/* an answer at the epoch's second 0 would read as "missed" */
	if (ch->state == CHAN_ANSWERED && !ev.answer_s)
		ev.answer_s = 1;
	c->st.calls++;
	c->st.incomplete += ch->incomplete;
	if (c->emit && c->emit(&ev, c->data) < 0)
		c->st.emit_failed++;
	/* the channel's clock and any caller ID already held for the next call stay */
	memset(ch->suppressed, 0, sizeof(ch->suppressed));
	ch->state = CHAN_IDLE;
	ch->ring_on = false;
	ch->incomplete = false;
}

static void open_call(struct chan *ch, enum call_direction dir, uint64_t t, int64_t offset)
{
	ch->direction = dir;
	ch->ring_s = wall_s(t, offset);
	ch->incomplete = false;
	memset(ch->suppressed, 0, sizeof(ch->suppressed));
	/* caller ID that came before the first ring belongs to this call */
	if (ch->pending_ns && t - ch->pending_ns <= CALLS_RING_TIMEOUT_NS)
		add_counts(ch->suppressed, ch->pending);
	ch->pending_ns = 0;
	memset(ch->pending, 0, sizeof(ch->pending));
}

static int kind_of(uint8_t spill_kind)
{
	switch (spill_kind) {
	case SAFELINE_SPILL_FSK_SEIZURE:
	case SAFELINE_SPILL_FSK_MESSAGE:
	case SAFELINE_SPILL_FSK_JCLIP:
		return CALL_SUPPRESSED_FSK;
	case SAFELINE_SPILL_ALERT:
		return CALL_SUPPRESSED_ALERT;
	case SAFELINE_SPILL_DTMF:
		return CALL_SUPPRESSED_DTMF;
	default:
		return -1;
	}
}

static void on_spill(struct chan *ch, const struct kernel_event *ev)
{
	uint16_t one[CALL_SUPPRESSED_KINDS] = { 0 };
	int kind = kind_of(ev->spill_kind);

	if (kind < 0 || !ev->spill_muted)
		return;		/* detect only: nothing was suppressed */
	one[kind] = 1;
	if (ch->state != CHAN_IDLE) {
		add_counts(ch->suppressed, one);
		return;
	}
	if (!ch->pending_ns || ev->time_ns - ch->pending_ns > CALLS_RING_TIMEOUT_NS)
		memset(ch->pending, 0, sizeof(ch->pending));
	ch->pending_ns = ev->time_ns;
	add_counts(ch->pending, one);
}

/* the sequence: gaps are lost events; going back is out of order, unless the module restarted */
static int check_seq(struct calls *c, const struct kernel_event *ev, int64_t offset)
{
	uint64_t lost = 0;

	if (c->last_seq && ev->seq <= c->last_seq) {
		if (ev->seq != 1)
			return -EINVAL;
		calls_reset(c, ev->time_ns, offset);	/* a new module counts from 1 */
	}
	if (c->last_seq && ev->seq > c->last_seq + 1)
		lost = ev->seq - c->last_seq - 1;
	/* DROPPED events also took sequence numbers: count them once */
	if (ev->dropped > lost)
		lost = ev->dropped;
	c->last_seq = ev->seq;
	if (lost)
		calls_lost(c, lost);
	return 0;
}

int calls_feed(struct calls *c, const struct kernel_event *ev, int64_t offset)
{
	struct chan *ch;
	uint64_t t = ev->time_ns;

	if (!ev->channo || ev->channo > CALLS_MAX_CHANNO ||
	    (ev->role != SAFELINE_ROLE_FXO_PORT && ev->role != SAFELINE_ROLE_FXS_PORT) ||
	    !t || !(ch = chan_get(c, ev->channo)) || t < ch->last_ns) {
		c->st.rejected++;
		return -EINVAL;
	}
	if (check_seq(c, ev, offset) < 0) {
		c->st.rejected++;
		return -EINVAL;
	}
	c->st.events++;
	ch->last_ns = t;
	switch (ev->type) {
	case SAFELINE_EVENT_RING_BEGIN:
		if (ch->state == CHAN_IDLE) {
			open_call(ch, CALL_DIRECTION_INCOMING, t, offset);
			ch->state = CHAN_RINGING;
		}
		if (ch->state == CHAN_RINGING)
			ch->ring_on = true;
		break;
	case SAFELINE_EVENT_RING_END:
		if (ch->state == CHAN_RINGING) {
			ch->ring_on = false;
			ch->ring_end_ns = t;
			ch->ring_end_s = wall_s(t, offset);
		} else if (ch->state == CHAN_IDLE) {
			ch->stray_ring_end_ns = t;
		}
		break;
	case SAFELINE_EVENT_ANSWER:
		if (ch->state == CHAN_IDLE && ch->stray_ring_end_ns &&
		    t - ch->stray_ring_end_ns <= CALLS_RING_TIMEOUT_NS) {
			/* answering a ring whose start we did not see: incoming, partly known */
			open_call(ch, CALL_DIRECTION_INCOMING, t, offset);
			ch->incomplete = true;
		} else if (ch->state == CHAN_IDLE) {
			open_call(ch, CALL_DIRECTION_OUTGOING, t, offset);
		}
		ch->stray_ring_end_ns = 0;
		if (ch->state != CHAN_ANSWERED) {
			ch->state = CHAN_ANSWERED;
			ch->ring_on = false;
			ch->answer_s = wall_s(t, offset);
		}
		break;
	case SAFELINE_EVENT_HANGUP:
		/* only an answered call hangs up; a rung one ends by its ring timeout */
		if (ch->state == CHAN_ANSWERED)
			close_call(c, ev->channo, ch, wall_s(t, offset));
		break;
	case SAFELINE_EVENT_SPILL:
		on_spill(ch, ev);
		break;
	default:
		break;	/* polarity, verify, and types newer than us: not part of a row */
	}
	return 0;
}

void calls_lost(struct calls *c, uint64_t n)
{
	size_t i;

	c->st.lost += n;
	for (i = 0; i < c->n_chans; i++)
		if (c->chans[i].state != CHAN_IDLE)
			c->chans[i].incomplete = true;
}

uint64_t calls_expire(struct calls *c, uint64_t now)
{
	uint64_t next = 0, due;
	size_t i;

	for (i = 0; i < c->n_chans; i++) {
		struct chan *ch = &c->chans[i];

		if (ch->pending_ns && now - ch->pending_ns > CALLS_RING_TIMEOUT_NS) {
			ch->pending_ns = 0;
			memset(ch->pending, 0, sizeof(ch->pending));
		}
		if (ch->state != CHAN_RINGING)
			continue;
		if (ch->ring_on) {
			due = ch->last_ns + CALLS_RING_STUCK_NS;
			if (now >= due) {	/* its RING_END never came */
				ch->incomplete = true;
				close_call(c, (uint32_t)i, ch, ch->ring_s);
				continue;
			}
		} else {
			due = ch->ring_end_ns + CALLS_RING_TIMEOUT_NS;
			if (now >= due) {
				close_call(c, (uint32_t)i, ch, ch->ring_end_s);
				continue;
			}
		}
		if (!next || due < next)
			next = due;
	}
	return next;
}

void calls_reset(struct calls *c, uint64_t now, int64_t offset)
{
	size_t i;

	for (i = 0; i < c->n_chans; i++) {
		struct chan *ch = &c->chans[i];

		if (ch->state != CHAN_IDLE) {
			ch->incomplete = true;
			close_call(c, (uint32_t)i, ch, ch->state == CHAN_RINGING && !ch->ring_on ?
				   ch->ring_end_s : wall_s(now, offset));
		}
		/* the new module's clock of events starts over */
		*ch = (struct chan){ 0 };
	}
	c->last_seq = 0;
}

void calls_resync(struct calls *c, uint32_t channo, uint8_t hook, uint64_t now, int64_t offset)
{
	struct chan *ch;

	if (channo >= c->n_chans)
		return;		/* never had a call */
	ch = &c->chans[channo];
	if (ch->state == CHAN_ANSWERED && hook == SAFELINE_HOOK_ON) {
		ch->incomplete = true;
		close_call(c, channo, ch, wall_s(now, offset));
	} else if (ch->state == CHAN_RINGING && hook == SAFELINE_HOOK_OFF) {
		ch->incomplete = true;
		ch->state = CHAN_ANSWERED;
		ch->ring_on = false;
		ch->answer_s = wall_s(now, offset);
	}
}
