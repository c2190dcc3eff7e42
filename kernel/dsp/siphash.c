// SPDX-License-Identifier: GPL-2.0
/*
 * SipHash-2-4, written from the paper's description ("SipHash: a fast
 * short-input PRF", section 2): 2 compression rounds per 8-byte word, 4
 * finalisation rounds. Byte-wise loads keep it endian- and alignment-neutral.
 */
#include "siphash.h"

static inline uint64_t rotl64(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

struct sip {
	uint64_t v0, v1, v2, v3;
};

static inline void sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = rotl64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl64(s->v2, 32);
}

static uint64_t load64_le(const uint8_t *p, size_t n)
{
	uint64_t w = 0;
	size_t i;

	for (i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	return w;
}

static void sip_compress(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

uint64_t safeline_siphash24(const uint8_t key[SAFELINE_SIPHASH_KEY_BYTES],
			    const uint8_t *data, size_t len)
{
	uint64_t k0 = load64_le(key, 8), k1 = load64_le(key + 8, 8);
	/* "somepseudorandomlygeneratedbytes", the paper's initialisation constants */
	struct sip s = {
		.v0 = k0 ^ 0x736f6d6570736575ULL,
		.v1 = k1 ^ 0x646f72616e646f6dULL,
		.v2 = k0 ^ 0x6c7967656e657261ULL,
		.v3 = k1 ^ 0x7465646279746573ULL,
	};
	size_t at;

	for (at = 0; at + 8 <= len; at += 8)
		sip_compress(&s, load64_le(data + at, 8));
	/* last word: the remaining bytes, and len mod 256 in the top byte */
	sip_compress(&s, load64_le(data + at, len - at) | ((uint64_t)(len & 0xff) << 56));
	s.v2 ^= 0xff;
	sip_round(&s);
	sip_round(&s);
	sip_round(&s);
	sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
