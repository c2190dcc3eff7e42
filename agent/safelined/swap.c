// SPDX-License-Identifier: GPL-2.0
/* The swap exposure check: see swap.h. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/safelined/swap.h"

/* dm-crypt mappings have a uuid starting with "CRYPT-" */
static bool is_crypt_dm(const char *sys_block, const char *dm)
{
	char path[PATH_MAX], uuid[64] = "";
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/dm/uuid", sys_block, dm) >= sizeof(path))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(uuid, sizeof(uuid), f))
		uuid[0] = '\0';
	fclose(f);
	return strncmp(uuid, "CRYPT-", 6) == 0;
}

static bool is_safe(const char *sys_block, const char *device)
{
	char real[PATH_MAX];
	const char *base;

	/* /dev/mapper/x is a link to /dev/dm-N */
	if (!realpath(device, real))
		snprintf(real, sizeof(real), "%s", device);
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	if (strncmp(base, "zram", 4) == 0)
		return true;
	return strncmp(base, "dm-", 3) == 0 && is_crypt_dm(sys_block, base);
}

int swap_unencrypted(const char *proc_swaps, const char *sys_block)
{
	char line[512], device[PATH_MAX];
	int n = 0;
	FILE *f = fopen(proc_swaps, "re");

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f)) {	/* the header */
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%4095s", device) == 1 && !is_safe(sys_block, device))
			n++;
	fclose(f);
	return n;
}
