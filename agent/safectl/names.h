/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words safectl shows for the uapi header's enums, in one place so that
 * channels, policy, status and monitor say the same thing (and -j uses the
 * same strings). A value a newer module sends that safectl does not know yet
 * shows as "?".
 */
#ifndef SAFECTL_NAMES_H
#define SAFECTL_NAMES_H

#include <stdint.h>

const char *name_role(unsigned int role);
const char *name_law(unsigned int law);
const char *name_policy(unsigned int policy);
const char *name_hook(unsigned int hook);
const char *name_spill_kind(unsigned int kind);
const char *name_event_type(unsigned int type);
const char *name_verify_result(unsigned int result);
const char *name_verify_standard(unsigned int standard);

/* enum safeline_policy of name, or -1 */
int policy_from_name(const char *name);

#endif
