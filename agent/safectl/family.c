// SPDX-License-Identifier: GPL-2.0
/*
 * Opening the safeline family for the subcommands that talk to the kernel,
 * with one wording for why it failed, and for why the kernel refused a
 * change. (Apart from safectl.c, which sees the
 * DSP core's headers: their enums share names with the uapi header's.)
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
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

int safectl_write_failed(const char *object, const struct safeline_genl *g, int r)
{
	if (r == -ENOENT)
		return safectl_fail(object, g->extack, "No such channel");
	if (r == -EPERM)
		return safectl_fail(object, g->extack, "%s: changing the module needs "
				    "CAP_NET_ADMIN (run it as root)", strerror(-r));
	return safectl_fail(object, g->extack, "%s", strerror(-r));
}

bool safectl_net_admin(void)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	if (syscall(SYS_capget, &head, data) < 0)
		return true;	/* cannot tell: let the kernel decide */
	return data[CAP_NET_ADMIN / 32].effective & (1u << (CAP_NET_ADMIN % 32));
}
