// SPDX-License-Identifier: GPL-2.0
/*
 * UART framing and spill proof for the FSK detector (fsk.h): runs once per
 * bit centre, so the per-sample path stays a few multiplies.
 */
#include "fsk.h"

/*
 * Message types that open a spill (GR-30-CORE, EN 300 659-3): SDMF CID, SDMF
 * MWI, MDMF CID, MDMF MWI, advice of charge, SMS.
 */
static const uint8_t fsk_message_types[] = { 0x04, 0x06, 0x80, 0x82, 0x86, 0x89 };

/* NTT frames open with DLE (0x10); 7 data bits + even parity make it 0x90. */
#define FSK_JCLIP_DLE 0x90
/* 10 samples of an 8-bit frame, when a glitch posed as a start bit inside a mark */
#define FSK_FRAME_SAMPLES 67

void safeline_fsk_init(struct safeline_fsk *f)
{
	*f = (struct safeline_fsk){ 0 };
}

static int fsk_is_message_type(uint8_t byte)
{
	unsigned int i;

	for (i = 0; i < sizeof(fsk_message_types); i++)
		if (byte == fsk_message_types[i])
			return 1;
	return 0;
}

/* A whole clean frame arrived: does it complete a seizure or a message start? */
static int fsk_frame_done(struct safeline_fsk *f, uint8_t byte)
{
	uint32_t mark = f->mark_run;

	f->mark_run = 0;
	if (byte == 0x55) {
		if (++f->seizure_frames >= SAFELINE_FSK_SEIZURE_FRAMES)
			return SAFELINE_FSK_SEIZURE;
		return SAFELINE_FSK_NONE;
	}
	f->seizure_frames = 0;
	if (byte == 0xFF) {
		/* all ones: the mark goes on */
		f->mark_run = mark + FSK_FRAME_SAMPLES;
		return SAFELINE_FSK_NONE;
	}
	if (mark < SAFELINE_FSK_MARK_SAMPLES) {
		if (!f->data_frames || mark > SAFELINE_FSK_DATA_GAP) {
			f->data_frames = 0;
			return SAFELINE_FSK_NONE;
		}
		if (++f->data_frames < SAFELINE_FSK_DATA_FRAMES)
			return SAFELINE_FSK_NONE;
		f->data_frames = 0;
		return SAFELINE_FSK_MESSAGE;
	}
	if (fsk_is_message_type(byte))
		return SAFELINE_FSK_MESSAGE;
	if (byte == FSK_JCLIP_DLE)
		return SAFELINE_FSK_JCLIP;
	f->data_frames = 1;
	return SAFELINE_FSK_NONE;
}

/* Called at each bit centre while a frame is open, with the soft bit and band energy there. */
int safeline_fsk_frame(struct safeline_fsk *f, int32_t sq, int32_t se)
{
	int bit = sq < 0;	/* mark is 1 */

	if (!safeline_fsk_clean_at(sq, se))
		f->weak++;
	if (se < f->env_lo)
		f->env_lo = se;
	if (se > f->env_hi)
		f->env_hi = se;
	if (f->bitno == 1) {
		if (bit) {
			/* a glitch, not a start bit: back to idle, keep the mark */
			f->bitno = 0;
			return SAFELINE_FSK_NONE;
		}
		f->env_lo = f->env_hi = se;
		f->shift = 0;
		f->bitno = 2;
		return SAFELINE_FSK_NONE;
	}
	if (f->bitno <= 9) {
		f->shift = (f->shift >> 1) | (bit << 7);
		f->bitno++;
		/* too many weak bits or an envelope past 5:1 already: the frame proves nothing */
		f->doomed = f->weak > SAFELINE_FSK_WEAK_MAX ||
			    f->env_hi >= SAFELINE_FSK_ENV_RATIO * (f->env_lo + 1);
		return SAFELINE_FSK_NONE;
	}
	f->bitno = 0;
	f->doomed = 0;
	if (!bit || f->weak > SAFELINE_FSK_WEAK_MAX ||
	    f->env_hi / SAFELINE_FSK_ENV_RATIO > f->env_lo) {
		/* not a clean frame with FSK's flat envelope: proves nothing */
		f->mark_run = 0;
		f->seizure_frames = 0;
		f->data_frames = 0;
		return SAFELINE_FSK_NONE;
	}
	return fsk_frame_done(f, (uint8_t)f->shift);
}
