// SPDX-License-Identifier: GPL-2.0
/*
 * Per-channel state, in a table indexed by DAHDI channel number and bound to
 * the struct dahdi_chan that last carried that number; the chunk entry point.
 */

#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "chan.h"
#include "compat.h"
#include "event.h"
#include "suppress.h"
#include "verify.h"
#include "uapi/linux/safeline.h"

/*
 * A slot is bound to the channel pointer, span pointer and signalling it
 * last saw under its number. The pointers are identities only: they are
 * compared in the tick, where DAHDI hands us a live channel, and never
 * dereferenced anywhere else. A span that goes away takes its channels out
 * of DAHDI's numbering (dahdi_chan_unreg sets channo to -1 and clears
 * REGISTERED), so its slots simply stop being fed and fall out of the dump
 * after STALE; a new channel under the same number differs in one of the
 * three and rebinds the slot, resetting its state. A freed channel whose
 * memory comes back as the same channel number on the same span with the
 * same signalling is indistinguishable from the old one to DAHDI users too.
 *
 * Writers: binding and the identity/metadata fields, under lock (rare: the
 * first chunk of a channel); policy, under lock, by bind and set_policy.
 * Counters, the suppressor and the line as last reported (call events): the
 * tick path of that channel, one writer per tap (last_seen, law and hook:
 * the transmit tap, which every channel passes once a tick), no lock;
 * readers may see them mid-update, which for a u64 on 64-bit is a torn read
 * of nothing. The suppressor notices a new policy at its next chunk and
 * restarts; bind makes it restart too.
 */
struct slot {
	spinlock_t lock;		/* bind vs. snapshot */
	const struct dahdi_chan *chan;	/* identity, NULL when never bound */
	const struct dahdi_span *span;	/* identity */
	int sig;			/* identity: a reconfigured channel starts over */
	u32 spanno;
	char name[40];
	u8 role;			/* enum safeline_role */
	u8 policy;			/* enum safeline_policy */
	u8 law;				/* enum safeline_law, as of the last tick */
	u8 hook;			/* enum safeline_hook, as of the last tick */
	u8 rx_taken;			/* RX_BY_*: the echo path took this tick's rx chunk */
	u8 line_hook;			/* enum safeline_hook last reported (call events) */
	bool line_ringing;		/* inside a ring burst */
	u16 ring_quiet;			/* ticks without ring inside the burst */
	unsigned long last_seen;	/* jiffies of the last chunk */
	u64 rx_ec_chunks;
	u64 rx_chunks;
	u64 tx_chunks;
	struct safeline_suppress sup;	/* the role's direction: FXO rx, FXS tx */
	atomic64_t dtmf_blocked;	/* card DTMF events kept from userspace (qevent.c) */
	u8 dtmf_down;			/* DTMF_DOWN_*: what became of the last DTMFDOWN */
	/* policy verify: allocated and freed by set_policy only; RCU for the tick */
	struct safeline_verifier __rcu *verifier;
	u64 verify[SAFELINE_VERIFY_RESULTS];	/* written by the tick (verify-report.c) */
	/*
	 * Counter values at the last reset, under lock: the tick path stays
	 * the counters' only writer, so a reset cannot lose to its increments.
	 */
	struct safeline_chan_info base;
};

/* slot.dtmf_down: the card's last DTMFDOWN on the channel, until its DTMFUP */
#define DTMF_DOWN_NONE		0
#define DTMF_DOWN_KEPT		1
#define DTMF_DOWN_PASSED	2

#define RX_BY_EC	1	/* __dahdi_ec_chunk took it */
#define RX_BY_EC_SPAN	2	/* _dahdi_ec_span took it; its own __dahdi_ec_chunk call follows */

/* A channel unseen for this long is gone (its span stopped or went away). */
#define STALE	HZ

/*
 * A ring burst ends after this many ticks (ms) without ring: longer than a
 * ring detector's glitches (half a 20 Hz ringing cycle is 25 ms), shorter
 * than the pauses of every cadence (a UK double ring pauses 200 ms).
 */
#define RING_GAP	100

static unsigned int max_channels = DAHDI_MAX_CHANNELS;
module_param(max_channels, uint, 0444);
MODULE_PARM_DESC(max_channels,
		 "Channel numbers 0..max_channels-1 are covered (default DAHDI_MAX_CHANNELS)");

