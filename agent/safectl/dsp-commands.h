/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The offline DSP tools, `safectl filter` and `safectl analyze`: the same
 * detector/suppressor core as safeline.ko, run over raw 8 kHz mono audio.
 * Both take --law ulaw|alaw|s16 (s16: signed 16-bit little-endian).
 */
#ifndef SAFECTL_DSP_COMMANDS_H
#define SAFECTL_DSP_COMMANDS_H

#include <string.h>

#include "kernel/dsp/cid.h"

int cmd_filter(int argc, char **argv);
int cmd_analyze(int argc, char **argv);

/* raw sample formats the tools read: the two G.711 laws, or 16-bit linear */
enum dsp_format {
	DSP_FORMAT_ULAW,
	DSP_FORMAT_ALAW,
	DSP_FORMAT_S16,
};

static inline int dsp_parse_format(const char *s, enum dsp_format *f)
{
	if (!strcmp(s, "ulaw"))
		*f = DSP_FORMAT_ULAW;
	else if (!strcmp(s, "alaw"))
		*f = DSP_FORMAT_ALAW;
	else if (!strcmp(s, "s16"))
		*f = DSP_FORMAT_S16;
	else
		return -1;
	return 0;
}

/* --hook on|off (and ringing, which strict mode treats like on-hook) */
static inline int dsp_parse_hook(const char *s, enum safeline_cid_hook *h)
{
	if (!strcmp(s, "on"))
		*h = SAFELINE_HOOK_ON;
	else if (!strcmp(s, "off"))
		*h = SAFELINE_HOOK_OFF;
	else if (!strcmp(s, "ringing"))
		*h = SAFELINE_HOOK_RINGING;
	else
		return -1;
	return 0;
}

static inline enum safeline_law dsp_format_law(enum dsp_format f)
{
	return f == DSP_FORMAT_ALAW ? SAFELINE_LAW_ALAW : SAFELINE_LAW_ULAW;
}

#endif
