// SPDX-License-Identifier: GPL-2.0
/*
 * Interposition on unmodified DAHDI: kprobes on the span tick's entry points
 * and a kretprobe on _dahdi_transmit, handing each channel's chunk to chan.c.
 */

#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/sched/clock.h>

#include "chan.h"
#include "compat.h"
#include "qevent.h"
#include "hook.h"

/*
 * Receive audio is taken before anything in DAHDI reads it: at the entry of
 * __dahdi_ec_chunk (drivers call it per channel, before _dahdi_receive, and
 * it copies the pre-echo audio for monitor conferences and trains the echo
 * canceller), of _dahdi_ec_span (which calls __dahdi_ec_chunk but may have
 * it inlined in another build), and of _dahdi_receive for channels no echo
 * path took this tick. Transmit audio is taken when _dahdi_transmit returns,
 * after the core wrote every writechunk and before the driver sends them.
 *
 * Each probe gets the span or channel DAHDI is working on right now, which is
 * the only way channels are reached: nothing here outlives the call.
 */

static bool bench;
module_param(bench, bool, 0444);
MODULE_PARM_DESC(bench, "Measure the hooks' cost: a self-test at load, per-tick times at unload");

/* time spent in a hook's own work (bench=1 only); racy sums are fine for an average */
struct cost {
	atomic64_t ns;
	atomic64_t calls;
	atomic64_t chans;
};

static struct cost rx_cost, tx_cost;

static u64 cost_begin(void)
{
	return bench ? local_clock() : 0;
}

static void cost_end(struct cost *c, u64 t0, int chans)
{
	if (!bench)
		return;
	atomic64_add(local_clock() - t0, &c->ns);
	atomic64_inc(&c->calls);
	atomic64_add(chans, &c->chans);
}

static struct dahdi_span *arg_span(struct pt_regs *regs)
{
	return (struct dahdi_span *)regs_get_kernel_argument(regs, 0);
}

/* __dahdi_ec_chunk(chan, rxchunk, preecchunk, txchunk) */
static int ec_chunk_entry(struct kprobe *p, struct pt_regs *regs)
{
	struct dahdi_chan *chan = (void *)regs_get_kernel_argument(regs, 0);
	u8 *rx = (u8 *)regs_get_kernel_argument(regs, 1);
	u8 *preec = (u8 *)regs_get_kernel_argument(regs, 2);

	safeline_chan_ec_chunk(chan, rx, preec);
	return 0;
}

static int ec_span_entry(struct kprobe *p, struct pt_regs *regs)
{
	safeline_chan_span(arg_span(regs), SAFELINE_TAP_EC_SPAN);
	return 0;
}

static int receive_entry(struct kprobe *p, struct pt_regs *regs)
{
	struct dahdi_span *span = arg_span(regs);
	u64 t0 = cost_begin();

	safeline_chan_span(span, SAFELINE_TAP_RX);
	cost_end(&rx_cost, t0, span->channels);
	return 0;
}

/* the span is an argument: only the entry sees it, the return hands it over */
static int transmit_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(struct dahdi_span **)ri->data = arg_span(regs);
	return 0;
}

static int transmit_exit(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct dahdi_span *span = *(struct dahdi_span **)ri->data;
	u64 t0 = cost_begin();

	safeline_chan_span(span, SAFELINE_TAP_TX);
	cost_end(&tx_cost, t0, span->channels);
	return 0;
}

/*
 * Entry probes sit on the first instruction after the fentry call, not on it:
 * there they are breakpoint (or, once optimized, jump) probes instead of
 * ftrace-based ones. In the rig (QEMU TCG, 2 vCPUs), arming and disarming
 * ftrace-based kprobes on these functions while they run at 1 kHz crashes
 * the guest with a call to NULL from the ftrace trampoline, the kernel's
 * own tracefs probes included; breakpoint probes survived (docs/datapath.md).
 * The arguments are still in their registers there. Where that address is
 * not an instruction boundary (an endbr64 first, with IBT), registration
 * fails and the probe falls back to the function's entry.
 */
#define PAST_FENTRY MCOUNT_INSN_SIZE

static struct kprobe ec_chunk_probe = {
	.symbol_name = "__dahdi_ec_chunk",
	.pre_handler = ec_chunk_entry,
};

static struct kprobe ec_span_probe = {
	.symbol_name = "_dahdi_ec_span",
	.pre_handler = ec_span_entry,
};

static struct kprobe receive_probe = {
	.symbol_name = "_dahdi_receive",
	.pre_handler = receive_entry,
};

/* in the order audio meets them within a tick */
static struct kprobe *entry_probes[] = {
	&ec_span_probe, &ec_chunk_probe, &receive_probe,
};
static int entry_probes_registered;

static struct kretprobe transmit_probe = {
	.kp.symbol_name = "_dahdi_transmit",
	.entry_handler = transmit_entry,
	.handler = transmit_exit,
	.data_size = sizeof(struct dahdi_span *),
};

u64 safeline_hook_missed(void)
{
	u64 n = transmit_probe.nmissed + transmit_probe.kp.nmissed;
	int i;

	for (i = 0; i < ARRAY_SIZE(entry_probes); i++)
		n += entry_probes[i]->nmissed;
	return n;
}

