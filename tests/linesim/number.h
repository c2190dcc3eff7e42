/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic caller numbers: made at random in memory, compared in memory, never printed. */
#ifndef LINESIM_NUMBER_H
#define LINESIM_NUMBER_H

#include <stddef.h>

#define NUMBER_MAX 20	/* ETSI EN 300 659-3 CLI parameter: up to 20 digits */

/* Fill buf with a fresh random number of min..max digits (getrandom). 0 or -errno. */
int number_make(char *buf, size_t size, int min, int max);

/* Read a number (1..NUMBER_MAX digits, a trailing newline allowed) from path into buf. The
 * file's content is never echoed: errors say only what is wrong. 0 or -errno. */
int number_read(const char *path, char *buf, size_t size);

/* Count of ASCII digits in the first len bytes of s. */
int number_count_digits(const char *s, size_t len);

/* Longest run of consecutive digits of number found anywhere in seen[0..len), ignoring runs
 * that also occur in explained (may be NULL), e.g. the date sent next to the number. */
int number_longest_run(const char *number, const char *seen, size_t len, const char *explained);

#endif
