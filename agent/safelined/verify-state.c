// SPDX-License-Identifier: GPL-2.0
/*
 * The record of verifications: one line of key=value pairs in the store's
 * directory (tmpfs), rewritten whole under a temporary name and renamed over.
 * It holds times and verdicts only, never a number.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/safelined/verify.h"

#define STATE_FILE "verify"
#define STATE_TEMP "verify.tmp"

static const char *const result_names[] = {
	[VERIFY_RESULT_NONE] = "none",
	[VERIFY_RESULT_WITHHELD] = "withheld",
	[VERIFY_RESULT_NOT_OURS] = "not_ours",
	[VERIFY_RESULT_OURS] = "ours",
};

static const char *const health_names[] = {
	[VERIFY_HEALTH_OFF] = "off",
	[VERIFY_HEALTH_OK] = "ok",
	[VERIFY_HEALTH_PENDING] = "pending",
	[VERIFY_HEALTH_FAILED] = "failed",
	[VERIFY_HEALTH_OVERDUE] = "overdue",
};

const char *verify_result_name(uint8_t result)
{
	return result <= VERIFY_RESULT_OURS ? result_names[result] : "?";
}

const char *verify_health_name(enum verify_health h)
{
	return (size_t)h < sizeof(health_names) / sizeof(health_names[0]) ? health_names[h] : "?";
}

enum verify_health verify_health(const struct conf_verify *v, const struct verify_state *st,
				 time_t now)
{
	int64_t from = st->last_ok ? st->last_ok : st->since;

	if (!v->enabled)
		return VERIFY_HEALTH_OFF;
	if (st->failed)
		return VERIFY_HEALTH_FAILED;
	if (from && now - from > (int64_t)v->interval_s)
		return VERIFY_HEALTH_OVERDUE;
	return st->last_ok ? VERIFY_HEALTH_OK : VERIFY_HEALTH_PENDING;
}

static char *path_of(char *buf, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
		return NULL;
	return buf;
}

int verify_state_load(const char *dir, struct verify_state *st)
{
	char path[4200], name[16];
	long long since, ok, last;
	unsigned int failed;
	FILE *f;
	int n, r = 0;
	size_t i;

	memset(st, 0, sizeof(*st));
	if (!path_of(path, sizeof(path), dir, STATE_FILE))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "since=%lld last_ok=%lld last_time=%lld last_result=%15s failed=%u",
		   &since, &ok, &last, name, &failed);
	fclose(f);
	if (n != 5)
		return -EBADMSG;
	st->since = since;
	st->last_ok = ok;
	st->last_time = last;
	st->failed = failed != 0;
	for (i = 0; i < sizeof(result_names) / sizeof(result_names[0]); i++)
		if (strcmp(name, result_names[i]) == 0)
			st->last_result = (uint8_t)i;
	return r;
}

int verify_state_save(const char *dir, const struct verify_state *st)
{
	char path[4200], temp[4200];
	int fd, r = 0;
	FILE *f;

	if (!path_of(path, sizeof(path), dir, STATE_FILE) ||
	    !path_of(temp, sizeof(temp), dir, STATE_TEMP))
		return -ENAMETOOLONG;
	fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		return r;
	}
	fprintf(f, "since=%" PRId64 " last_ok=%" PRId64 " last_time=%" PRId64
		" last_result=%s failed=%u\n", st->since, st->last_ok, st->last_time,
		verify_result_name(st->last_result), st->failed ? 1u : 0u);
	if (fflush(f) == EOF || fsync(fileno(f)) < 0)
		r = -errno;
	if (fclose(f) == EOF && !r)
		r = -errno;
	if (!r && rename(temp, path) < 0)
		r = -errno;
	if (r)
		unlink(temp);
	return r;
}