/*
 * bench=1: what a probe costs by itself. A call to an empty function, bare,
 * under a kprobe at its entry (ftrace), past fentry (breakpoint, then a jump
 * once optimized: the DAHDI entry hooks) and under a kretprobe (the transmit
 * hook), all with empty handlers.
 */
static noinline void bench_target(void *arg)
{
	/* room for the 5-byte jump of an optimized kprobe past fentry */
	asm volatile("nop; nop; nop; nop; nop; nop; nop; nop" : : "r"(arg) : "memory");
}

static int bench_nop_entry(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}

static int bench_nop_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

#define BENCH_CALLS 20000

static u64 bench_ns_per_call(void)
{
	u64 t0 = local_clock();
	int i;

	for (i = 0; i < BENCH_CALLS; i++)
		bench_target(&i);
	return div_u64(local_clock() - t0, BENCH_CALLS);
}

static void __init bench_probe_cost(void)
{
	struct kprobe kp = { .addr = (kprobe_opcode_t *)bench_target,
			     .pre_handler = bench_nop_entry };
	struct kprobe bp = { .addr = (kprobe_opcode_t *)bench_target,
			     .offset = PAST_FENTRY, .pre_handler = bench_nop_entry };
	struct kretprobe rp = { .kp.addr = (kprobe_opcode_t *)bench_target,
				.handler = bench_nop_ret, .maxactive = 4 };
	u64 bare, with_kp = 0, with_bp = 0, with_opt = 0, with_rp = 0;

	bare = bench_ns_per_call();
	if (!register_kprobe(&kp)) {
		with_kp = bench_ns_per_call();
		unregister_kprobe(&kp);
	}
	if (!register_kprobe(&bp)) {
		with_bp = bench_ns_per_call();
		msleep(100);	/* the kprobe optimizer turns it into a jump after ~5 jiffies */
		with_opt = bench_ns_per_call();
		unregister_kprobe(&bp);
	}
	if (!register_kretprobe(&rp)) {
		with_rp = bench_ns_per_call();
		unregister_kretprobe(&rp);
	}
	pr_info("bench: call %llu ns; with kprobe at entry%s %llu ns\n",
		bare, kprobe_ftrace(&kp) ? " (ftrace)" : "", with_kp);
	pr_info("bench: with kprobe past fentry %llu ns (%llu ns after 100 ms), kretprobe %llu ns\n",
		with_bp, with_opt, with_rp);
}

static void report_cost(const char *what, struct cost *c)
{
	u64 calls = atomic64_read(&c->calls);
	u64 chans = atomic64_read(&c->chans);
	u64 ns = atomic64_read(&c->ns);

	if (calls && chans)
		pr_info("bench: %s hook %llu span ticks, %llu ns per tick, %llu ns per channel\n",
			what, calls, div64_u64(ns, calls), div64_u64(ns, chans));
}

static int __init register_entry_probe(struct kprobe *p)
{
	int ret;

	p->offset = PAST_FENTRY;
	ret = register_kprobe(p);
	if (ret != -EILSEQ && ret != -EINVAL)
		return ret;
	pr_info("%s+%d is no instruction boundary: probing its entry\n",
		p->symbol_name, PAST_FENTRY);
	p->offset = 0;
	p->addr = NULL;
	p->flags = 0;
	return register_kprobe(p);
}

/* Last in module init: audio flows through chan.c once this returns 0. */
int __init safeline_hook_init(void)
{
	int ret, i;

	if (bench)
		bench_probe_cost();

	/* one instance per span tick in flight: a few per CPU is plenty */
	transmit_probe.maxactive = max_t(int, 16, 4 * num_possible_cpus());
	ret = register_kretprobe(&transmit_probe);
	if (ret) {
		pr_err("cannot hook _dahdi_transmit: %d\n", ret);
		return ret;
	}
	for (i = 0; i < ARRAY_SIZE(entry_probes); i++) {
		ret = register_entry_probe(entry_probes[i]);
		if (ret) {
			pr_err("cannot hook %s: %d\n", entry_probes[i]->symbol_name, ret);
			unregister_kprobes(entry_probes, i);
			unregister_kretprobe(&transmit_probe);
			return ret;
		}
	}
	entry_probes_registered = i;
	/* the card's DTMF events: beside the audio, so a channel muted there is muted here */
	ret = safeline_qevent_init();
	if (ret) {
		unregister_kprobes(entry_probes, entry_probes_registered);
		unregister_kretprobe(&transmit_probe);
		return ret;
	}
	return 0;
}

/*
 * First in module exit. Both calls wait for handlers running on other CPUs
 * (synchronize_rcu), so chan.c's table can go right after.
 */
void safeline_hook_uninit(void)
{
	u64 missed;

	safeline_qevent_uninit();
	unregister_kprobes(entry_probes, entry_probes_registered);
	unregister_kretprobe(&transmit_probe);
	report_cost("receive", &rx_cost);
	report_cost("transmit", &tx_cost);
	missed = safeline_hook_missed();
	if (missed)
		pr_warn("%llu span ticks were missed by the hooks\n", missed);
}
