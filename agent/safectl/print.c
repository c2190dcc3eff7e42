// SPDX-License-Identifier: GPL-2.0
/*
 * Text-or-JSON field printer behind every read-only subcommand.
 */
#include <inttypes.h>
#include <stdio.h>

#include "agent/safectl/print.h"
#include "agent/safectl/safectl.h"
#include "agent/shared/json.h"

static struct json_writer json;

void print_open(void)
{
	if (!safectl_json)
		return;
	json_init(&json, stdout, safectl_pretty);
	json_open_object(&json, NULL);
}

void print_close(void)
{
	if (safectl_json)
		json_close_object(&json);
	fflush(stdout);
}

void print_string(const char *key, const char *label, const char *value)
{
	if (safectl_json)
		json_string(&json, key, value);
	else
		printf("%s: %s\n", label, value);
}

void print_uint(const char *key, const char *label, uint64_t value)
{
	if (safectl_json)
		json_uint(&json, key, value);
	else
		printf("%s: %" PRIu64 "\n", label, value);
}

void print_bool(const char *key, const char *label, bool value)
{
	if (safectl_json)
		json_bool(&json, key, value);
	else
		printf("%s: %s\n", label, value ? "yes" : "no");
}