static bool strict;
module_param(strict, bool, 0444);
MODULE_PARM_DESC(strict, "Default policy for analog channels: strict instead of suppress");

/* what analog channels get when first seen; SET_POLICY's default changes it */
static u8 analog_default;

static struct slot *slots;
static atomic64_t untracked;	/* chunks of channels numbered beyond max_channels */

static u8 role_of(int sig)
{
	if (sig & __DAHDI_SIG_FXS)
		return SAFELINE_ROLE_FXO_PORT;
	if (sig & __DAHDI_SIG_FXO)
		return SAFELINE_ROLE_FXS_PORT;
	return SAFELINE_ROLE_NONE;
}

/* Fail closed: every analog channel starts suppressing, unless told otherwise. */
static u8 default_policy(u8 role)
{
	if (role == SAFELINE_ROLE_NONE)
		return SAFELINE_POLICY_PASS;
	return READ_ONCE(analog_default);
}

/* A channel's hook signals as DAHDI has them now, read once per chunk */
struct hooksig {
	int rx;		/* rxhooksig: what the line (or phone) signals to us */
	int tx;		/* txhooksig: what we signal to it */
};

static struct hooksig hooksig_of(const struct dahdi_chan *chan)
{
	return (struct hooksig){ READ_ONCE(chan->rxhooksig), READ_ONCE(chan->txhooksig) };
}

/* An FXO port is off-hook when we (the PBX) took it off; an FXS port when the phone did. */
static u8 hook_of(struct hooksig hs, u8 role)
{
	switch (role) {
	case SAFELINE_ROLE_FXO_PORT:
		return hs.tx == DAHDI_TXSIG_OFFHOOK ? SAFELINE_HOOK_OFF : SAFELINE_HOOK_ON;
	case SAFELINE_ROLE_FXS_PORT:
		if (hs.rx == DAHDI_RXSIG_OFFHOOK)
			return SAFELINE_HOOK_OFF;
		return hs.rx == DAHDI_RXSIG_ONHOOK ? SAFELINE_HOOK_ON : SAFELINE_HOOK_UNKNOWN;
	default:
		return SAFELINE_HOOK_UNKNOWN;
	}
}

/*
 * The line as the suppressor needs it: strict mode mutes all but off-hook.
 * An FXO port is off-hook when we took it off and rings when the far end
 * rings it; an FXS port is off-hook when the phone is and rings when we ring.
 */
static enum safeline_suppress_hook line_state(struct hooksig hs, u8 role)
{
	if (role == SAFELINE_ROLE_FXO_PORT) {
		if (hs.tx == DAHDI_TXSIG_OFFHOOK)
			return SAFELINE_SUPPRESS_OFF_HOOK;
		return hs.rx == DAHDI_RXSIG_RING ? SAFELINE_SUPPRESS_RINGING
						 : SAFELINE_SUPPRESS_ON_HOOK;
	}
	if (hs.rx == DAHDI_RXSIG_OFFHOOK)
		return SAFELINE_SUPPRESS_OFF_HOOK;
	return hs.tx == DAHDI_TXSIG_START ? SAFELINE_SUPPRESS_RINGING : SAFELINE_SUPPRESS_ON_HOOK;
}

/* Whether the line rings now: the far end rings our FXO port, we ring our FXS port. */
static bool ringing(struct hooksig hs, u8 role)
{
	if (role == SAFELINE_ROLE_FXO_PORT)
		return hs.rx == DAHDI_RXSIG_RING;
	return hs.tx == DAHDI_TXSIG_START;
}

static u32 channo_of(const struct slot *s)
{
	return s - slots;
}

/* A call event of this channel, for the events group unless it passes. */
static void report(const struct slot *s, struct safeline_event *ev)
{
	ev->policy = READ_ONCE(s->policy);
	if (s->role == SAFELINE_ROLE_NONE || ev->policy == SAFELINE_POLICY_PASS)
		return;
	ev->role = s->role;
	ev->channo = channo_of(s);
	ev->spanno = s->spanno;
	safeline_event_queue(ev);
}

static void report_type(const struct slot *s, u8 type)
{
	struct safeline_event ev = { .type = type };

	report(s, &ev);
}

