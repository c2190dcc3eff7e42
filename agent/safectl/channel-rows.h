/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `safectl channels`' rows, apart from its socket so that unit tests can
 * feed it hand-built GET_CHANNEL messages.
 */
#ifndef SAFECTL_CHANNEL_ROWS_H
#define SAFECTL_CHANNEL_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl_msg;

struct channel_row {
	uint32_t channo, spanno, sig;
	char name[40];
	uint8_t role, law, policy, hook;
	uint64_t rx_ec, rx, tx;
	uint64_t spills[5];	/* by kind, in the uapi header's order */
	uint64_t muted;
	/* counters newer modules add: shown only when present */
	bool has_dtmf_blocked, has_verify;
	uint64_t dtmf_blocked;
	uint64_t verify[3];	/* withheld, not ours, ours */
};

/* the rows a request brought back (free(rows) when done) */
struct channel_rows {
	struct channel_row *rows;
	size_t n, cap;
};

/* safeline_genl_transact()'s parser: one GET_CHANNEL message into a new row of arg */
int channel_rows_parse(struct nl_msg *msg, void *arg);

/* On stdout: a JSON array of objects, or an aligned table. */
void channel_rows_print_json(const struct channel_rows *rows);
void channel_rows_print_table(const struct channel_rows *rows);

#endif
