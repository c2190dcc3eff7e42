/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text tables for safectl's listings: cells are collected first, so every
 * column is as wide as its widest cell and the columns line up whatever the
 * channel names or counts are. Numbers align right, words left.
 */
#ifndef SAFECTL_TABLE_H
#define SAFECTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct table {
	size_t cols, cells, cap;
	char **cell;		/* row-major, the header first */
	unsigned int right;	/* bit c set: column c aligns right */
	bool failed;		/* out of memory: table_print() says so */
};

/* A table whose header is the cols strings of heads. */
void table_init(struct table *t, const char *const *heads, size_t cols, unsigned int right);
/* The next cell, row by row, printf-style. */
void table_cell(struct table *t, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Prints the header and the rows to stdout and frees the cells; -1 when out of memory. */
int table_print(struct table *t);

#endif
