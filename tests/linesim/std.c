/* SPDX-License-Identifier: GPL-2.0 */
/* The caller-ID standards linesim sends; timings from docs cid-facts.md §2 and §4. */
#include <string.h>

#include "spandsp_parts.h"

#include "std.h"

const struct std std_table[] = {
	{
		/* GR-30 type I SDMF: FSK >= 500 ms after the first ring (cid-facts §2.1) */
		.name = "bell202-sdmf",
		.title = "Bell 202 SDMF after the first ring",
		.adsi_standard = ADSI_STANDARD_CLASS,
		.msg = STD_MSG_SDMF,
		.place = STD_AFTER_RING,
		.lead_silence_ms = 500,
		.seizure_bits = 300,	/* 30 x 0x55 (GR-30) */
		.mark_bits = 180,	/* GR-30 */
		.postamble_bits = 5,	/* spandsp's default */
		.ring_on_ms = 2000, .ring_off_ms = 4000,	/* US cadence */
		.number_min = 10, .number_max = 10,		/* SDMF: 10-digit NANP */
	},
	{
		/* GR-30 MDMF exactly as chan_dahdi writes it to phones (cid-facts §4):
		 * 500 ms silence, seizure, 150 ms mark, date/number/name, 50 ms mark */
		.name = "bell202-mdmf",
		.title = "Bell 202 MDMF after the first ring",
		.adsi_standard = ADSI_STANDARD_CLASS,
		.msg = STD_MSG_MDMF,
		.place = STD_AFTER_RING,
		.lead_silence_ms = 500,
		.seizure_bits = 300,
		.mark_bits = 180,
		.postamble_bits = 60,	/* Asterisk's 50 ms of mark */
		.ring_on_ms = 2000, .ring_off_ms = 4000,
		.number_min = 10, .number_max = 10,
	},
	{
		/* EN 300 659-1 after the first ring: FSK 500..2000 ms after it (cid-facts §2.3) */
		.name = "v23",
		.title = "ETSI V.23 after the first ring",
		.adsi_standard = ADSI_STANDARD_CLIP,
		.msg = STD_MSG_MDMF,
		.place = STD_AFTER_RING,
		.lead_silence_ms = 700,
		.seizure_bits = 300,	/* EN 300 659-1 on-hook */
		.mark_bits = 180,
		.postamble_bits = 5,
		.ring_on_ms = 1000, .ring_off_ms = 4000,	/* a European cadence */
		.number_min = 8, .number_max = 12,
	},
	{
		/* EN 300 659-1 before ring, DT-AS only: alert, 45..500 ms, FSK,
		 * first ring 200..500 ms after the FSK (cid-facts §2.3) */
		.name = "v23-dtas",
		.title = "ETSI V.23 with a DT-AS alert before the first ring",
		.adsi_standard = ADSI_STANDARD_CLIP,
		.msg = STD_MSG_MDMF,
		.place = STD_BEFORE_RING,
		.alert_ms = 100,	/* Lantiq's on-hook DT-AS */
		.alert_gap_ms = 100,
		.seizure_bits = 300,
		.mark_bits = 180,
		.postamble_bits = 5,
		.ring_gap_ms = 300,
		.ring_on_ms = 1000, .ring_off_ms = 4000,
		.number_min = 8, .number_max = 12,
	},
	{
		/* DTMF CLIP variant 1, A<number>C before the first ring, 70 ms tone /
		 * 70 ms gap (Lantiq, bcm63xx), ring 200..500 ms later (cid-facts §2.5) */
		.name = "dtmf",
		.title = "DTMF CLIP (A...C) before the first ring",
		.adsi_standard = ADSI_STANDARD_CLIP_DTMF,
		.msg = STD_MSG_DTMF,
		.place = STD_BEFORE_RING,
		.ring_gap_ms = 300,
		.ring_on_ms = 1000, .ring_off_ms = 4000,
		.number_min = 8, .number_max = 12,
	},
	{ .name = NULL },
};

const struct std *std_find(const char *name)
{
	for (const struct std *s = std_table; s->name; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}
