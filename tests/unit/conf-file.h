/* SPDX-License-Identifier: GPL-2.0 */
/*
 * safelined's config as the tests write it: one file in a fresh directory
 * under /tmp, rewritten for each case, and the check that a bad one is
 * refused at its file:line with the config left as it was.
 */
#ifndef SAFELINE_TESTS_CONF_FILE_H
#define SAFELINE_TESTS_CONF_FILE_H

#include <stdbool.h>
#include <stddef.h>

struct conf_file {
	char dir[64];
	char path[4096];	/* dir/safeline.conf */
};

/* Makes /tmp/safeline-NAME-XXXXXX; exits the test when it cannot. */
void conf_file_init(struct conf_file *f, const char *name);

/* The file now holds exactly text; exits the test when it cannot be written. */
void conf_file_write(const struct conf_file *f, const char *text);

/*
 * Loads text into a config that holds a marker: true when it is refused with
 * -EINVAL, err starting "path:line: " and the config untouched. Says what it
 * got otherwise. err gets the message.
 */
bool conf_file_refused(const struct conf_file *f, const char *text, int line, char *err,
		       size_t size);

/* Removes the file and the directory. */
void conf_file_remove(const struct conf_file *f);

#endif
