// SPDX-License-Identifier: GPL-2.0
/*
 * safelined: main() only. Parses argv, builds the Manager, tells systemd
 * when it is ready, and runs the event loop until SIGTERM/SIGINT.
 */
#include <getopt.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

#include "agent/safelined/manager.h"
#include "agent/shared/log.h"
#include "agent/shared/util.h"
#include "kernel/version.h"

DEFINE_CLEANUP_FUNC(Manager, manager_free)

static void help(void)
{
	printf("Usage: safelined [--debug]\n"
	       "       safelined --help | --version\n\n"
	       "SafeLine agent: keeps safeline.ko's policy and records call events.\n"
	       "Runs in the foreground; stops on SIGTERM or SIGINT.\n\n"
	       "  -h --help     Show this help\n"
	       "     --version  Show the version\n"
	       "     --debug    Log debug messages\n");
}

/* 1: run, 0: done (help/version), negative: usage error */
static int parse_argv(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "debug", no_argument, NULL, 'd' },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			help();
			return 0;
		case 'V':
			printf("safelined %s\n", SAFELINE_VERSION);
			return 0;
		case 'd':
			log_set_max_level(LOG_DEBUG);
			break;
		default:
			return -1;	/* getopt said what is wrong */
		}
	}
	if (optind < argc) {
		log_error("Unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 1;
}

int main(int argc, char *argv[])
{
	_cleanup_(manager_freep) Manager *m = NULL;
	char text[128];
	int r;

	r = parse_argv(argc, argv);
	if (r <= 0)
		return r < 0 ? 2 : 0;

	r = manager_new(&m);
	if (r < 0) {
		log_error_errno(r, "Failed to set up the event loop: %m");
		return 1;
	}
	r = manager_connect(m);
	if (r < 0)
		return 1;
	if (manager_status_text(m, text, sizeof(text)) < 0)
		text[0] = '\0';
	sd_notifyf(false, "READY=1\nSTATUS=%s", text);

	r = sd_event_loop(m->event);
	sd_notify(false, "STOPPING=1");
	if (r < 0) {
		log_error_errno(r, "Event loop failed: %m");
		return 1;
	}
	log_info("Stopped");
	return 0;
}
