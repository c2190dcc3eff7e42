/* SPDX-License-Identifier: GPL-2.0 */
/* The seeded DSP tests' command line: -s SEED (SAFELINE_SEED works too), and -n COUNT. */
#ifndef SAFELINE_TESTS_CMDLINE_H
#define SAFELINE_TESTS_CMDLINE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Sets *seed, and *count where count_name names it (NULL: no -n); returns 0,
 * or 2 after printing the usage.
 */
static inline int cmdline_parse(int argc, char **argv, uint64_t *seed, int *count,
				const char *count_name)
{
	int opt;

	if (getenv("SAFELINE_SEED"))
		*seed = strtoull(getenv("SAFELINE_SEED"), NULL, 0);
	while ((opt = getopt(argc, argv, count_name ? "s:n:" : "s:")) != -1) {
		if (opt == 's') {
			*seed = strtoull(optarg, NULL, 0);
		} else if (opt == 'n') {
			*count = atoi(optarg);
		} else {
			fprintf(stderr, "usage: %s [-s SEED]%s%s%s\n", argv[0],
				count_name ? " [-n " : "", count_name ? count_name : "",
				count_name ? "]" : "");
			return 2;
		}
	}
	return 0;
}

#endif
