// SPDX-License-Identifier: GPL-2.0
/*
 * Own numbers as the kernel's verifier compares them (docs/verify.md, the
 * normalisation rule): ASCII digits only, and with a suffix length s the
 * last s digits of a longer number. The hash is the same SipHash-2-4 the
 * kernel runs (kernel/dsp/siphash.c), so both sides agree by construction.
 */
#include <errno.h>
#include <string.h>

#include "agent/safelined/verify.h"
#include "kernel/dsp/siphash.h"

int verify_normalise(const char *text, char *digits, size_t size)
{
	size_t n = 0;
	const char *c;

	for (c = text; *c; c++) {
		if (*c >= '0' && *c <= '9') {
			if (n >= CONF_VERIFY_MAX_DIGITS || n + 1 >= size) {
				explicit_bzero(digits, size);
				return -ERANGE;
			}
			digits[n++] = *c;
		} else if (!strchr("+-.() \t", *c)) {
			explicit_bzero(digits, size);
			return -EINVAL;
		}
	}
	if (!n) {
		explicit_bzero(digits, size);
		return -EINVAL;
	}
	digits[n] = '\0';
	return 0;
}

uint64_t verify_hash_number(const uint8_t key[VERIFY_KEY_BYTES], const char *digits,
			    unsigned int suffix)
{
	size_t n = strlen(digits);

	if (suffix && n > suffix)
		return safeline_siphash24(key, (const uint8_t *)digits + n - suffix, suffix);
	return safeline_siphash24(key, (const uint8_t *)digits, n);
}

size_t verify_hashes(const struct conf_verify *v, const uint8_t key[VERIFY_KEY_BYTES],
		     uint64_t *hashes)
{
	size_t i, j, n = 0;
	uint64_t h;

	for (i = 0; i < v->n_numbers && i < CONF_VERIFY_MAX_NUMBERS; i++) {
		h = verify_hash_number(key, v->numbers[i], v->suffix_digits);
		for (j = 0; j < n && hashes[j] != h; j++)
			;
		if (j == n)
			hashes[n++] = h;
	}
	return n;
}
