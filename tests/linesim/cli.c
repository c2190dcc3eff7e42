/* SPDX-License-Identifier: GPL-2.0 */
/* linesim's command line: a command, then jobs separated by --and. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "number.h"

static const char usage_text[] =
"usage: linesim call|demo JOB [--and JOB]... [--verbose]\n"
"  call   run the calls, print KTAP (one line per call, one verdict per job)\n"
"  demo   run the calls, say in plain words what the far end heard\n"
"JOB options (a job after --and starts as a copy of the one before it, pairs included;\n"
"jobs may share pairs: a free pair takes a call of the job with the most work left):\n"
"  --std bell202-sdmf|bell202-mdmf|v23|v23-dtas|dtmf   (default bell202-mdmf)\n"
"  --law ulaw|alaw                                      (default ulaw)\n"
"  --dir in|out    in: carrier -> our FXO port -> PBX; out: PBX -> our FXS port -> phone\n"
"  --pairs LIST    fxoks channels that ring and send, e.g. 1-20 or 1,3,5-7\n"
"  --peer-offset N the fxsks channel that listens is fxoks + N (default 24, the rig)\n"
"  --calls N       the job's calls in all (default: one per pair)\n"
"  --pause MS      a pair rests MS after each of the job's calls, e.g. longer than a far\n"
"                  end's ring timeout so that it sees separate calls (default 0)\n"
"  --expect decode|none   the far end must decode the number | must get no digit\n"
"  --min-percent P        decode: calls that must decode (default 95)\n"
"  --max-leak N           none: longest run of the number's digits tolerated (default 2)\n"
"  --allow-xruns          do not fail on DAHDI buffer under/overruns\n"
"  --withheld             the spill withholds the number: SDMF 'P', MDMF reason 'P', DTMF B10C\n"
"  --number-file PATH     send the synthetic number in PATH (digits only) instead of a random one\n"
"  --level DB             spill level relative to nominal, -30..6 (default 0)\n"
"  --echocan TAPS         the listening fxsks channel runs DAHDI's echo canceller, 1..1024 taps\n"
"                         (system.conf must assign it one: echocanceller=NAME,CHANNELS)\n"
"  --label TEXT           put TEXT before the job's KTAP descriptions\n"
"Exit: 0 pass, 1 fail, 2 usage, 4 skip (no DAHDI).\n";

static struct job *jobs;
static int njobs;
static bool verbose;

static int __attribute__((format(printf, 1, 2))) usage(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fputs("linesim: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
		fputs("linesim: 'linesim help' lists the options\n", stderr);
	} else {
		fputs(usage_text, stderr);
	}
	return 2;
}

static int parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* "1-20" or "1,3,5-7" into job->fxs */
static int parse_pairs(struct job *job, const char *list)
{
	char buf[256], *save = NULL, *tok;

	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return -EINVAL;
	job->npairs = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		int lo, hi;

		if (dash)
			*dash = '\0';
		if (parse_int(tok, 1, 1000, &lo) || parse_int(dash ? dash + 1 : tok, lo, 1000, &hi))
			return -EINVAL;
		for (int c = lo; c <= hi; c++) {
			if (job->npairs == JOB_MAX_PAIRS)
				return -E2BIG;
			job->fxs[job->npairs++] = c;
		}
	}
	return job->npairs ? 0 : -EINVAL;
}

static void job_defaults(struct job *job)
{
	memset(job, 0, sizeof(*job));
	job->std = std_find("bell202-mdmf");
	job->law = LAW_ULAW;
	job->dir = JOB_IN;
	job->expect = EXPECT_DECODE;
	job->min_percent = 95;
	job->max_leak = 2;
	job->calls = -1;
	job->peer_offset = 24;	/* the rig: position k of span 2 is wired to span 3's */
}

