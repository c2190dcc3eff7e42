/* SPDX-License-Identifier: GPL-2.0 */
/* G.711 companding as DAHDI channels carry it: linesim reads and writes in the channel's law. */
#ifndef LINESIM_LAW_H
#define LINESIM_LAW_H

#include <stdint.h>

enum law { LAW_ULAW, LAW_ALAW };

int law_parse(const char *name, enum law *law);	/* 0, or -EINVAL */
const char *law_name(enum law law);
void law_encode(enum law law, const int16_t *amp, uint8_t *out, int len);
void law_decode(enum law law, const uint8_t *in, int16_t *amp, int len);

#endif