/*
 * Once per tick: ring bursts, answer and hangup as transitions of the line.
 * Ring counts only on-hook (ring trip lags the answer by a few ticks), and
 * an answer ends a burst at once, so RING_END always precedes ANSWER. The
 * first known hook state after binding is taken as is, with no event.
 */
static void track_line(struct slot *s, struct hooksig hs, u8 hook)
{
	if (hook != SAFELINE_HOOK_OFF && ringing(hs, s->role)) {
		s->ring_quiet = 0;
		if (!s->line_ringing) {
			s->line_ringing = true;
			report_type(s, SAFELINE_EVENT_RING_BEGIN);
		}
	} else if (s->line_ringing &&
		   (hook == SAFELINE_HOOK_OFF || ++s->ring_quiet >= RING_GAP)) {
		s->line_ringing = false;
		report_type(s, SAFELINE_EVENT_RING_END);
	}
	if (hook == SAFELINE_HOOK_UNKNOWN || hook == s->line_hook)
		return;
	if (s->line_hook != SAFELINE_HOOK_UNKNOWN)
		report_type(s, hook == SAFELINE_HOOK_OFF ? SAFELINE_EVENT_ANSWER
							 : SAFELINE_EVENT_HANGUP);
	s->line_hook = hook;
}

/* The suppressor's spill ended (tick path): a SPILL event. */
static void spill_ended(struct safeline_suppress *sup, enum safeline_suppress_kind kind,
			u32 duration_ms, bool muted)
{
	struct safeline_event ev = {
		.type = SAFELINE_EVENT_SPILL,
		.spill_kind = kind,
		.spill_muted = muted,
		.duration_ms = duration_ms,
	};

	/* suppress.c's kinds are the uapi's, in the same order */
	BUILD_BUG_ON((int)SAFELINE_SUPPRESS_FSK_SEIZURE != (int)SAFELINE_SPILL_FSK_SEIZURE);
	BUILD_BUG_ON((int)SAFELINE_SUPPRESS_FSK_MESSAGE != (int)SAFELINE_SPILL_FSK_MESSAGE);
	BUILD_BUG_ON((int)SAFELINE_SUPPRESS_FSK_JCLIP != (int)SAFELINE_SPILL_FSK_JCLIP);
	BUILD_BUG_ON((int)SAFELINE_SUPPRESS_ALERT != (int)SAFELINE_SPILL_ALERT);
	BUILD_BUG_ON((int)SAFELINE_SUPPRESS_DTMF != (int)SAFELINE_SPILL_DTMF);
	report(container_of(sup, struct slot, sup), &ev);
}

static enum safeline_suppress_mode mode_of(u8 policy)
{
	switch (policy) {
	case SAFELINE_POLICY_DETECT:
		return SAFELINE_SUPPRESS_MODE_DETECT;
	case SAFELINE_POLICY_SUPPRESS:
	case SAFELINE_POLICY_VERIFY:	/* the verification line is muted like any other */
		return SAFELINE_SUPPRESS_MODE_SUPPRESS;
	case SAFELINE_POLICY_STRICT:
		return SAFELINE_SUPPRESS_MODE_STRICT;
	default:
		return SAFELINE_SUPPRESS_MODE_PASS;
	}
}

static bool bound_to(const struct slot *s, const struct dahdi_chan *chan, int sig)
{
	return READ_ONCE(s->chan) == chan && READ_ONCE(s->span) == chan->span &&
	       READ_ONCE(s->sig) == sig;
}

/* First chunk of a channel under this number: start its state afresh. */
static noinline void bind(struct slot *s, const struct dahdi_chan *chan, int sig)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	if (!bound_to(s, chan, sig)) {
		s->span = chan->span;
		s->sig = sig;
		s->spanno = chan->span ? chan->span->spanno : 0;
		strscpy(s->name, chan->name, sizeof(s->name));
		s->role = role_of(sig);
		s->policy = default_policy(s->role);
		s->rx_taken = 0;
		s->line_hook = SAFELINE_HOOK_UNKNOWN;
		s->line_ringing = false;
		s->rx_ec_chunks = 0;
		s->rx_chunks = 0;
		s->tx_chunks = 0;
		memset(s->sup.spills, 0, sizeof(s->sup.spills));
		s->sup.muted_chunks = 0;
		atomic64_set(&s->dtmf_blocked, 0);
		s->dtmf_down = DTMF_DOWN_NONE;
		memset(s->verify, 0, sizeof(s->verify));
		memset(&s->base, 0, sizeof(s->base));
		safeline_suppress_reset(&s->sup);
		WRITE_ONCE(s->chan, chan);
	}
	spin_unlock_irqrestore(&s->lock, flags);
}

