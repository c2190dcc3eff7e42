// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer for safectl -j (and later the control socket).
 */
#include <inttypes.h>

#include "agent/shared/json.h"

void json_init(struct json_writer *w, FILE *f, bool pretty)
{
	*w = (struct json_writer){ .f = f, .pretty = pretty, .first = true };
}

void json_quote(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void newline(struct json_writer *w)
{
	if (w->pretty)
		fprintf(w->f, "\n%*s", 2 * w->depth, "");
}

/* separator, indent and "key": for the next member */
static void member(struct json_writer *w, const char *key)
{
	if (!w->first)
		fputc(',', w->f);
	w->first = false;
	if (w->depth > 0)
		newline(w);
	if (key) {
		json_quote(w->f, key);
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

static void open_container(struct json_writer *w, const char *key, char bracket)
{
	member(w, key);
	fputc(bracket, w->f);
	w->depth++;
	w->first = true;
}

static void close_container(struct json_writer *w, char bracket)
{
	bool empty = w->first;

	w->depth--;
	if (!empty)
		newline(w);
	fputc(bracket, w->f);
	w->first = false;
	if (w->depth == 0) {
		fputc('\n', w->f);
		w->first = true;	/* the next top-level value: a JSON line of its own */
	}
}

void json_open_object(struct json_writer *w, const char *key)
{
	open_container(w, key, '{');
}

void json_close_object(struct json_writer *w)
{
	close_container(w, '}');
}

void json_open_array(struct json_writer *w, const char *key)
{
	open_container(w, key, '[');
}

void json_close_array(struct json_writer *w)
{
	close_container(w, ']');
}

void json_string(struct json_writer *w, const char *key, const char *value)
{
	member(w, key);
	json_quote(w->f, value);
}

void json_uint(struct json_writer *w, const char *key, uint64_t value)
{
	member(w, key);
	fprintf(w->f, "%" PRIu64, value);
}

void json_bool(struct json_writer *w, const char *key, bool value)
{
	member(w, key);
	fputs(value ? "true" : "false", w->f);
}

void json_fixed(struct json_writer *w, const char *key, double value, int decimals)
{
	member(w, key);
	fprintf(w->f, "%.*f", decimals, value);
}
