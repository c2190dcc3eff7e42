// SPDX-License-Identifier: GPL-2.0
/*
 * safectl: the command table, the global options, and the error/usage
 * conventions every subcommand shares. Subcommands live one per file.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agent/safectl/agent-commands.h"
#include "agent/safectl/dsp-commands.h"
#include "agent/safectl/safectl.h"
#include "agent/shared/util.h"
#include "kernel/version.h"

bool safectl_json;
bool safectl_pretty;

static int cmd_help(int argc, char *argv[]);

static const struct command {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *description;
} commands[] = {
	{ "status", cmd_status, "Show the loaded module's status and safelined's" },
	{ "version", cmd_version, "Show the versions of safectl and the loaded module" },
	{ "channels", cmd_channels, "Show the DAHDI channels the module sees, with counters" },
	{ "policy", cmd_policy, "Show or set what the module does to each channel's caller ID" },
	{ "reset-counters", cmd_reset_counters, "Set channels' chunk and spill counters back to 0" },
	{ "monitor", cmd_monitor, "Print the module's call events as they happen" },
	{ "filter", cmd_filter, "Suppress caller ID in raw audio, stdin to stdout" },
	{ "analyze", cmd_analyze, "List the caller-ID spills found in a recording" },
	{ "calls", cmd_calls, "List the calls safelined recorded (no numbers kept)" },
	{ "report", cmd_report, "Show safelined's daily call aggregates" },
	{ "wipe", cmd_wipe, "Wipe expired call records now (--all: every record)" },
	{ "reload", cmd_reload, "Make safelined re-read its config" },
	{ "help", cmd_help, "Show this help" },
};

static const char *const default_argv[] = { "status", NULL };

static void print_usage(FILE *f)
{
	const struct command *c;

	fprintf(f, "Usage: safectl [-j|--json] [-p|--pretty] [<command> [<args>]]\n"
		"       safectl --version\n\nCommands:\n");
	for (c = commands; c < commands + ELEMENTSOF(commands); c++)
		if (c->fn)
			fprintf(f, "  %-14s %s\n", c->name, c->description);
	fprintf(f, "\nWithout a command, safectl runs 'status'. "
		"'safectl <command> --help' describes one command.\n"
		"Exit status: 0 success, 1 operation failed, 2 usage error.\n");
}

static int print_version(void)
{
	printf("safectl %s\n", SAFELINE_VERSION);
	return SAFECTL_EXIT_OK;
}

static const char help_usage[] =
	"Usage: safectl help [COMMAND]\n"
	"Show the list of commands, or how to use one of them.\n";

static int cmd_help(int argc, char *argv[])
{
	const struct command *c;
	int first, ret;

	first = safectl_parse_common(argc, argv, help_usage, &ret);
	if (first < 0)
		return ret;
	if (first == argc) {
		print_usage(stdout);
		return SAFECTL_EXIT_OK;
	}
	if (argc - first > 1)
		return safectl_usage_error("help", help_usage, "unexpected argument '%s'",
					   argv[first + 1]);
	for (c = commands; c < commands + ELEMENTSOF(commands); c++)
		if (c->fn && c->fn != cmd_help && streq(c->name, argv[first]))
			return c->fn(2, (char *[]){ argv[first], (char *)"--help", NULL });
	return safectl_usage_error("help", NULL, "unknown command '%s'", argv[first]);
}

static void vreport(const char *object, const char *format, va_list ap)
{
	fprintf(stderr, "safectl: ");
	if (object)
		fprintf(stderr, "%s: ", object);
	vfprintf(stderr, format, ap);
}

int safectl_fail(const char *object, const char *extack, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vreport(object, format, ap);
	va_end(ap);
	if (extack && *extack)
		fprintf(stderr, " (kernel: %s)", extack);
	fputc('\n', stderr);
	return SAFECTL_EXIT_FAILED;
}

int safectl_usage_error(const char *object, const char *usage, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vreport(object, format, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (usage)
		fputs(usage, stderr);
	else
		fprintf(stderr, "Try 'safectl help'.\n");
	return SAFECTL_EXIT_USAGE;
}

static const struct option common_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "version", no_argument, NULL, 'V' },
	{}
};

/* Global options and a subcommand's common options share this parser. */
static int parse_options(int argc, char *argv[], int *c_out)
{
	int c;

	optind = 0;	/* restart getopt, also for GNU's internal state */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hjp", common_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			safectl_json = true;
			break;
		case 'p':
			safectl_pretty = true;
			break;
		default:
			*c_out = c;
			return -1;
		}
	}
	return optind;
}

/* the option getopt_long just refused, as the user typed it */
static const char *bad_option(char *argv[])
{
	static char text[3] = "-?";

	if (!optopt)
		return argv[optind - 1];
	text[1] = (char)optopt;
	return text;
}

int safectl_parse_common(int argc, char *argv[], const char *usage, int *exit_status)
{
	int c, first = parse_options(argc, argv, &c);

	if (first >= 0)
		return first;
	if (c == 'h') {
		fputs(usage, stdout);
		*exit_status = SAFECTL_EXIT_OK;
	} else if (c == 'V') {
		*exit_status = print_version();
	} else {
		*exit_status = safectl_usage_error(argv[0], usage, "unknown option '%s'",
						   bad_option(argv));
	}
	return -1;
}

bool safectl_parse_bare(int argc, char *argv[], const char *usage, int *exit_status)
{
	int first = safectl_parse_common(argc, argv, usage, exit_status);

	if (first < 0)
		return false;
	if (first == argc)
		return true;
	*exit_status = safectl_usage_error(argv[0], usage, "unexpected argument '%s'",
					   argv[first]);
	return false;
}

int main(int argc, char *argv[])
{
	const struct command *cmd;
	int c, first;

	first = parse_options(argc, argv, &c);
	if (first < 0) {
		if (c == 'h') {
			print_usage(stdout);
			return SAFECTL_EXIT_OK;
		}
		if (c == 'V')
			return print_version();
		return safectl_usage_error(NULL, NULL, "unknown option '%s'", bad_option(argv));
	}
	argc -= first;
	argv += first;
	if (argc == 0) {
		argc = 1;
		argv = (char **)default_argv;
	}
	for (cmd = commands; cmd < commands + ELEMENTSOF(commands); cmd++)
		if (cmd->fn && streq(cmd->name, argv[0]))
			return cmd->fn(argc, argv);
	return safectl_usage_error(NULL, NULL, "unknown command '%s'", argv[0]);
}
