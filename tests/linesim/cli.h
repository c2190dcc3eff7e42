/* SPDX-License-Identifier: GPL-2.0 */
/* linesim's command line: a command, then jobs separated by --and. */
#ifndef LINESIM_CLI_H
#define LINESIM_CLI_H

#include <stdbool.h>

#include "job.h"
#include "report.h"

#define CLI_MAX_JOBS	JOB_MAX_PAIRS	/* at most 32: pairs keep a bit mask of their jobs */

/* Fill jobs[CLI_MAX_JOBS]. 0 to run, -1 when help was printed, 2 on a usage error. */
int cli_parse(int argc, char **argv, struct job *jobs, int *njobs, enum report_style *style,
	      bool *verbose);

#endif
