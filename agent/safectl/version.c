// SPDX-License-Identifier: GPL-2.0
/*
 * safectl version: safectl's release and protocol, and the loaded module's.
 * Unlike status it never loads safeline.ko: the family is asked only when
 * /sys/module/safeline already exists, so "which version is this?" has no
 * side effect.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/safeline.h>

#include "agent/safectl/safectl.h"
#include "agent/shared/genl.h"
#include "agent/shared/json.h"
#include "kernel/version.h"

#define MODULE_SYSFS "/sys/module/safeline"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] version\n"
	"Show safectl's version and protocol and, when safeline.ko is loaded, the\n"
	"module's. Never loads the module.\n";

static int fetch_module(struct safeline_status *st)
{
	struct safeline_genl g;
	int r = safeline_genl_open(&g);

	if (r < 0)
		return safectl_fail("version", NULL, "cannot reach the loaded module: %s",
				    strerror(-r));
	r = safeline_genl_get_status(&g, st);
	if (r < 0)
		r = safectl_fail("version", g.extack, "reading module status: %s", strerror(-r));
	safeline_genl_close(&g);
	return r < 0 ? SAFECTL_EXIT_FAILED : SAFECTL_EXIT_OK;
}

static void print_json(const struct safeline_status *st)
{
	struct json_writer w;

	json_init(&w, stdout, safectl_pretty);
	json_open_object(&w, NULL);
	json_string(&w, "version", SAFELINE_VERSION);
	json_uint(&w, "protocol", SAFELINE_GENL_VERSION);
	json_open_object(&w, "module");
	json_bool(&w, "loaded", st != NULL);
	if (st) {
		json_string(&w, "version", st->version);
		json_uint(&w, "protocol", st->protocol);
	}
	json_close_object(&w);
	json_close_object(&w);
}

int cmd_version(int argc, char *argv[])
{
	struct safeline_status st;
	bool loaded;
	int ret;

	if (!safectl_parse_bare(argc, argv, usage, &ret))
		return ret;
	loaded = access(MODULE_SYSFS, F_OK) == 0;
	if (loaded && fetch_module(&st) != SAFECTL_EXIT_OK)
		return SAFECTL_EXIT_FAILED;
	if (safectl_json) {
		print_json(loaded ? &st : NULL);
	} else {
		printf("safectl: %s\nprotocol: %u\n", SAFELINE_VERSION, SAFELINE_GENL_VERSION);
		if (loaded)
			printf("module: %s\nmodule protocol: %u\n", st.version, st.protocol);
		else
			printf("module: not loaded\n");
	}
	return SAFECTL_EXIT_OK;
}
