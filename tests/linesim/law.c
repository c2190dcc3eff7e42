/* SPDX-License-Identifier: GPL-2.0 */
/* G.711 companding as DAHDI channels carry it (spandsp's tables; DAHDI uses the same
 * bit-inverted mu-law and 0x55-toggled A-law). */
#include <errno.h>
#include <string.h>

#include "law.h"
#include "spandsp_parts.h"

int law_parse(const char *name, enum law *law)
{
	if (!strcmp(name, "ulaw") || !strcmp(name, "mulaw"))
		*law = LAW_ULAW;
	else if (!strcmp(name, "alaw"))
		*law = LAW_ALAW;
	else
		return -EINVAL;
	return 0;
}

const char *law_name(enum law law)
{
	return law == LAW_ALAW ? "alaw" : "ulaw";
}

void law_encode(enum law law, const int16_t *amp, uint8_t *out, int len)
{
	for (int i = 0; i < len; i++)
		out[i] = law == LAW_ALAW ? linear_to_alaw(amp[i]) : linear_to_ulaw(amp[i]);
}

void law_decode(enum law law, const uint8_t *in, int16_t *amp, int len)
{
	for (int i = 0; i < len; i++)
		amp[i] = law == LAW_ALAW ? alaw_to_linear(in[i]) : ulaw_to_linear(in[i]);
}
