/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verification line, agent side (docs/verify.md): the own numbers as
 * keyed hashes for safeline.ko (verify-hash.c), the record of the last
 * verifications in the store's tmpfs directory (verify-state.c) and the
 * loop that loads the kernel, watches its verdicts and alerts (verify.c).
 * No function here logs or returns a number, a hash or the key.
 */
#ifndef SAFELINED_VERIFY_H
#define SAFELINED_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "agent/safelined/conf.h"

#define VERIFY_KEY_BYTES 16	/* SAFELINE_VERIFY_KEY_LEN */

/* verify-hash.c */

/*
 * text's digits into digits[size]: '+', '-', '.', '(', ')' and blanks are
 * dropped, anything else is -EINVAL, no digit at all too; more than
 * CONF_VERIFY_MAX_DIGITS digits is -ERANGE. On error digits is wiped.
 */
int verify_normalise(const char *text, char *digits, size_t size);
/* SipHash-2-4 under key of what the kernel compares for digits: its last suffix digits, or all */
uint64_t verify_hash_number(const uint8_t key[VERIFY_KEY_BYTES], const char *digits,
			    unsigned int suffix);
/* The table for v under key into hashes[CONF_VERIFY_MAX_NUMBERS], duplicates dropped: how many. */
size_t verify_hashes(const struct conf_verify *v, const uint8_t key[VERIFY_KEY_BYTES],
		     uint64_t *hashes);

/* verify-state.c */

enum verify_result {
	VERIFY_RESULT_NONE,
	VERIFY_RESULT_WITHHELD,	/* the uapi's enum safeline_verify_result, 1..3 */
	VERIFY_RESULT_NOT_OURS,
	VERIFY_RESULT_OURS,
};

/* Kept in <store dir>/verify, so an agent restart keeps it; tmpfs, so a reboot does not. */
struct verify_state {
	int64_t since;		/* when verification was first configured (the interval's start) */
	int64_t last_ok;	/* last WITHHELD verdict, 0 never */
	int64_t last_time;	/* last verdict of any kind, 0 never */
	uint8_t last_result;	/* enum verify_result */
	bool failed;		/* an OURS verdict and no WITHHELD since */
};

enum verify_health {
	VERIFY_HEALTH_OFF,	/* no verify section */
	VERIFY_HEALTH_OK,	/* verified within the interval */
	VERIFY_HEALTH_PENDING,	/* not yet verified, the first interval still running */
	VERIFY_HEALTH_FAILED,	/* our number was presented: blocking broke */
	VERIFY_HEALTH_OVERDUE,	/* no successful verification within the interval */
};

const char *verify_result_name(uint8_t result);
const char *verify_health_name(enum verify_health h);
enum verify_health verify_health(const struct conf_verify *v, const struct verify_state *st,
				 time_t now);
/* Reads dir/verify; -ENOENT when there is none yet (st is then zeroed). */
int verify_state_load(const char *dir, struct verify_state *st);
/* Writes dir/verify atomically (0600, a temporary name renamed over it). */
int verify_state_save(const char *dir, const struct verify_state *st);

/* verify.c: the daemon's side, one per process */

struct Manager;
/* After manager_start(): reads the state, starts watching. Logs why it failed. */
int verify_start(struct Manager *m);
/* After a connect or a reload: load the kernel's table and policy on the next poll, now. */
void verify_apply(struct Manager *m);
void verify_stop(void);
/* The control socket's status record: " verify=... verify_last_ok=..." (leading space); nothing when off. */
void verify_status_fields(struct Manager *m, FILE *out);
/* "; verification: ..." for sd_notify STATUS=, "" when off; never longer than size. */
void verify_status_text(struct Manager *m, char *buf, size_t size);

#endif
