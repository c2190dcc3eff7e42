/* SPDX-License-Identifier: GPL-2.0 */
/* linesim: the carrier, the PBX and the phone of SafeLine's rig tests. It places caller-ID
 * calls over pairs of back-to-back DAHDI channels and reports what the far end decoded,
 * as counts only: the synthetic numbers live in memory and are never printed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "job.h"
#include "pair.h"
#include "report.h"

#define SETTLE_MS	2100	/* fxsks ignores ring for 2 s after open (RING_DEBOUNCE_TIME) */
#define POLL_MAX_MS	20

static struct job jobs[CLI_MAX_JOBS];
static struct pair pairs[JOB_MAX_PAIRS];
static int njobs, npairs;

/* The open pair fxs->fxo; NULL if none. A channel in two different pairs is an error. */
static struct pair *find_pair(int fxs, int fxo, bool *clash)
{
	*clash = false;
	for (int i = 0; i < npairs; i++) {
		bool a = pairs[i].drive.channo == fxs, b = pairs[i].listen.channo == fxo;

		if (a && b)
			return &pairs[i];
		*clash |= a || b;
	}
	return NULL;
}

/* One pair per distinct (fxoks, fxsks); each remembers which jobs may use it. */
static int open_pairs(void)
{
	char why[160];

	for (int j = 0; j < njobs; j++) {
		for (int i = 0; i < jobs[j].npairs; i++) {
			int fxs = jobs[j].fxs[i], fxo = fxs + jobs[j].peer_offset;
			bool clash;
			struct pair *p = find_pair(fxs, fxo, &clash);

			if (clash) {
				snprintf(why, sizeof(why), "channel %d or %d is in two pairs",
					 fxs, fxo);
				report_bail(why);
				return 1;
			}
			if (!p) {
				if (npairs == JOB_MAX_PAIRS) {
					report_bail("more than 23 pairs in all");
					return 1;
				}
				p = &pairs[npairs];
				if (pair_open(p, fxs, fxo, why, sizeof(why))) {
					report_bail(why);
					return 1;
				}
				npairs++;
			}
			p->jobs |= 1U << j;
		}
	}
	return 0;
}

static void tally(struct job *job, const struct call_result *r, int64_t now)
{
	job->done++;
	job->decoded += r->dec.matched;
	job->digits += r->dec.digits;
	if (r->dec.leak > job->leak)
		job->leak = r->dec.leak;
	job->under += r->under;
	job->over += r->over;
	job->rings += r->ring_ends;
	job->errors += r->error[0] != 0;
	job->t_end = now;
}

/* Rough length of the job's calls still to start, in ms: the ring dominates a call. */
static long work_left(const struct job *job)
{
	return (long)(job->calls - job->started) * (job->std->ring_on_ms + 1500);
}

/* The pair's next call: from the job, among those that may use it, with the most work
 * still to start, so jobs sharing pairs finish together and short calls fill the end.
 * NULL when none is left. */
static struct job *next_job(const struct pair *p)
{
	struct job *best = NULL;

	for (int j = 0; j < njobs; j++)
		if ((p->jobs & 1U << j) && jobs[j].started < jobs[j].calls &&
		    (!best || work_left(&jobs[j]) > work_left(best)))
			best = &jobs[j];
	return best;
}

static int start_next(struct pair *p, int64_t at)
{
	struct job *job = next_job(p);
	char why[160];

	if (!job)
		return 0;
	if (pair_start_call(p, job, at, why, sizeof(why))) {
		report_bail(why);
		return 1;
	}
	return 0;
}

/* One poll loop for every pair: each wakes on its fds or on its next timed step. */
static int run(void)
{
	struct pollfd pfd[2 * JOB_MAX_PAIRS];
	int64_t now = pair_now_ms(), start = now + SETTLE_MS;
	int active = npairs;

	for (int j = 0; j < njobs; j++)
		jobs[j].t_start = start;
	for (int i = 0; i < npairs; i++)
		if (start_next(&pairs[i], start))
			return 1;
	while (active) {
		int64_t next = INT64_MAX;

		for (int i = 0; i < npairs; i++) {
			pair_pollfds(&pairs[i], &pfd[2 * i]);
			if (pair_deadline(&pairs[i]) < next)
				next = pair_deadline(&pairs[i]);
		}
		next -= pair_now_ms();
		if (poll(pfd, 2 * npairs, next < 0 ? 0 : next > POLL_MAX_MS ? POLL_MAX_MS :
			 (int)next) < 0 && errno != EINTR) {
			report_bail("poll failed");
			return 1;
		}
		now = pair_now_ms();
		active = 0;
		for (int i = 0; i < npairs; i++) {
			struct pair *p = &pairs[i];

			if (p->phase == PHASE_IDLE)
				continue;
			active++;
			if (!pfd[2 * i].revents && !pfd[2 * i + 1].revents &&
			    now < pair_deadline(p) && p->phase != PHASE_SEND)
				continue;
			if (!pair_service(p, now))
				continue;
			report_call(p->job, p, &p->res);
			tally(p->job, &p->res, now);
			if (p->job->done == p->job->calls)
				report_job(p->job);
			if (start_next(p, now + p->job->pause_ms))
				return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum report_style style;
	bool verbose;
	int r, failed = 0;

	r = cli_parse(argc, argv, jobs, &njobs, &style, &verbose);
	if (r)
		return r < 0 ? 0 : r;	/* help asked for: printed, done */
	if (access("/dev/dahdi/channel", R_OK | W_OK)) {
		if (style == REPORT_KTAP)
			printf("KTAP version 1\n1..0 # SKIP no usable /dev/dahdi/channel\n");
		else
			printf("linesim: no usable /dev/dahdi/channel: is DAHDI loaded?\n");
		return 4;
	}
	report_begin(style, verbose, jobs, njobs);
	r = open_pairs();
	if (!r)
		r = run();
	for (int i = 0; i < npairs; i++)
		pair_close(&pairs[i]);
	if (r)
		return r;
	for (int j = 0; j < njobs; j++) {
		char why[200];

		failed += !job_passed(&jobs[j], why, sizeof(why));
	}
	return failed ? 1 : 0;
}
