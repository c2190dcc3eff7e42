// SPDX-License-Identifier: GPL-2.0
/*
 * Call events: a bounded ring filled by the data path in atomic context and
 * drained by a work item that multicasts one SAFELINE_CMD_EVENT per event.
 */

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "event.h"
#include "netlink.h"
#include "uapi/linux/safeline.h"

/* An event as queued: what the data path said, stamped. */
struct record {
	struct safeline_event ev;
	u64 seq;
	u64 time_ns;
	u32 dropped;	/* events dropped just before this one */
};

/*
 * One raw spinlock, taken with interrupts off, guards the ring. Producers
 * are DAHDI's span ticks (hard or soft interrupt, kprobe handlers, any CPU)
 * and events are rare (a few per call), so contention is nil and the held
 * section is a 48-byte copy: bounded, and raw so that it stays a spinning
 * lock on PREEMPT_RT too. A lock-free multi-producer ring would need a
 * per-entry commit flag for the consumer and gain nothing at this rate.
 * Nothing is probed inside the locked sections, so a probe handler cannot
 * re-enter them on the same CPU.
 */
static struct {
	raw_spinlock_t lock;
	struct record *ring;	/* SAFELINE_EVENT_QUEUE_LEN entries */
	u64 head;		/* next to send */
	u64 tail;		/* next free */
	u64 seq;		/* last SEQ handed out, queued or dropped */
	u64 queued;		/* EVENTS_SENT */
	u64 dropped;		/* EVENTS_DROPPED */
	u32 dropped_since;	/* drops the next queued event reports */
} q = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(q.lock),
};

static void send_work(struct work_struct *work);
static DECLARE_WORK(sender, send_work);

void safeline_event_queue(const struct safeline_event *ev)
{
	struct record *r;
	unsigned long flags;

	raw_spin_lock_irqsave(&q.lock, flags);
	if (unlikely(!q.ring)) {
		raw_spin_unlock_irqrestore(&q.lock, flags);
		return;
	}
	q.seq++;
	if (q.tail - q.head >= SAFELINE_EVENT_QUEUE_LEN) {
		q.dropped++;
		if (q.dropped_since < U32_MAX)
			q.dropped_since++;
		raw_spin_unlock_irqrestore(&q.lock, flags);
		return;
	}
	r = &q.ring[q.tail % SAFELINE_EVENT_QUEUE_LEN];
	r->ev = *ev;
	r->seq = q.seq;
	r->time_ns = ktime_get_boottime_ns();	/* under the lock: SEQ order is time order */
	r->dropped = q.dropped_since;
	q.dropped_since = 0;
	q.tail++;
	q.queued++;
	raw_spin_unlock_irqrestore(&q.lock, flags);
	queue_work(system_wq, &sender);	/* a no-op while it is pending */
}

u64 safeline_event_sent(void)
{
	unsigned long flags;
	u64 n;

	raw_spin_lock_irqsave(&q.lock, flags);
	n = q.queued;
	raw_spin_unlock_irqrestore(&q.lock, flags);
	return n;
}

u64 safeline_event_dropped(void)
{
	unsigned long flags;
	u64 n;

	raw_spin_lock_irqsave(&q.lock, flags);
	n = q.dropped;
	raw_spin_unlock_irqrestore(&q.lock, flags);
	return n;
}

/* The oldest queued event into *r; false when the ring is empty. */
static bool pop(struct record *r)
{
	unsigned long flags;
	bool got = false;

	raw_spin_lock_irqsave(&q.lock, flags);
	if (q.head != q.tail) {
		*r = q.ring[q.head % SAFELINE_EVENT_QUEUE_LEN];
		q.head++;
		got = true;
	}
	raw_spin_unlock_irqrestore(&q.lock, flags);
	return got;
}

static size_t event_size(void)
{
	return 2 * nla_total_size_64bit(sizeof(u64)) +	/* SEQ TIME_NS */
	       4 * nla_total_size(sizeof(u32)) +	/* CHANNO SPANNO DROPPED DURATION_MS */
	       7 * nla_total_size(sizeof(u8));		/* TYPE ROLE POLICY, SPILL_*, VERIFY_* */
}

static int event_fill(struct sk_buff *skb, const struct record *r)
{
	const struct safeline_event *ev = &r->ev;

	if (nla_put_u8(skb, SAFELINE_EVENT_A_TYPE, ev->type) ||
	    nla_put_u64_64bit(skb, SAFELINE_EVENT_A_SEQ, r->seq, SAFELINE_EVENT_A_PAD) ||
	    nla_put_u64_64bit(skb, SAFELINE_EVENT_A_TIME_NS, r->time_ns, SAFELINE_EVENT_A_PAD) ||
	    nla_put_u32(skb, SAFELINE_EVENT_A_CHANNO, ev->channo) ||
	    nla_put_u32(skb, SAFELINE_EVENT_A_SPANNO, ev->spanno) ||
	    nla_put_u8(skb, SAFELINE_EVENT_A_ROLE, ev->role) ||
	    nla_put_u8(skb, SAFELINE_EVENT_A_POLICY, ev->policy))
		return -EMSGSIZE;
	if (r->dropped && nla_put_u32(skb, SAFELINE_EVENT_A_DROPPED, r->dropped))
		return -EMSGSIZE;
	if (ev->type == SAFELINE_EVENT_SPILL &&
	    (nla_put_u8(skb, SAFELINE_EVENT_A_SPILL_KIND, ev->spill_kind) ||
	     nla_put_u8(skb, SAFELINE_EVENT_A_SPILL_MUTED, ev->spill_muted) ||
	     nla_put_u32(skb, SAFELINE_EVENT_A_DURATION_MS, ev->duration_ms)))
		return -EMSGSIZE;
	if (ev->type == SAFELINE_EVENT_VERIFY &&
	    (nla_put_u8(skb, SAFELINE_EVENT_A_VERIFY_RESULT, ev->verify_result) ||
	     nla_put_u8(skb, SAFELINE_EVENT_A_VERIFY_STANDARD, ev->verify_standard)))
		return -EMSGSIZE;
	return 0;
}

/* One event to the group; with nobody listening, no message is even built. */
static void send_one(const struct record *r)
{
	struct sk_buff *skb;
	void *hdr;

	if (!safeline_netlink_event_listeners())
		return;
	skb = genlmsg_new(event_size(), GFP_KERNEL);
	if (!skb)
		return;
	hdr = safeline_netlink_event_put(skb);
	if (!hdr || event_fill(skb, r)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	/* consumes skb; a listener whose buffer is full gets ENOBUFS on its socket */
	safeline_netlink_event_send(skb);
}

static void send_work(struct work_struct *work)
{
	struct record r;

	while (pop(&r)) {
		send_one(&r);
		cond_resched();
	}
}

int __init safeline_event_init(void)
{
	struct record *ring;
	unsigned long flags;

	ring = kvcalloc(SAFELINE_EVENT_QUEUE_LEN, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	raw_spin_lock_irqsave(&q.lock, flags);
	q.ring = ring;
	raw_spin_unlock_irqrestore(&q.lock, flags);
	return 0;
}

/*
 * After the data path stopped (the hooks are gone, so nothing queues any
 * more): stop the sender, then free the ring. Events still queued are lost.
 */
void safeline_event_uninit(void)
{
	struct record *ring;
	unsigned long flags;

	cancel_work_sync(&sender);
	raw_spin_lock_irqsave(&q.lock, flags);
	ring = q.ring;
	q.ring = NULL;
	raw_spin_unlock_irqrestore(&q.lock, flags);
	kvfree(ring);
}
