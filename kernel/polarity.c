// SPDX-License-Identifier: GPL-2.0
/*
 * Line polarity reversals on FXO ports, for call events: drivers report them
 * only as DAHDI_EVENT_POLARITY through dahdi_qevent_lock/_nolock.
 */

#include <linux/kprobes.h>
#include <linux/ptrace.h>

#include "chan.h"
#include "compat.h"
#include "polarity.h"

/*
 * No field of struct dahdi_chan holds the polarity: a driver that senses a
 * reversal (wctdm, wcaxx, wctdm24xxp, xpp FXO modules) queues the event for
 * userspace and keeps nothing else. So the two exported functions drivers
 * queue events with are probed at entry; they run only when a driver has
 * something to say (hook, alarm, polarity: never per chunk). DAHDI's own
 * events (ring, hook) take the static __qevent and never come here.
 */
static int qevent_entry(struct kprobe *p, struct pt_regs *regs)
{
	struct dahdi_chan *chan = (void *)regs_get_kernel_argument(regs, 0);
	int event = regs_get_kernel_argument(regs, 1);

	if (event == DAHDI_EVENT_POLARITY && chan)
		safeline_chan_polarity(chan);
	return 0;
}

static struct kprobe qevent_lock_probe = {
	.symbol_name = "dahdi_qevent_lock",
	.pre_handler = qevent_entry,
};

static struct kprobe qevent_nolock_probe = {
	.symbol_name = "dahdi_qevent_nolock",
	.pre_handler = qevent_entry,
};

static struct kprobe *probes[] = { &qevent_lock_probe, &qevent_nolock_probe };

int __init safeline_polarity_init(void)
{
	int ret = register_kprobes(probes, ARRAY_SIZE(probes));

	if (ret)
		pr_err("cannot hook DAHDI's event queue for polarity: %d\n", ret);
	return ret;
}

/* Waits for handlers running on other CPUs: chan.c may go right after. */
void safeline_polarity_uninit(void)
{
	unregister_kprobes(probes, ARRAY_SIZE(probes));
}
