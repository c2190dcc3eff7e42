/* SPDX-License-Identifier: GPL-2.0 */
/* A job: calls of one standard, law and direction over a set of pairs, and its tally. */
#ifndef LINESIM_JOB_H
#define LINESIM_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "law.h"
#include "std.h"

#define JOB_MAX_PAIRS	23	/* the rig's loc spans: (1,25) ... (23,47) */

enum job_dir {
	JOB_IN,		/* carrier -> our FXO port -> PBX: the PBX side decodes */
	JOB_OUT,	/* PBX -> our FXS port -> phone: the phone side decodes */
};

enum job_expect {
	EXPECT_DECODE,	/* the far end must decode the number (baseline) */
	EXPECT_NONE,	/* the far end must recover no digit (suppression) */
};

struct job {
	const char *label;		/* optional, prefixed to the job's KTAP lines */
	const struct std *std;
	enum law law;
	enum job_dir dir;
	int fxs[JOB_MAX_PAIRS];		/* fxoks channel of each pair (rings, sends) */
	int npairs;
	int peer_offset;		/* listening fxsks channel = fxs + this */
	int calls;			/* in all, spread over the pairs */
	enum job_expect expect;
	int min_percent;		/* EXPECT_DECODE: calls that must decode */
	int max_leak;			/* EXPECT_NONE: longest digit run tolerated */
	bool allow_xruns;		/* else any under/overrun fails the job */
	bool withheld;			/* the spill withholds the number (private) */
	const char *number_file;	/* the number to send, read from this file; NULL: random */
	int level_db;			/* spill level relative to spandsp's nominal */
	int pause_ms;			/* a pair rests this long after each of the job's calls */
	int echocan_taps;		/* the listening channel's echo canceller; 0: off */

	/* tally */
	int started, done, decoded, digits, leak, under, over, rings, errors;
	int64_t t_start, t_end;		/* ms */
};

const char *job_dir_name(enum job_dir dir);
/* Did the job meet its expectation? why gets a short reason either way. */
bool job_passed(const struct job *job, char *why, size_t len);

#endif
