/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Caller-ID verifier for a designated verification line: decodes the spill
 * (Bell 202 SDMF/MDMF, V.23 MDMF, DTMF CLIP), compares the number with the
 * agency's own numbers as keyed hashes (SipHash-2-4), wipes the digits and
 * reports only withheld / presented-not-ours / presented-ours. It reads the
 * audio and never alters it: the suppressor beside it does the muting.
 * Fixed-size state, no allocation, integers only, like the rest of dsp/.
 */
#ifndef SAFELINE_DSP_VERIFY_H
#define SAFELINE_DSP_VERIFY_H

#include "types.h"
#include "g711.h"
#include "fsk.h"
#include "siphash.h"

/* Own-number hashes the table holds: every variant of a few lines (agent side). */
#define SAFELINE_VERIFY_HASHES 16
/*
 * Digits kept while a number arrives; longer numbers are never ours. EN 300
 * 659-3 allows 20 CLI digits, Asterisk truncates at 32.
 */
#define SAFELINE_VERIFY_DIGITS 32

enum safeline_verify_outcome {
	SAFELINE_VERIFY_WITHHELD = 1,	/* no number digits: 'P'/'O', DTMF B-code or D1#..D3# */
	SAFELINE_VERIFY_NOT_OURS = 2,	/* a number, not in the table */
	SAFELINE_VERIFY_OURS = 3,	/* one of our numbers: the blocking failed */
};

/* Which standard carried the message. */
enum safeline_verify_kind {
	SAFELINE_VERIFY_BELL202_SDMF = 1,
	SAFELINE_VERIFY_BELL202_MDMF = 2,
	SAFELINE_VERIFY_V23_SDMF = 3,
	SAFELINE_VERIFY_V23_MDMF = 4,
	SAFELINE_VERIFY_DTMF = 5,
};

struct safeline_verify_report {
	uint8_t outcome;	/* safeline_verify_outcome */
	uint8_t kind;		/* safeline_verify_kind */
	uint64_t sample;	/* samples since init when the message ended */
};

/* Called from safeline_verify_rx() (atomic context in the kernel: only queue). */
typedef void (*safeline_verify_report_fn)(void *user, const struct safeline_verify_report *r);

struct safeline_verify_params {
	enum safeline_law law;
	uint8_t key[SAFELINE_SIPHASH_KEY_BYTES];	/* never logged, never reported */
	/* safeline_siphash24(key, digits) of each own-number variant (see verify.md) */
	uint64_t hashes[SAFELINE_VERIFY_HASHES];
	unsigned int nhashes;
	/* also compare the last suffix_digits digits of longer numbers; 0: whole number only */
	unsigned int suffix_digits;
	safeline_verify_report_fn report;	/* may be NULL */
	void *user;
};

/* Where the FSK message parser is. */
enum safeline_verify_msg {
	SAFELINE_VERIFY_MSG_IDLE = 0,
	SAFELINE_VERIFY_MSG_LENGTH,	/* type byte seen, length next */
	SAFELINE_VERIFY_MSG_BODY,
	SAFELINE_VERIFY_MSG_CHECKSUM,
};

/* DTMF digits on 102-sample Goertzel blocks (12.75 ms, as spandsp and Asterisk use). */
struct safeline_verify_dtmf {
	int32_t s1[8], s2[8];	/* rows 697..941 Hz, then columns 1209..1633 Hz */
	int64_t energy;		/* sum of x^2 over the block */
	uint16_t pos;		/* samples into the block */
	int8_t cand;		/* symbol of the last block, -1 none */
	int8_t held;		/* symbol accepted and not yet released, -1 none */
	uint8_t off_blocks;	/* blocks since the held symbol was last seen */
	uint8_t frame;		/* safeline_verify_dtmf_frame: where A..C parsing is */
	uint8_t info;		/* B-code digits seen (info field) */
	uint8_t ndigits;
	uint8_t overflow;	/* more digits than fit: not ours */
	uint32_t quiet;		/* samples since the last accepted symbol */
	uint8_t digits[SAFELINE_VERIFY_DIGITS];	/* ASCII; wiped after every message */
};

/*
 * A UART of its own on the suppressor's FSK front end: the verifier needs
 * every byte right, not the earliest proof, so each bit is the sum of 3 soft
 * bits around its centre with a threshold bias (the suppressor samples one
 * soft bit against 0), which takes V.23 byte errors at 20 dB SNR from ~2 %
 * to ~0.1 % at the standards' tolerance corners (verify.c).
 */
struct safeline_verify_uart {
	struct safeline_fsk_front fr;
	int32_t sq1, sq2;	/* soft bits 1 and 2 samples back */
	int32_t se1, se2;	/* band energy 1 and 2 samples back */
	int32_t phase;		/* thirds of a sample to the next bit decision */
	uint16_t shift;		/* data bits being assembled, LSB first */
	uint8_t bitno;		/* 0 idle, 1 start bit, 2..9 data, 10 stop */
};

struct safeline_verify {
	struct safeline_verify_uart uart;
	/* mark tone: 1200 Hz (Bell 202) or 1300 Hz (V.23), on 160-sample blocks */
	int32_t m1[2], m2[2];
	int64_t menergy;
	uint16_t mpos;
	uint8_t v23;		/* the last pure-mark block was V.23 */
	/* FSK message */
	uint8_t msg;		/* safeline_verify_msg */
	uint8_t type;		/* 0x04 SDMF, 0x80 MDMF */
	uint8_t sum;		/* running mod-256 sum for the checksum */
	uint8_t left;		/* body bytes still to come */
	uint8_t at;		/* SDMF: body index; MDMF: 0 param type next, 1 length, 2 data */
	uint8_t param;		/* MDMF parameter being read */
	uint8_t param_left;	/* its bytes still to come */
	uint8_t ndigits;
	uint8_t overflow;
	uint16_t mark;		/* clean mark samples since the last frame */
	uint16_t idle;		/* idle samples since the last frame */
	uint8_t digits[SAFELINE_VERIFY_DIGITS];	/* ASCII; wiped after every message */
	struct safeline_verify_dtmf dtmf;
	/* configuration */
	uint8_t key[SAFELINE_SIPHASH_KEY_BYTES];
	uint64_t hashes[SAFELINE_VERIFY_HASHES];
	uint8_t nhashes;
	uint8_t suffix_digits;
	uint8_t law;
	safeline_verify_report_fn report;
	void *user;
	uint64_t pos;		/* samples since init */
};

void safeline_verify_init(struct safeline_verify *v, const struct safeline_verify_params *p);
/* Reads G.711 bytes of the configured law; never writes them. Returns len. */
int safeline_verify_rx(struct safeline_verify *v, const uint8_t *buf, int len);
/* The same on 16-bit linear samples. Returns len. */
int safeline_verify_rx_linear(struct safeline_verify *v, const int16_t *amp, int len);
/* Wipes the whole state, key and table included (channel teardown). */
void safeline_verify_forget(struct safeline_verify *v);

#endif
