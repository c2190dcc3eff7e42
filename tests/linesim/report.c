/* SPDX-License-Identifier: GPL-2.0 */
/* What linesim prints: KTAP for tests, or plain sentences for the demo. Counts and kinds
 * only: the number itself never reaches this file. */
#include <stdio.h>

#include "ktap.h"
#include "report.h"

static enum report_style style;
static bool verbose;

static const char *sender(const struct job *job)
{
	return job->dir == JOB_IN ? "carrier" : "PBX";
}

static const char *listener(const struct job *job)
{
	return job->dir == JOB_IN ? "PBX" : "phone";
}

void report_begin(enum report_style s, bool v, const struct job *jobs, int njobs)
{
	int planned = njobs;

	style = s;
	verbose = v;
	for (int i = 0; i < njobs; i++)
		planned += jobs[i].calls;
	if (style == REPORT_KTAP) {
		ktap_header(planned);
		return;
	}
	for (int i = 0; i < njobs; i++) {
		const struct job *j = &jobs[i];

		printf("%d call%s: %s, %s, %s\n", j->calls, j->calls == 1 ? "" : "s",
		       j->std->title, j->law == LAW_ALAW ? "A-law" : "mu-law",
		       j->dir == JOB_IN ? "inbound: carrier -> our FXO port -> PBX" :
					  "outbound: PBX -> our FXS port -> phone");
	}
	fflush(stdout);
}

static bool call_ok(const struct job *job, const struct call_result *r)
{
	if (job->expect == EXPECT_DECODE)
		return r->dec.matched;
	return !r->error[0] && r->dec.digits == 0 && r->dec.leak <= job->max_leak;
}

/* One sentence on what the listening end made of the call, digits never included. */
static void heard(const struct job *job, const struct call_result *r, char *buf, size_t len)
{
	const struct decoder_result *d = &r->dec;
	const char *who = listener(job);

	if (d->matched)
		snprintf(buf, len, "%s decoded a caller ID: a number of %d digits, the same number "
			 "the %s sent", who, r->digits_sent, sender(job));
	else if (d->messages)
		snprintf(buf, len, "%s decoded a caller ID with %d digits, but not the number the "
			 "%s sent", who, d->digits, sender(job));
	else if (d->leak > 2)
		snprintf(buf, len, "%s decoded no caller ID, but picked up %d digits of the number "
			 "in a row", who, d->leak);
	else
		snprintf(buf, len, "%s heard no caller ID at all", who);
}

static void plain_call(const struct job *job, const struct pair *p, const struct call_result *r)
{
	char what[160];

	if (job->dir == JOB_IN)
		printf("\ncall: the carrier (channel %d) rings our FXO port (channel %d), where "
		       "the PBX listens\n", p->drive.channo, p->listen.channo);
	else
		printf("\ncall: the PBX rings our FXS port (channel %d); the phone on it "
		       "(channel %d) listens\n", p->drive.channo, p->listen.channo);
	if (r->error[0])
		printf("  problem: %s\n", r->error);
	if (r->ms_ring >= 0)
		printf("  ring: %.2f s to %.2f s; the %s saw %d ring begin%s and %d end%s\n",
		       r->ms_ring / 1000.0, r->ms_ring_end / 1000.0, listener(job),
		       r->ring_begins, r->ring_begins == 1 ? "" : "s",
		       r->ring_ends, r->ring_ends == 1 ? "" : "s");
	if (r->ms_spill >= 0)
		printf("  caller ID: at %.2f s the %s sent %s, %.2f s of signal\n",
		       r->ms_signal / 1000.0, sender(job), job->std->title,
		       (r->ms_spill_len - (r->ms_signal - r->ms_spill)) / 1000.0);
	heard(job, r, what, sizeof(what));
	printf("  %s\n", what);
	fflush(stdout);
}

static void ktap_call(const struct job *job, const struct pair *p, const struct call_result *r,
		      bool ok)
{
	const char *verdict;
	char detail[160];

	if (r->error[0]) {
		verdict = r->error;
	} else if (job->expect == EXPECT_DECODE) {
		verdict = r->dec.matched ? "decoded" : "not decoded";
	} else {
		verdict = r->dec.digits ? "digits decoded" :
			  r->dec.leak > job->max_leak ? "digits leaked" : "nothing decoded";
	}
	ktap_result(ok, "%s%s%s %s %s: pair %d->%d %s", job->label ?: "", job->label ? ": " : "",
		    job->std->name, law_name(job->law), job_dir_name(job->dir), p->drive.channo,
		    p->listen.channo, verdict);
	snprintf(detail, sizeof(detail), "messages=%d digits=%d/%d leak=%d under=%d over=%d",
		 r->dec.messages, r->dec.digits, r->digits_sent, r->dec.leak, r->under, r->over);
	if (!ok || verbose)
		ktap_diag("pair %d->%d: %s; ring %d..%d ms, signal at %d ms, spill %d ms played "
			  "in %d ms, %s saw %d ring end(s), call %d ms", p->drive.channo,
			  p->listen.channo, detail, r->ms_ring, r->ms_ring_end, r->ms_signal,
			  r->ms_spill_len, r->ms_played, listener(job), r->ring_ends, r->ms_total);
}

bool report_call(const struct job *job, const struct pair *p, const struct call_result *r)
{
	bool ok = call_ok(job, r);

	if (style == REPORT_KTAP)
		ktap_call(job, p, r, ok);
	else
		plain_call(job, p, r);
	return ok;
}

void report_job(const struct job *job)
{
	char why[200];
	bool ok = job_passed(job, why, sizeof(why));
	double secs = (job->t_end - job->t_start) / 1000.0;

	if (style == REPORT_PLAIN) {
		printf("\n%s, %s, %s: %s; %d buffer underruns, %d overruns\n", job->std->title,
		       job->law == LAW_ALAW ? "A-law" : "mu-law",
		       job->dir == JOB_IN ? "inbound" : "outbound", why, job->under, job->over);
		fflush(stdout);
		return;
	}
	ktap_diag("result std=%s law=%s dir=%s calls=%d decoded=%d digits=%d leak=%d under=%d "
		  "over=%d rings=%d errors=%d seconds=%.1f", job->std->name, law_name(job->law),
		  job_dir_name(job->dir), job->calls, job->decoded, job->digits, job->leak,
		  job->under, job->over, job->rings, job->errors, secs);
	ktap_result(ok, "%s%s%s %s %s: %s", job->label ?: "", job->label ? ": " : "",
		    job->std->name, law_name(job->law), job_dir_name(job->dir), why);
}

void report_bail(const char *why)
{
	if (style == REPORT_KTAP)
		printf("Bail out! %s\n", why);
	else
		printf("linesim: %s\n", why);
	fflush(stdout);
}
