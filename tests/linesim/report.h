/* SPDX-License-Identifier: GPL-2.0 */
/* What linesim prints: KTAP for tests, or plain sentences for the demo. Counts and kinds
 * only: the number itself never reaches this file. */
#ifndef LINESIM_REPORT_H
#define LINESIM_REPORT_H

#include <stdbool.h>

#include "job.h"
#include "pair.h"

enum report_style { REPORT_KTAP, REPORT_PLAIN };

void report_begin(enum report_style style, bool verbose, const struct job *jobs, int njobs);
/* One finished call; returns whether it met the job's expectation. */
bool report_call(const struct job *job, const struct pair *p, const struct call_result *r);
void report_job(const struct job *job);
void report_bail(const char *why);

#endif
