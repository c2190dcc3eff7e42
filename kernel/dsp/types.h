/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only header the DSP core includes: fixed-width integers from the kernel
 * when built into safeline.ko, from the C library's freestanding headers otherwise.
 */
#ifndef SAFELINE_DSP_TYPES_H
#define SAFELINE_DSP_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#endif
