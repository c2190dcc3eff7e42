/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether memory holding call metadata could be paged to disk in the
 * clear: tmpfs pages go to swap like any others.
 */
#ifndef SAFELINED_SWAP_H
#define SAFELINED_SWAP_H

#include <stddef.h>

/*
 * Counts active swap areas in proc_swaps (normally "/proc/swaps") that are
 * not known to be encrypted (a dm-crypt mapping, per sys_block/dm-N/dm/uuid)
 * or in memory (zram). Returns the count, or a negative errno.
 */
int swap_unencrypted(const char *proc_swaps, const char *sys_block);

#endif