static noinline void untracked_chunk(int channo)
{
	if (!atomic64_fetch_inc(&untracked))
		pr_warn("channel %d is beyond max_channels=%u: not covered\n",
			channo, max_channels);
}

/*
 * In the tick for every channel twice: one index and three compares when
 * nothing changed. chunk: the lookup is for a chunk, which counts as
 * uncovered when the channel is beyond the table (card events do not).
 */
static __always_inline struct slot *lookup(const struct dahdi_chan *chan, bool chunk)
{
	int channo = READ_ONCE(chan->channo);
	struct slot *s;
	int sig;

	if (unlikely(channo < 0 || !compat_chan_registered(chan) ||
		     compat_chan_bypasses_core(chan)))
		return NULL;
	if (unlikely(channo >= max_channels)) {
		if (chunk)
			untracked_chunk(channo);
		return NULL;
	}
	s = &slots[channo];
	sig = READ_ONCE(chan->sig);
	if (unlikely(!bound_to(s, chan, sig)))
		bind(s, chan, sig);
	return s;
}

/* A verify channel's receive chunk, as the line sent it: before any mute. */
static noinline void verify_chunk(struct slot *s, const struct dahdi_chan *chan,
				  const u8 *chunk, bool alaw, enum safeline_suppress_hook line)
{
	struct safeline_verify_sink sink = {
		.channo = READ_ONCE(chan->channo),
		.spanno = s->spanno,
		.results = s->verify,
	};
	struct safeline_verifier *v;

	rcu_read_lock();
	v = rcu_dereference(s->verifier);
	if (v)
		safeline_verifier_chunk(v, chunk, DAHDI_CHUNKSIZE, alaw, line, &sink);
	rcu_read_unlock();
}

/*
 * The chunk in the direction that carries caller ID toward where it must
 * not go, handed to the suppressor. At the echo canceller's entry its
 * pre-echo source (mirror) is muted with it.
 */
static __always_inline void run_core(struct slot *s, const struct dahdi_chan *chan,
				     struct hooksig hs, bool alaw, u8 *chunk, u8 *mirror)
{
	u8 policy = READ_ONCE(s->policy);
	enum safeline_suppress_mode mode = mode_of(policy);
	enum safeline_suppress_hook line;

	if (safeline_suppress_passing(&s->sup, mode))
		return;
	line = line_state(hs, s->role);
	if (unlikely(policy == SAFELINE_POLICY_VERIFY))
		verify_chunk(s, chan, chunk, alaw, line);
	safeline_suppress_chunk(&s->sup, mode, alaw, line, chunk, DAHDI_CHUNKSIZE, mirror);
}

/*
 * Each receive chunk is processed once, at the first tap that sees it:
 * _dahdi_ec_span's own __dahdi_ec_chunk call and the _dahdi_receive that
 * follows an echo path skip a chunk the echo path already took.
 */
static __always_inline bool rx_first_sight(struct slot *s, enum safeline_tap tap)
{
	u8 taken = s->rx_taken;

	switch (tap) {
	case SAFELINE_TAP_EC_SPAN:
		s->rx_taken = RX_BY_EC_SPAN;
		return true;
	case SAFELINE_TAP_EC:
		s->rx_taken = RX_BY_EC;
		return taken != RX_BY_EC_SPAN;
	case SAFELINE_TAP_RX:
		s->rx_taken = 0;
		return !taken;
	default:
		return true;
	}
}

