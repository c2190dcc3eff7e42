/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SafeLine release, shared by safeline.ko (MODULE_VERSION, status reply)
 * and the userspace tools (--version), so both always say the same thing.
 */
#ifndef SAFELINE_VERSION
#define SAFELINE_VERSION "0.1.0"
#endif
