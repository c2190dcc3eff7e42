/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What safectl's subcommands share: their entry points, the output mode
 * chosen by the global options, and the error/usage conventions.
 *
 * A subcommand is `int cmd_<name>(int argc, char *argv[])`: argv[0] is the
 * subcommand's name, and it returns the exit status (SAFECTL_EXIT_*).
 */
#ifndef SAFECTL_H
#define SAFECTL_H

#include <stdbool.h>
#include <stdint.h>

#define SAFECTL_EXIT_OK		0	/* done */
#define SAFECTL_EXIT_FAILED	1	/* the kernel, agent or system refused or failed */
#define SAFECTL_EXIT_USAGE	2	/* the command line is wrong */

/* set by -j/--json and -p/--pretty, before or after the subcommand */
extern bool safectl_json;
extern bool safectl_pretty;

int cmd_status(int argc, char *argv[]);
int cmd_version(int argc, char *argv[]);
int cmd_channels(int argc, char *argv[]);
int cmd_policy(int argc, char *argv[]);
int cmd_reset_counters(int argc, char *argv[]);	/* counters.c */
int cmd_monitor(int argc, char *argv[]);
/* the offline DSP tools, cmd_filter and cmd_analyze, are declared in dsp-commands.h */

/*
 * Parses the options every subcommand takes (-h/--help, -j/--json,
 * -p/--pretty). Returns the index of the first operand, or -1 after printing
 * the usage (to stdout for --help; to stderr otherwise): the subcommand then
 * returns *exit_status.
 */
int safectl_parse_common(int argc, char *argv[], const char *usage, int *exit_status);

/*
 * A channel operand: "N", "FIRST-LAST" (first <= last) or the word keyword
 * (*is_keyword set). False when it is none of them.
 */
bool safectl_parse_target(const char *s, const char *keyword, bool *is_keyword,
			  uint32_t *first, uint32_t *last);

/*
 * safectl_parse_common() for a command that takes no operand: true to go
 * on; false after printing the usage or the error, the command then returns
 * *exit_status.
 */
bool safectl_parse_bare(int argc, char *argv[], const char *usage, int *exit_status);

struct safeline_genl;
/* Opens the safeline family; on failure prints why and returns SAFECTL_EXIT_FAILED. */
int safectl_open_family(struct safeline_genl *g, const char *object);
/* A change the kernel refused (r < 0): says why, with its extack; SAFECTL_EXIT_FAILED. */
int safectl_write_failed(const char *object, const struct safeline_genl *g, int r);
/* Whether this process may do what needs CAP_NET_ADMIN (the kernel still decides). */
bool safectl_net_admin(void);

/* "safectl: <object>: <message>" plus " (kernel: <extack>)"; returns SAFECTL_EXIT_FAILED */
int safectl_fail(const char *object, const char *extack, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
/* the same for usage errors, followed by the usage; returns SAFECTL_EXIT_USAGE */
int safectl_usage_error(const char *object, const char *usage, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

#endif