/* A receive chunk: counted per tap; an FXO port's goes through the core. */
static __always_inline void chan_rx(struct slot *s, const struct dahdi_chan *chan,
				    enum safeline_tap tap, u8 *chunk, u8 *preec)
{
	if (!rx_first_sight(s, tap))
		return;
	if (tap == SAFELINE_TAP_RX)
		s->rx_chunks++;
	else
		s->rx_ec_chunks++;
	if (s->role == SAFELINE_ROLE_FXO_PORT)
		run_core(s, chan, hooksig_of(chan), compat_chan_is_alaw(chan), chunk,
			 tap == SAFELINE_TAP_EC ? preec : NULL);
}

/*
 * A transmit chunk, which every channel passes once per tick: the channel's
 * time, law and hook state for the dump, its line for call events; an FXS
 * port's goes through the core.
 */
static __always_inline void chan_tx(struct slot *s, const struct dahdi_chan *chan,
				    u8 *chunk, unsigned long now)
{
	struct hooksig hs = hooksig_of(chan);
	u8 hook = hook_of(hs, s->role);
	bool alaw = compat_chan_is_alaw(chan);

	WRITE_ONCE(s->last_seen, now);
	WRITE_ONCE(s->law, alaw ? SAFELINE_LAW_ALAW : SAFELINE_LAW_ULAW);
	WRITE_ONCE(s->hook, hook);
	s->tx_chunks++;
	if (s->role == SAFELINE_ROLE_NONE)
		return;
	track_line(s, hs, hook);
	if (s->role == SAFELINE_ROLE_FXS_PORT)
		run_core(s, chan, hs, alaw, chunk, NULL);
}

void safeline_chan_ec_chunk(struct dahdi_chan *chan, u8 *rx, u8 *preec)
{
	struct slot *s = lookup(chan, true);

	if (s)
		chan_rx(s, chan, SAFELINE_TAP_EC, rx, preec);
}

/* One span's channels at a tap, with everything above inlined for that tap. */
static __always_inline void span_chunks(struct dahdi_span *span, enum safeline_tap tap)
{
	struct dahdi_chan **chans = READ_ONCE(span->chans);
	int n = READ_ONCE(span->channels);
	unsigned long now = jiffies;
	int x;

	if (unlikely(!chans))
		return;
	for (x = 0; x < n; x++) {
		struct dahdi_chan *chan = chans[x];
		struct slot *s;

		if (unlikely(!chan))
			continue;
		if (tap == SAFELINE_TAP_EC_SPAN && !READ_ONCE(chan->ec_current))
			continue;	/* as _dahdi_ec_span skips it */
		s = lookup(chan, true);
		if (!s)
			continue;
		if (tap == SAFELINE_TAP_TX)
			chan_tx(s, chan, chan->writechunk, now);
		else
			chan_rx(s, chan, tap, chan->readchunk, chan->readchunk);
	}
}

void safeline_chan_span(struct dahdi_span *span, enum safeline_tap tap)
{
	switch (tap) {
	case SAFELINE_TAP_EC_SPAN:
		span_chunks(span, SAFELINE_TAP_EC_SPAN);
		break;
	case SAFELINE_TAP_RX:
		span_chunks(span, SAFELINE_TAP_RX);
		break;
	case SAFELINE_TAP_TX:
		span_chunks(span, SAFELINE_TAP_TX);
		break;
	default:
		WARN_ON_ONCE(1);
	}
}

void safeline_chan_polarity(struct dahdi_chan *chan)
{
	int channo = READ_ONCE(chan->channo);
	struct slot *s;

	if (channo < 0 || channo >= max_channels)
		return;
	s = &slots[channo];
	if (bound_to(s, chan, READ_ONCE(chan->sig)) && s->role == SAFELINE_ROLE_FXO_PORT)
		report_type(s, SAFELINE_EVENT_POLARITY);
}

static bool live(const struct slot *s)
{
	return READ_ONCE(s->chan) &&
	       time_before(jiffies, READ_ONCE(s->last_seen) + STALE);
}

/* The raw counters, as the tick path has them now; under s->lock. */
static void read_counters(const struct slot *s, struct safeline_chan_info *c)
{
	int k;

	c->rx_ec_chunks = READ_ONCE(s->rx_ec_chunks);
	c->rx_chunks = READ_ONCE(s->rx_chunks);
	c->tx_chunks = READ_ONCE(s->tx_chunks);
	for (k = 0; k < SAFELINE_SUPPRESS_KINDS; k++)
		c->spills[k] = READ_ONCE(s->sup.spills[k]);
	c->muted_chunks = READ_ONCE(s->sup.muted_chunks);
	c->dtmf_blocked = atomic64_read(&s->dtmf_blocked);
	for (k = 0; k < SAFELINE_VERIFY_RESULTS; k++)
		c->verify[k] = READ_ONCE(s->verify[k]);
}

