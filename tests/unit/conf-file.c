// SPDX-License-Identifier: GPL-2.0
/* The config tests' temporary file (conf-file.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/safelined/conf.h"
#include "tests/unit/conf-file.h"

void conf_file_init(struct conf_file *f, const char *name)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/safeline-%s-XXXXXX", name);
	if (!mkdtemp(f->dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(f->path, sizeof(f->path), "%s/safeline.conf", f->dir);
}

void conf_file_write(const struct conf_file *f, const char *text)
{
	FILE *out = fopen(f->path, "we");

	if (!out) {
		perror("fopen");
		exit(1);
	}
	fputs(text, out);
	fclose(out);
}

bool conf_file_refused(const struct conf_file *f, const char *text, int line, char *err,
		       size_t size)
{
	struct safeline_conf c, before;
	char want[4200];
	int r;

	conf_init(&c);
	c.max_age_s = 777;	/* a marker: a failed load must not touch c */
	before = c;
	conf_file_write(f, text);
	err[0] = '\0';
	r = conf_load(f->path, &c, err, size);
	snprintf(want, sizeof(want), "%s:%d: ", f->path, line);
	if (r == 0 || strncmp(err, want, strlen(want)) != 0)
		printf("# got r=%d err='%s', want prefix '%s'\n", r, err, want);
	return r == -EINVAL && strncmp(err, want, strlen(want)) == 0 &&
	       memcmp(&c, &before, sizeof(c)) == 0;
}

void conf_file_remove(const struct conf_file *f)
{
	unlink(f->path);
	rmdir(f->dir);
}
