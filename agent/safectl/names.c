// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the uapi enums, indexed by their values (designated initialisers,
 * so a renumbering in the header cannot shift them silently).
 */
#include <linux/safeline.h>

#include "agent/safectl/names.h"
#include "agent/shared/util.h"

static const char *const roles[] = {
	[SAFELINE_ROLE_NONE] = "none",
	[SAFELINE_ROLE_FXO_PORT] = "fxo_port",
	[SAFELINE_ROLE_FXS_PORT] = "fxs_port",
};

static const char *const laws[] = {
	[SAFELINE_LAW_UNKNOWN] = "unknown",
	[SAFELINE_LAW_ULAW] = "ulaw",
	[SAFELINE_LAW_ALAW] = "alaw",
};

static const char *const policies[] = {
	[SAFELINE_POLICY_PASS] = "pass",
	[SAFELINE_POLICY_DETECT] = "detect",
	[SAFELINE_POLICY_SUPPRESS] = "suppress",
	[SAFELINE_POLICY_STRICT] = "strict",
	[SAFELINE_POLICY_VERIFY] = "verify",
};

static const char *const hooks[] = {
	[SAFELINE_HOOK_UNKNOWN] = "unknown",
	[SAFELINE_HOOK_ON] = "on",
	[SAFELINE_HOOK_OFF] = "off",
};

/* the same words as the channels' spills_<kind> counters */
static const char *const spill_kinds[] = {
	[SAFELINE_SPILL_FSK_SEIZURE] = "fsk_seizure",
	[SAFELINE_SPILL_FSK_MESSAGE] = "fsk_message",
	[SAFELINE_SPILL_FSK_JCLIP] = "fsk_jclip",
	[SAFELINE_SPILL_ALERT] = "alert",
	[SAFELINE_SPILL_DTMF] = "dtmf",
};

static const char *const event_types[] = {
	[SAFELINE_EVENT_UNSPEC] = "unspec",
	[SAFELINE_EVENT_RING_BEGIN] = "ring_begin",
	[SAFELINE_EVENT_RING_END] = "ring_end",
	[SAFELINE_EVENT_POLARITY] = "polarity",
	[SAFELINE_EVENT_ANSWER] = "answer",
	[SAFELINE_EVENT_HANGUP] = "hangup",
	[SAFELINE_EVENT_SPILL] = "spill",
	[SAFELINE_EVENT_VERIFY] = "verify",
};

static const char *const verify_results[] = {
	[SAFELINE_VERIFY_RESULT_UNSPEC] = "unspec",
	[SAFELINE_VERIFY_RESULT_WITHHELD] = "withheld",
	[SAFELINE_VERIFY_RESULT_NOT_OURS] = "not_ours",
	[SAFELINE_VERIFY_RESULT_OURS] = "ours",
};

static const char *const verify_standards[] = {
	[SAFELINE_VERIFY_STANDARD_UNSPEC] = "unspec",
	[SAFELINE_VERIFY_STANDARD_BELL202_SDMF] = "bell202_sdmf",
	[SAFELINE_VERIFY_STANDARD_BELL202_MDMF] = "bell202_mdmf",
	[SAFELINE_VERIFY_STANDARD_V23_SDMF] = "v23_sdmf",
	[SAFELINE_VERIFY_STANDARD_V23_MDMF] = "v23_mdmf",
	[SAFELINE_VERIFY_STANDARD_DTMF] = "dtmf",
};

#define NAME_OF(table, v) ((v) < ELEMENTSOF(table) && (table)[v] ? (table)[v] : "?")

const char *name_role(unsigned int v) { return NAME_OF(roles, v); }
const char *name_law(unsigned int v) { return NAME_OF(laws, v); }
const char *name_policy(unsigned int v) { return NAME_OF(policies, v); }
const char *name_hook(unsigned int v) { return NAME_OF(hooks, v); }
const char *name_spill_kind(unsigned int v) { return NAME_OF(spill_kinds, v); }
const char *name_event_type(unsigned int v) { return NAME_OF(event_types, v); }
const char *name_verify_result(unsigned int v) { return NAME_OF(verify_results, v); }
const char *name_verify_standard(unsigned int v) { return NAME_OF(verify_standards, v); }

int policy_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < ELEMENTSOF(policies); i++)
		if (policies[i] && streq(name, policies[i]))
			return (int)i;
	return -1;
}
