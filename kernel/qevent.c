// SPDX-License-Identifier: GPL-2.0
/*
 * DAHDI's driver event queue, probed for two things drivers report nowhere
 * else: digits that bypass the audio path, and line polarity reversals.
 *
 * Digits: cards whose echo canceller detects DTMF
 * (the VPM450M of wct4xxp, xpp's FXS modules) report each digit as
 * DAHDI_EVENT_DTMFDOWN|digit and DAHDI_EVENT_DTMFUP|digit through the
 * exported dahdi_qevent_lock() or dahdi_qevent_nolock(), both thin wrappers
 * around DAHDI's static __qevent(), which queues it for DAHDI_GETEVENT. A
 * DTMF caller-ID spill muted in the audio would still reach userspace that
 * way. So both entry points are probed, and a digit event on a channel that
 * chan.c says must not hear caller ID now is dropped: the call returns
 * before DAHDI queues anything. Every other event passes untouched.
 *
 * Polarity: no field of struct dahdi_chan holds it; a driver that senses a
 * reversal (wctdm, wcaxx, wctdm24xxp, xpp FXO modules) only queues
 * DAHDI_EVENT_POLARITY here, which chan.c turns into a call event. DAHDI's
 * own events (ring, hook) take the static __qevent and never come here.
 */

#include <linux/kprobes.h>
#include <linux/ftrace.h>
#include <linux/ptrace.h>

#include "chan.h"
#include "compat.h"
#include "qevent.h"

/*
 * Where a dropped event goes: the probe sends the call here instead of into
 * DAHDI's function, at its first instruction, with nothing pushed yet, so
 * this returns straight to the driver that queued the event.
 */
static noinline void event_dropped(struct dahdi_chan *chan, int event)
{
	barrier();	/* not folded into anything else: the probe jumps here */
}

static int qevent_entry(struct kprobe *p, struct pt_regs *regs)
{
	struct dahdi_chan *chan = (void *)regs_get_kernel_argument(regs, 0);
	int event = regs_get_kernel_argument(regs, 1);

	if (!chan)
		return 0;
	if (event == DAHDI_EVENT_POLARITY) {
		safeline_chan_polarity(chan);
		return 0;
	}
	if (!(event & (DAHDI_EVENT_DTMFDOWN | DAHDI_EVENT_DTMFUP)))
		return 0;
	if (!safeline_chan_block_dtmf(chan, event & DAHDI_EVENT_DTMFDOWN))
		return 0;
	instruction_pointer_set(regs, (unsigned long)event_dropped);
	return 1;	/* the handler moved the IP: kprobes skips the probed instruction */
}

/*
 * Why a post handler that does nothing: a kprobe's pre handler may change
 * the execution path (set the IP, return 1) only when the probe is a real
 * breakpoint or ftrace-based. On x86_64 6.1 the kprobe optimizer turns a
 * breakpoint probe into a jump to a detour buffer ~5 jiffies after it is
 * armed, and that path (optimized_callback) restores the registers but
 * ignores a new IP, so the event would be queued after all. A probe with a
 * post handler is never optimized (Documentation/trace/kprobes.rst,
 * "Optimization"): these probes stay int3 breakpoints, which cost more per
 * hit, but events are rare (a few per digit), unlike the tick's chunks. If
 * the probe falls back to the function's fentry (ftrace-based), a new IP is
 * honoured there too: the ftrace trampoline returns to regs->ip.
 *
 * Rewriting the event argument instead (rsi) works under an optimized probe
 * as well, but there is no event number DAHDI and its users ignore: any
 * value is queued, wakes readers and makes read() fail with ELAST.
 */
static void qevent_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
}

/*
 * Past the fentry call, as hook.c's entry probes and for the same reason:
 * arming ftrace-based kprobes crashed the rig (docs/datapath.md).
 */
#define PAST_FENTRY MCOUNT_INSN_SIZE

static struct kprobe qevent_lock_probe = {
	.symbol_name = "dahdi_qevent_lock",
	.pre_handler = qevent_entry,
	.post_handler = qevent_post,
};

static struct kprobe qevent_nolock_probe = {
	.symbol_name = "dahdi_qevent_nolock",
	.pre_handler = qevent_entry,
	.post_handler = qevent_post,
};

static struct kprobe *qevent_probes[] = { &qevent_lock_probe, &qevent_nolock_probe };

static int __init register_qevent_probe(struct kprobe *p)
{
	int ret;

	p->offset = PAST_FENTRY;
	ret = register_kprobe(p);
	if (ret != -EILSEQ && ret != -EINVAL)
		return ret;
	p->offset = 0;
	p->addr = NULL;
	p->flags = 0;
	return register_kprobe(p);
}

int __init safeline_qevent_init(void)
{
	int ret, i;

	for (i = 0; i < ARRAY_SIZE(qevent_probes); i++) {
		ret = register_qevent_probe(qevent_probes[i]);
		if (ret) {
			pr_err("cannot hook %s: %d\n", qevent_probes[i]->symbol_name, ret);
			unregister_kprobes(qevent_probes, i);
			return ret;
		}
	}
	return 0;
}

/* Waits for handlers running on other CPUs: chan.c's table may go after. */
void safeline_qevent_uninit(void)
{
	unregister_kprobes(qevent_probes, ARRAY_SIZE(qevent_probes));
}
