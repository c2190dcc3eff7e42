/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic caller numbers: made at random in memory, compared in memory, never printed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "number.h"

static int random_bytes(unsigned char *buf, size_t len)
{
	while (len) {
		ssize_t n = getrandom(buf, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int number_make(char *buf, size_t size, int min, int max)
{
	unsigned char rnd[NUMBER_MAX + 1];
	int len, i, r;

	if (min < 1 || max < min || max > NUMBER_MAX || size <= (size_t)max)
		return -EINVAL;
	r = random_bytes(rnd, sizeof(rnd));
	if (r)
		return r;
	len = min + rnd[0] % (max - min + 1);
	/* modulo bias over 0..255 is irrelevant for a test number */
	for (i = 0; i < len; i++)
		buf[i] = (char)('0' + rnd[i + 1] % 10);
	buf[len] = '\0';
	explicit_bzero(rnd, sizeof(rnd));
	return 0;
}

int number_read(const char *path, char *buf, size_t size)
{
	char tmp[NUMBER_MAX + 3];
	size_t n;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	n = fread(tmp, 1, sizeof(tmp) - 1, f);
	fclose(f);
	while (n && (tmp[n - 1] == '\n' || tmp[n - 1] == '\r'))
		n--;
	tmp[n] = '\0';
	if (!n || n > NUMBER_MAX || n >= size || strspn(tmp, "0123456789") != n) {
		explicit_bzero(tmp, sizeof(tmp));
		return -EINVAL;
	}
	memcpy(buf, tmp, n + 1);
	explicit_bzero(tmp, sizeof(tmp));
	return 0;
}

int number_count_digits(const char *s, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			n++;
	return n;
}

int number_longest_run(const char *number, const char *seen, size_t len, const char *explained)
{
	size_t nlen = strlen(number), elen = explained ? strlen(explained) : 0;
	size_t best = 0;

	for (size_t i = 0; i < len; i++) {
		for (size_t j = 0; j < nlen; j++) {
			size_t k = 0;

			while (i + k < len && j + k < nlen && seen[i + k] == number[j + k])
				k++;
			/* a run that is also a piece of the explaining text proves nothing */
			if (k > best && !(elen && memmem(explained, elen, seen + i, k)))
				best = k;
		}
	}
	return (int)best;
}