static int job_option(struct job *job, int opt, const char *arg)
{
	switch (opt) {
	case 's':
		job->std = std_find(arg);
		return job->std ? 0 : usage("unknown standard '%s'", arg);
	case 'l':
		return law_parse(arg, &job->law) ? usage("unknown law '%s'", arg) : 0;
	case 'd':
		if (strcmp(arg, "in") && strcmp(arg, "out"))
			return usage("--dir wants in or out, not '%s'", arg);
		job->dir = strcmp(arg, "out") ? JOB_IN : JOB_OUT;
		return 0;
	case 'p':
		return parse_pairs(job, arg) ? usage("bad --pairs '%s' (at most 23)", arg) : 0;
	case 'c':
		return parse_int(arg, 1, 100000, &job->calls) ? usage("bad --calls '%s'", arg) : 0;
	case 'e':
		if (strcmp(arg, "decode") && strcmp(arg, "none"))
			return usage("--expect wants decode or none, not '%s'", arg);
		job->expect = strcmp(arg, "none") ? EXPECT_DECODE : EXPECT_NONE;
		return 0;
	case 'm':
		return parse_int(arg, 0, 100, &job->min_percent) ?
		       usage("bad --min-percent '%s'", arg) : 0;
	case 'k':
		return parse_int(arg, 0, NUMBER_MAX, &job->max_leak) ?
		       usage("bad --max-leak '%s'", arg) : 0;
	case 'x':
		job->allow_xruns = true;
		return 0;
	case 'n':
		job->label = arg;
		return 0;
	case 'W':
		job->withheld = true;
		return 0;
	case 'N':
		job->number_file = arg;
		return 0;
	case 'L':
		return parse_int(arg, -30, 6, &job->level_db) ? usage("bad --level '%s'", arg) : 0;
	case 'P':
		return parse_int(arg, 0, 600000, &job->pause_ms) ? usage("bad --pause '%s'", arg) : 0;
	case 'E':
		return parse_int(arg, 1, 1024, &job->echocan_taps) ?
		       usage("bad --echocan '%s'", arg) : 0;
	case 'o':
		return parse_int(arg, 1, 1000, &job->peer_offset) ?
		       usage("bad --peer-offset '%s'", arg) : 0;
	}
	return usage(NULL);
}

static int job_finish(struct job *job)
{
	if (!job->npairs)
		return usage("job %d needs --pairs", njobs + 1);
	if (job->calls < 0)
		job->calls = job->npairs;
	njobs++;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "std", required_argument, NULL, 's' },
		{ "law", required_argument, NULL, 'l' },
		{ "dir", required_argument, NULL, 'd' },
		{ "pairs", required_argument, NULL, 'p' },
		{ "calls", required_argument, NULL, 'c' },
		{ "expect", required_argument, NULL, 'e' },
		{ "min-percent", required_argument, NULL, 'm' },
		{ "max-leak", required_argument, NULL, 'k' },
		{ "allow-xruns", no_argument, NULL, 'x' },
		{ "and", no_argument, NULL, 'a' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "peer-offset", required_argument, NULL, 'o' },
		{ "label", required_argument, NULL, 'n' },
		{ "withheld", no_argument, NULL, 'W' },
		{ "number-file", required_argument, NULL, 'N' },
		{ "level", required_argument, NULL, 'L' },
		{ "pause", required_argument, NULL, 'P' },
		{ "echocan", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int opt, r;

	job_defaults(&jobs[0]);
	/* argv[1] is the command; options follow in order, so --and splits jobs */
	argc--;
	argv++;
	while ((opt = getopt_long(argc, argv, "+v", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case 'a':
			if ((r = job_finish(&jobs[njobs])))
				return r;
			if (njobs == CLI_MAX_JOBS)
				return usage("more than %d jobs", CLI_MAX_JOBS);
			jobs[njobs] = jobs[njobs - 1];
			break;
		default:
			if ((r = job_option(&jobs[njobs], opt, optarg)))
				return r;
		}
	}
	if (optind < argc)
		return usage("unexpected argument '%s'", argv[optind]);
	return job_finish(&jobs[njobs]);
}

int cli_parse(int argc, char **argv, struct job *out, int *nout, enum report_style *style,
	      bool *verbose_out)
{
	int r;

	if (argc < 2)
		return usage(NULL);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return -1;
	}
	if (!strcmp(argv[1], "call"))
		*style = REPORT_KTAP;
	else if (!strcmp(argv[1], "demo"))
		*style = REPORT_PLAIN;
	else
		return usage("unknown command '%s'", argv[1]);
	jobs = out;
	njobs = 0;
	r = parse_args(argc, argv);
	*nout = njobs;
	*verbose_out = verbose;
	return r;
}
