/* SPDX-License-Identifier: GPL-2.0 */
/* Speech for the DSP tests: 8 kHz 16-bit mono WAV files, read whole into memory. */
#ifndef SAFELINE_TESTS_AUDIO_H
#define SAFELINE_TESTS_AUDIO_H

#include <stddef.h>
#include <stdint.h>

/* Reads a PCM16 mono 8 kHz WAV; returns malloc'd samples and sets *n, or NULL. */
int16_t *audio_read_wav(const char *path, size_t *n);

/* Every *.wav under dir (recursively), sorted; returns a NULL-terminated malloc'd list. */
char **audio_list_wavs(const char *dir, int *count);
void audio_free_list(char **list);

#endif
