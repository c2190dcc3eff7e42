/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One call per field, printing text or JSON as -j chose (iproute2's
 * print_*(PRINT_ANY, ...) model). JSON keys are snake_case with units in the
 * key; text lines are "label: value".
 */
#ifndef SAFECTL_PRINT_H
#define SAFECTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

void print_open(void);
void print_close(void);
void print_string(const char *key, const char *label, const char *value);
void print_uint(const char *key, const char *label, uint64_t value);
void print_bool(const char *key, const char *label, bool value);

#endif
