/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels and DAHDI releases safeline.ko builds
 * against, in one place. Debian's DAHDI 2.11 and dahdi-linux 3.x agree on all
 * that the data path reads (see docs/datapath.md); the helpers below say what
 * is read, so a release that moves a field changes only this file.
 */
#ifndef _SAFELINE_COMPAT_H
#define _SAFELINE_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>
#include <dahdi/kernel.h>

/*
 * fprobe (one ftrace-based entry+exit hook) exists since 5.18 but Debian 6.1
 * builds without CONFIG_FPROBE; kprobes on ftrace sites and rethook-based
 * kretprobes are what every distribution kernel has.
 */
#if !IS_ENABLED(CONFIG_KPROBES) || !IS_ENABLED(CONFIG_KRETPROBES)
#error "safeline.ko needs CONFIG_KPROBES and CONFIG_KRETPROBES"
#endif

/*
 * Joining the events group needs CAP_NET_ADMIN: genetlink checks
 * GENL_MCAST_CAP_NET_ADMIN since 6.7, backported to the stable kernels
 * (Debian's 6.1 has it). Kernels without it have no per-group check this
 * module could rely on, so anyone could listen to call metadata: there the
 * group exists but nothing is ever sent to it, and the module says so at
 * load (fail closed: no events rather than events for everyone).
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define COMPAT_MCAST_CAP_NET_ADMIN	GENL_MCAST_CAP_NET_ADMIN
#define COMPAT_MCAST_RESTRICTED		true
#else
#define COMPAT_MCAST_CAP_NET_ADMIN	0
#define COMPAT_MCAST_RESTRICTED		false
#endif


/* A channel DAHDI has numbered and not yet torn down (dahdi_chan_unreg). */
static inline bool compat_chan_registered(const struct dahdi_chan *chan)
{
	return test_bit(DAHDI_FLAGBIT_REGISTERED, &chan->flags);
}

/* The law in use now: DAHDI_SETLAW swaps chan->xlaw, deflaw is only the default. */
static inline bool compat_chan_is_alaw(const struct dahdi_chan *chan)
{
	return READ_ONCE(chan->xlaw) == __dahdi_alaw;
}

/* Audio the core leaves alone: hardware HDLC and such (as _dahdi_receive skips them). */
static inline bool compat_chan_bypasses_core(const struct dahdi_chan *chan)
{
	return READ_ONCE(chan->flags) & DAHDI_FLAG_NOSTDTXRX;
}

#endif /* _SAFELINE_COMPAT_H */
