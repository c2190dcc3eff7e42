// SPDX-License-Identifier: GPL-2.0
/*
 * safectl status: what the loaded safeline.ko is (version, protocol, DAHDI's
 * span assignment mode). Looking the family up loads the module if needed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/safeline.h>

#include "agent/safectl/print.h"
#include "agent/safectl/safectl.h"
#include "agent/shared/genl.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] status\n"
	"Show the version and protocol of the loaded safeline module.\n";

static int fetch(struct safeline_status *st)
{
	struct safeline_genl g;
	int r, ret;

	r = safeline_genl_open(&g);
	if (r == -ENOENT)
		return safectl_fail("status", NULL, "safeline module not loaded: "
				    "no generic netlink family \"%s\" (is safeline.ko installed?)",
				    SAFELINE_GENL_NAME);
	if (r < 0)
		return safectl_fail("status", NULL, "cannot reach the kernel: %s", strerror(-r));
	r = safeline_genl_get_status(&g, st);
	ret = r < 0 ? safectl_fail("status", g.extack, "reading module status: %s", strerror(-r))
		    : SAFECTL_EXIT_OK;
	safeline_genl_close(&g);
	return ret;
}

int cmd_status(int argc, char *argv[])
{
	struct safeline_status st;
	int first, ret;

	first = safectl_parse_common(argc, argv, usage, &ret);
	if (first < 0)
		return ret;
	if (first < argc)
		return safectl_usage_error("status", usage, "unexpected argument '%s'", argv[first]);
	ret = fetch(&st);
	if (ret != SAFECTL_EXIT_OK)
		return ret;
	print_open();
	print_string("version", "version", st.version);
	print_uint("protocol", "protocol", st.protocol);
	print_bool("dahdi_auto_assign_spans", "dahdi auto-assign spans", st.dahdi_auto_assign);
	print_close();
	if (st.protocol != SAFELINE_GENL_VERSION)
		fprintf(stderr, "safectl: status: module speaks protocol %u, safectl %u\n",
			st.protocol, SAFELINE_GENL_VERSION);
	return SAFECTL_EXIT_OK;
}
