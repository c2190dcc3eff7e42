/* SPDX-License-Identifier: GPL-2.0 */
/* The caller-ID standards linesim sends, and when each is placed relative to the ring. */
#ifndef LINESIM_STD_H
#define LINESIM_STD_H

enum std_msg {
	STD_MSG_SDMF,	/* Bellcore single data message: date MMDDHHMM, then the number */
	STD_MSG_MDMF,	/* multiple data message: date, number, name parameters */
	STD_MSG_DTMF,	/* DTMF digits A<number>C */
};

enum std_place {
	STD_AFTER_RING,		/* in the silence after the first ring */
	STD_BEFORE_RING,	/* before the first ring */
};

struct std {
	const char *name;		/* CLI name */
	const char *title;		/* plain words, for the demo */
	int adsi_standard;		/* spandsp ADSI_STANDARD_* of the modem/receiver */
	enum std_msg msg;
	enum std_place place;
	int lead_silence_ms;		/* silence written before the signal */
	int alert_ms;			/* 2130+2750 Hz dual-tone alert, 0 = none */
	int alert_gap_ms;		/* alert end -> FSK start */
	int seizure_bits;		/* channel seizure 0101..., FSK only */
	int mark_bits;			/* mark before the message */
	int postamble_bits;		/* mark after the checksum */
	int ring_gap_ms;		/* before-ring: signal end -> first ring */
	int ring_on_ms, ring_off_ms;	/* ring cadence of the line */
	int number_min, number_max;	/* digits in the synthetic number */
};

/* Find a standard by CLI name; NULL if unknown. */
const struct std *std_find(const char *name);

/* The whole table, terminated by an entry with name == NULL. */
extern const struct std std_table[];

#endif