static void snapshot(struct slot *s, u32 channo, struct safeline_chan_info *info)
{
	unsigned long flags;
	int k;

	spin_lock_irqsave(&s->lock, flags);
	info->channo = channo;
	info->spanno = s->spanno;
	info->sig = s->sig;
	strscpy(info->name, s->name, sizeof(info->name));
	info->role = s->role;
	info->policy = s->policy;
	info->law = READ_ONCE(s->law);
	info->hook = READ_ONCE(s->hook);
	read_counters(s, info);
	info->rx_ec_chunks -= s->base.rx_ec_chunks;
	info->rx_chunks -= s->base.rx_chunks;
	info->tx_chunks -= s->base.tx_chunks;
	for (k = 0; k < SAFELINE_SUPPRESS_KINDS; k++)
		info->spills[k] -= s->base.spills[k];
	info->muted_chunks -= s->base.muted_chunks;
	info->dtmf_blocked -= s->base.dtmf_blocked;
	for (k = 0; k < SAFELINE_VERIFY_RESULTS; k++)
		info->verify[k] -= s->base.verify[k];
	spin_unlock_irqrestore(&s->lock, flags);
}

int safeline_chan_get(u32 *channo, bool next, struct safeline_chan_info *info)
{
	u32 n;

	for (n = *channo; n < max_channels; n++) {
		if (live(&slots[n])) {
			snapshot(&slots[n], n, info);
			*channo = n;
			return 0;
		}
		if (!next)
			break;
	}
	return -ENODEV;
}

/* Policy may go on s (verify: FXO ports only, their receive carries caller ID). */
static bool policy_fits(const struct slot *s, u8 policy)
{
	if (s->role == SAFELINE_ROLE_NONE)
		return false;
	return policy != SAFELINE_POLICY_VERIFY || s->role == SAFELINE_ROLE_FXO_PORT;
}

/*
 * One live channel gets policy. A verifier is allocated before the lock and
 * installed under it; one left behind is freed after every tick that might
 * still hold it (RCU), wiped with the key it carries.
 */
