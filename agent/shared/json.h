/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal streaming JSON writer: objects, arrays, string/number/bool
 * members. Keys are written as given (callers use snake_case, units in the
 * key); inside an array the key is NULL. The outermost value ends with a
 * newline, so a stream of them is JSON lines.
 */
#ifndef SAFELINE_JSON_H
#define SAFELINE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_writer {
	FILE *f;
	bool pretty;	/* newlines and two-space indents */
	int depth;	/* open objects and arrays */
	bool first;	/* no member written yet at this depth */
};

void json_init(struct json_writer *w, FILE *f, bool pretty);
/* key is NULL for the top-level object */
void json_open_object(struct json_writer *w, const char *key);
void json_close_object(struct json_writer *w);
void json_open_array(struct json_writer *w, const char *key);
void json_close_array(struct json_writer *w);
void json_string(struct json_writer *w, const char *key, const char *value);
void json_uint(struct json_writer *w, const char *key, uint64_t value);
void json_bool(struct json_writer *w, const char *key, bool value);
/* a number with a fixed count of decimals (seconds to the millisecond: 3) */
void json_fixed(struct json_writer *w, const char *key, double value, int decimals);
/* writes s as a quoted JSON string with every control character escaped */
void json_quote(FILE *f, const char *s);

#endif
