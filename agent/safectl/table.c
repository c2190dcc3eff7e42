// SPDX-License-Identifier: GPL-2.0
/*
 * Aligned text tables (see table.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/safectl/table.h"

static void add(struct table *t, char *text)
{
	char **cell;

	if (!text) {
		t->failed = true;
		return;
	}
	if (t->cells == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		cell = realloc(t->cell, t->cap * sizeof(*cell));
		if (!cell) {
			free(text);
			t->failed = true;
			return;
		}
		t->cell = cell;
	}
	t->cell[t->cells++] = text;
}

void table_init(struct table *t, const char *const *heads, size_t cols, unsigned int right)
{
	size_t c;

	*t = (struct table){ .cols = cols, .right = right };
	for (c = 0; c < cols; c++)
		add(t, strdup(heads[c]));
}

void table_cell(struct table *t, const char *format, ...)
{
	char *text = NULL;
	va_list ap;

	va_start(ap, format);
	if (vasprintf(&text, format, ap) < 0)
		text = NULL;
	va_end(ap);
	add(t, text);
}

int table_print(struct table *t)
{
	size_t c, i, *width = calloc(t->cols, sizeof(*width));
	int ret = 0;

	if (!width || t->failed) {
		ret = -1;
		goto out;
	}
	for (i = 0; i < t->cells; i++)
		if (strlen(t->cell[i]) > width[i % t->cols])
			width[i % t->cols] = strlen(t->cell[i]);
	for (i = 0; i + t->cols <= t->cells; i += t->cols) {
		for (c = 0; c < t->cols; c++) {
			bool last = c + 1 == t->cols, right = t->right & (1u << c);

			/* no trailing blanks after a left-aligned last column */
			printf("%s%*s", c ? " " : "", right ? (int)width[c] : last ? 0 : -(int)width[c],
			       t->cell[i + c]);
		}
		putchar('\n');
	}
out:
	for (i = 0; i < t->cells; i++)
		free(t->cell[i]);
	free(t->cell);
	free(width);
	*t = (struct table){};
	return ret;
}
