/* SPDX-License-Identifier: GPL-2.0 */
/* A job's verdict: decode rate for baselines, no digits for suppression, no xruns. */
#include <stdio.h>
#include <string.h>

#include "job.h"

const char *job_dir_name(enum job_dir dir)
{
	return dir == JOB_OUT ? "out" : "in";
}

bool job_passed(const struct job *job, char *why, size_t len)
{
	bool xruns_ok = job->allow_xruns || job->under + job->over == 0;
	bool ok;

	if (job->expect == EXPECT_DECODE) {
		ok = job->done == job->calls &&
		     job->decoded * 100 >= job->min_percent * job->calls;
		snprintf(why, len, "%d/%d calls decoded (need %d%%)", job->decoded, job->calls,
			 job->min_percent);
	} else {
		ok = job->done == job->calls && job->errors == 0 && job->digits == 0 &&
		     job->leak <= job->max_leak;
		snprintf(why, len, "%d digits decoded in %d call%s, longest digit run %d "
			 "(need 0 digits, run <= %d, no failed calls)", job->digits, job->calls,
			 job->calls == 1 ? "" : "s", job->leak, job->max_leak);
	}
	if (!xruns_ok)
		snprintf(why + strlen(why), len - strlen(why), ", but %d underruns %d overruns",
			 job->under, job->over);
	return ok && xruns_ok;
}
