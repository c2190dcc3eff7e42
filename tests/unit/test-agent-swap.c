// SPDX-License-Identifier: GPL-2.0
/*
 * The swap exposure check on made-up /proc/swaps and /sys/block trees: no
 * swap, plain partitions and files, dm-crypt and zram, and a device-mapper
 * volume that is not dm-crypt. Then the real /proc/swaps, which must parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/safelined/swap.h"
#include "tests/unit/ktap.h"

static struct ktap k;
static char dir[] = "/tmp/safeline-swap-XXXXXX";
static char swaps[256], sysblock[256];

static const char header[] = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void dm(const char *name, const char *uuid)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", sysblock, name);
	mkdir(path, 0755);
	strcat(path, "/dm");
	mkdir(path, 0755);
	strcat(path, "/uuid");
	put(path, uuid);
}

static int check(const char *body)
{
	char text[1024];

	snprintf(text, sizeof(text), "%s%s", header, body);
	put(swaps, text);
	return swap_unencrypted(swaps, sysblock);
}

int main(void)
{
	int r;

	if (!mkdtemp(dir))
		return 1;
	snprintf(swaps, sizeof(swaps), "%s/swaps", dir);
	snprintf(sysblock, sizeof(sysblock), "%s/block", dir);
	mkdir(sysblock, 0755);
	dm("dm-0", "CRYPT-LUKS2-abcdef-swap\n");
	dm("dm-1", "LVM-abcdef\n");

	ktap_plan(&k, 7);
	ktap_ok(&k, check("") == 0, "no swap: nothing exposed");
	ktap_ok(&k, check("/dev/sda2 partition 1000 0 -2\n") == 1, "a plain partition is exposed");
	ktap_ok(&k, check("/swapfile file 1000 0 -2\n/dev/sdb1 partition 1000 0 -3\n") == 2,
		"a swap file and a partition: two exposed");
	ktap_ok(&k, check("/dev/dm-0 partition 1000 0 -2\n") == 0, "dm-crypt swap is not exposed");
	ktap_ok(&k, check("/dev/dm-1 partition 1000 0 -2\n") == 1,
		"control: a device-mapper volume that is not dm-crypt is exposed");
	ktap_ok(&k, check("/dev/zram0 partition 1000 0 100\n") == 0, "zram is in memory, not exposed");
	r = swap_unencrypted("/proc/swaps", "/sys/block");
	ktap_ok(&k, r >= 0, "the real /proc/swaps parses (%d exposed)", r);
	unlink(swaps);
	snprintf(swaps, sizeof(swaps), "rm -rf '%s'", dir);
	if (system(swaps) != 0)
		return 1;
	return ktap_exit(&k);
}
