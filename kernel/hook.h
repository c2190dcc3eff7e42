/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interposition on unmodified DAHDI (hook.c): probes on the span tick that
 * hand every channel's chunks to chan.c.
 */
#ifndef _SAFELINE_HOOK_H
#define _SAFELINE_HOOK_H

#include <linux/types.h>

/* hits the probes could not handle (kprobe reentry, kretprobe instances exhausted) */
u64 safeline_hook_missed(void);

int safeline_hook_init(void);
void safeline_hook_uninit(void);

#endif /* _SAFELINE_HOOK_H */
