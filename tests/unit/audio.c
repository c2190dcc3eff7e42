// SPDX-License-Identifier: GPL-2.0
/* WAV reading and corpus listing for the DSP tests (audio.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audio.h"

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int16_t *audio_read_wav(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t hdr[12], ck[8], fmt[16];
	int16_t *out = NULL;
	int fmt_ok = 0;
	uint32_t size, i;

	if (!f)
		return NULL;
	if (fread(hdr, 1, 12, f) != 12 || memcmp(hdr, "RIFF", 4) || memcmp(hdr + 8, "WAVE", 4))
		goto out;
	while (fread(ck, 1, 8, f) == 8) {
		size = le32(ck + 4);
		if (!memcmp(ck, "fmt ", 4) && size >= 16) {
			if (fread(fmt, 1, 16, f) != 16)
				goto out;
			fmt_ok = le16(fmt) == 1 && le16(fmt + 2) == 1 && le32(fmt + 4) == 8000 &&
				 le16(fmt + 14) == 16;
			fseek(f, (long)(size - 16 + (size & 1)), SEEK_CUR);
		} else if (!memcmp(ck, "data", 4) && fmt_ok) {
			out = malloc(size + 2);
			if (!out)
				goto out;
			*n = fread(out, 2, size / 2, f);
			for (i = 0; i < *n; i++) {
				uint8_t *b = (uint8_t *)&out[i];

				out[i] = (int16_t)le16(b);
			}
			goto out;
		} else {
			fseek(f, (long)(size + (size & 1)), SEEK_CUR);
		}
	}
out:
	fclose(f);
	return out;
}

struct list {
	char **v;
	int n, cap;
};

static void list_walk(struct list *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char path[4096];
	size_t len;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			list_walk(l, path);
			continue;
		}
		len = strlen(path);
		if (len < 4 || strcmp(path + len - 4, ".wav"))
			continue;
		if (l->n + 1 >= l->cap) {
			l->cap = l->cap ? l->cap * 2 : 256;
			l->v = realloc(l->v, (size_t)l->cap * sizeof(*l->v));
			if (!l->v)
				abort();
		}
		l->v[l->n++] = strdup(path);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **audio_list_wavs(const char *dir, int *count)
{
	struct list l = { 0 };

	list_walk(&l, dir);
	if (!l.v)
		l.v = calloc(1, sizeof(*l.v));
	else
		qsort(l.v, (size_t)l.n, sizeof(*l.v), cmp_str);
	l.v[l.n] = NULL;
	*count = l.n;
	return l.v;
}

void audio_free_list(char **list)
{
	char **p;

	for (p = list; p && *p; p++)
		free(*p);
	free(list);
}
