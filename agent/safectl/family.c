// SPDX-License-Identifier: GPL-2.0
/*
 * Opening the safeline family for the subcommands that talk to the kernel,
 * with one wording for why it failed. (Apart from safectl.c, which sees the
 * DSP core's headers: their enums share names with the uapi header's.)
 */
#include <errno.h>
#include <string.h>
#include <linux/safeline.h>

#include "agent/safectl/safectl.h"
#include "agent/shared/genl.h"

int safectl_open_family(struct safeline_genl *g, const char *object)
{
	int r = safeline_genl_open(g);

	if (r == -ENOENT)
		return safectl_fail(object, NULL, "safeline module not loaded: no generic netlink "
				    "family \"%s\" (is safeline.ko installed?)", SAFELINE_GENL_NAME);
	if (r < 0)
		return safectl_fail(object, NULL, "cannot reach the kernel: %s", strerror(-r));
	return SAFECTL_EXIT_OK;
}
