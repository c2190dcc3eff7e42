// SPDX-License-Identifier: GPL-2.0
/* The stream a DSP test feeds its filter (stream.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>

#include "audio.h"
#include "stream.h"

struct speech speech_load(const char *dir, int step)
{
	struct speech sp = { 0 };
	int count, i;
	char **files = audio_list_wavs(dir, &count);

	for (i = 0; files && i < count && i < 400; i += step) {
		size_t n;
		int16_t *a = audio_read_wav(files[i], &n);

		if (!a)
			continue;
		sp.amp = realloc(sp.amp, (sp.n + n) * sizeof(*sp.amp));
		if (!sp.amp)
			abort();
		memcpy(sp.amp + sp.n, a, n * sizeof(*a));
		sp.n += n;
		free(a);
	}
	audio_free_list(files);
	return sp;
}

void speech_fill(struct rng *r, const struct speech *sp, int16_t *out, size_t len)
{
	size_t from = sp->n > len ? (size_t)rng_int(r, 0, (int)(sp->n - len)) : 0, i;
	double g = pow(10.0, rng_real(r, -12.0, 3.0) / 20.0);

	for (i = 0; i < len; i++)
		out[i] = i + from < sp->n ? sat16(sp->amp[from + i] * g) : 0;
}

int16_t sat16(double v)
{
	return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : lrint(v));
}

void stream_reserve(struct stream *s, size_t more)
{
	if (s->n + more <= s->cap)
		return;
	s->cap = (s->n + more) * 2;
	s->lin = realloc(s->lin, s->cap * sizeof(*s->lin));
	if (!s->lin)
		abort();
}

void stream_gap(struct stream *s, struct rng *r, const struct speech *sp, size_t len,
		int speech_one_in)
{
	stream_reserve(s, len);
	if (sp->n && rng_int(r, 0, speech_one_in - 1) == 0)
		speech_fill(r, sp, s->lin + s->n, len);
	else
		memset(s->lin + s->n, 0, len * sizeof(*s->lin));
	s->n += len;
}

size_t stream_put(struct stream *s, int16_t *buf, size_t n, double gain_db)
{
	double g = pow(10.0, gain_db / 20.0);
	size_t start = s->n, i;

	stream_reserve(s, n);
	for (i = 0; i < n; i++)
		s->lin[s->n + i] = sat16(buf[i] * g);
	memset(buf, 0, n * sizeof(*buf));
	s->n += n;
	return start;
}

void stream_noise(struct stream *s, struct rng *r, size_t from, double level_dbm0)
{
	awgn_state_t *noise = awgn_init_dbm0(NULL, (int)(rng_next(r) & 0x7fffffff),
					     (float)level_dbm0);
	size_t i;

	for (i = from; i < s->n; i++)
		s->lin[i] = sat16((double)s->lin[i] + awgn(noise));
	awgn_free(noise);
}