static int set_slot_policy(struct slot *s, u8 policy, bool *set)
{
	struct safeline_verifier *fresh = NULL, *old = NULL;
	bool verify = policy == SAFELINE_POLICY_VERIFY;
	unsigned long flags;

	*set = false;
	if (verify && !rcu_access_pointer(s->verifier)) {
		fresh = safeline_verifier_new();
		if (!fresh)
			return -ENOMEM;
	}
	spin_lock_irqsave(&s->lock, flags);
	if (policy_fits(s, policy)) {
		if (verify && !rcu_access_pointer(s->verifier)) {
			rcu_assign_pointer(s->verifier, fresh);
			fresh = NULL;
		} else if (!verify) {
			old = rcu_dereference_protected(s->verifier, lockdep_is_held(&s->lock));
			RCU_INIT_POINTER(s->verifier, NULL);
		}
		WRITE_ONCE(s->policy, policy);
		*set = true;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	safeline_verifier_free(fresh);
	if (old) {
		synchronize_rcu();
		safeline_verifier_free(old);
	}
	return 0;
}

/*
 * Live analog channels first..last (clamped to the table) get policy; *count
 * says how many. -ENOENT when no live channel is in the range, -EOPNOTSUPP
 * when none of those takes the policy (role none always passes; verify
 * needs an FXO port). Netlink requests are serialised (genl_mutex).
 */
int safeline_chan_set_policy(u32 first, u32 last, u8 policy, u32 *count)
{
	u32 n, seen = 0;
	bool set;
	int ret;

	*count = 0;
	for (n = first; n <= last && n < max_channels; n++) {
		struct slot *s = &slots[n];

		if (!live(s))
			continue;
		seen++;
		ret = set_slot_policy(s, policy, &set);
		if (ret)
			return ret;
		*count += set;
	}
	if (!seen)
		return -ENOENT;
	return *count ? 0 : -EOPNOTSUPP;
}

/*
 * Counters of the live channels first..last (clamped to the table) read 0
 * from now on; *count says how many. -ENOENT when none is live there.
 */
int safeline_chan_reset_counters(u32 first, u32 last, u32 *count)
{
	unsigned long flags;
	u32 n;

	*count = 0;
	for (n = first; n <= last && n < max_channels; n++) {
		struct slot *s = &slots[n];

		if (!live(s))
			continue;
		spin_lock_irqsave(&s->lock, flags);
		read_counters(s, &s->base);
		spin_unlock_irqrestore(&s->lock, flags);
		(*count)++;
	}
	return *count ? 0 : -ENOENT;
}

u64 safeline_chan_uncovered(void)
{
	return atomic64_read(&untracked);
}

void safeline_chan_set_default_policy(u8 policy)
{
	WRITE_ONCE(analog_default, policy);
}

u8 safeline_chan_default_policy(void)
{
	return READ_ONCE(analog_default);
}

int __init safeline_chan_init(void)
{
	unsigned int i;

	if (!max_channels || max_channels > DAHDI_MAX_CHANNELS * 64) {
		pr_err("max_channels=%u is out of range 1..%u\n", max_channels,
		       DAHDI_MAX_CHANNELS * 64);
		return -EINVAL;
	}
	analog_default = strict ? SAFELINE_POLICY_STRICT : SAFELINE_POLICY_SUPPRESS;
	slots = kvcalloc(max_channels, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < max_channels; i++) {
		spin_lock_init(&slots[i].lock);
		slots[i].sup.spill_ended = spill_ended;
	}
	return 0;
}

/* After the hooks are gone: nothing feeds the table any more. */
void safeline_chan_uninit(void)
{
	s64 n = atomic64_read(&untracked);
	unsigned int i;

	if (n)
		pr_warn("%lld chunks of channels numbered %u or above were not covered\n",
			n, max_channels);
	for (i = 0; i < max_channels; i++)
		safeline_verifier_free(rcu_dereference_protected(slots[i].verifier, true));
	kvfree(slots);
	slots = NULL;
}

/*
 * Card DTMF events (qevent.c): digits a card's own detector reports as
 * DAHDI_EVENT_DTMFDOWN/UP, outside the audio this file mutes.
 */
static bool policy_suppresses(u8 policy)
{
	return policy == SAFELINE_POLICY_SUPPRESS || policy == SAFELINE_POLICY_STRICT ||
	       policy == SAFELINE_POLICY_VERIFY;
}

static bool slot_hides_dtmf(struct slot *s, const struct dahdi_chan *chan)
{
	if (s->role == SAFELINE_ROLE_NONE || !policy_suppresses(READ_ONCE(s->policy)))
		return false;
	return line_state(hooksig_of(chan), s->role) != SAFELINE_SUPPRESS_OFF_HOOK ||
	       safeline_suppress_muting(&s->sup);
}

bool safeline_chan_hides_dtmf(const struct dahdi_chan *chan)
{
	struct slot *s = lookup(chan, false);

	return s && slot_hides_dtmf(s, chan);
}

/*
 * A DTMFUP goes where its DTMFDOWN went: one whose DOWN was kept would still
 * tell userspace the digit, one whose DOWN passed tells it nothing new. An UP
 * without a DOWN (queued before we loaded) is judged on its own.
 */
bool safeline_chan_block_dtmf(const struct dahdi_chan *chan, bool down)
{
	struct slot *s = lookup(chan, false);
	u8 last;
	bool block;

	if (!s)
		return false;
	if (down) {
		block = slot_hides_dtmf(s, chan);
		WRITE_ONCE(s->dtmf_down, block ? DTMF_DOWN_KEPT : DTMF_DOWN_PASSED);
	} else {
		last = READ_ONCE(s->dtmf_down);	/* a card reports one channel's events in order */
		WRITE_ONCE(s->dtmf_down, DTMF_DOWN_NONE);
		block = last == DTMF_DOWN_KEPT ||
			(last == DTMF_DOWN_NONE && slot_hides_dtmf(s, chan));
	}
	if (block)
		atomic64_inc(&s->dtmf_blocked);
	return block;
}
