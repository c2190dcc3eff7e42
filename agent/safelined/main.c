// SPDX-License-Identifier: GPL-2.0
/*
 * safelined: main() only. Parses argv, loads the config (a bad one stops us
 * before anything is applied), builds and starts the Manager, tells systemd
 * when it is ready, and runs the event loop until SIGTERM/SIGINT.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

#include "agent/safelined/manager.h"
#include "agent/shared/log.h"
#include "agent/shared/util.h"
#include "kernel/version.h"

DEFINE_CLEANUP_FUNC(Manager, manager_free)

static const char *arg_config = CONF_DEFAULT_PATH;
static bool arg_config_given;
static bool arg_check_config;

static void help(void)
{
	printf("Usage: safelined [--debug] [--config FILE] [--check-config]\n"
	       "       safelined --help | --version\n\n"
	       "SafeLine agent: keeps safeline.ko's policy and records call events.\n"
	       "Runs in the foreground; stops on SIGTERM or SIGINT, reloads on SIGHUP.\n\n"
	       "  -h --help          Show this help\n"
	       "     --version       Show the version\n"
	       "     --debug         Log debug messages\n"
	       "  -c --config FILE   Read FILE instead of " CONF_DEFAULT_PATH "\n"
	       "     --check-config  Check the config, print any error as file:line, exit\n");
}

/* 1: run, 0: done (help/version), negative: usage error */
static int parse_argv(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "debug", no_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "hc:", options, NULL)) != -1) {
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
		case 'c':
			arg_config = optarg;
			arg_config_given = true;
			break;
		case 'C':
			arg_check_config = true;
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
	struct safeline_conf conf;
	char text[512];
	int r;

	r = parse_argv(argc, argv);
	if (r <= 0)
		return r < 0 ? 2 : 0;

	r = conf_load(arg_config, &conf, text, sizeof(text));
	if (r == -ENOENT && !arg_config_given) {
		log_info("No %s, using the defaults", arg_config);
		conf_init(&conf);
	} else if (r < 0) {
		log_error("%s", text);
		return 1;
	}
	if (arg_check_config) {
		printf("%s: ok\n", arg_config);
		return 0;
	}

	r = manager_new(&m, arg_config, &conf);
	if (r < 0) {
		log_error_errno(r, "Failed to set up the event loop: %m");
		return 1;
	}
	r = manager_start(m);
	if (r < 0)
		return 1;
	manager_connect(m);
	if (manager_status_text(m, text, sizeof(text)) < 0)
		text[0] = '\0';
	sd_notifyf(false, "READY=1\nSTATUS=%s", text);

	r = sd_event_loop(m->event);
	sd_notify(false, "STOPPING=1");
	manager_stop(m);
	if (r < 0) {
		log_error_errno(r, "Event loop failed: %m");
		return 1;
	}
	log_info("Stopped");
	return 0;
}
