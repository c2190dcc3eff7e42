/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verification section of `safectl status` (status-verify.c), read
 * from the verify_* keys of the agent's status record.
 */
#ifndef SAFECTL_STATUS_VERIFY_H
#define SAFECTL_STATUS_VERIFY_H

#include <stdbool.h>

/* An agent status key that this section prints instead of the generic list. */
bool status_verify_key(const char *key);
/* The section, as text lines, from the agent's status record. */
void status_verify_print(const char *record);
/* SAFECTL_EXIT_VERIFY when the record says failed or overdue, else SAFECTL_EXIT_OK. */
int status_verify_exit(const char *record);

#endif
