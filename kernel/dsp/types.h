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

/*
 * A scratch array of the hot path, written before it is read: kernels built
 * with CONFIG_INIT_STACK_ALL_ZERO (Debian's) would clear it at every call,
 * ~20 instructions per 8-sample chunk for the sample buffers alone.
 */
#ifdef __has_attribute
#if __has_attribute(__uninitialized__)
#define SAFELINE_SCRATCH __attribute__((__uninitialized__))
#endif
#endif
#ifndef SAFELINE_SCRATCH
#define SAFELINE_SCRATCH
#endif

#endif
