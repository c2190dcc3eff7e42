// SPDX-License-Identifier: GPL-2.0
/*
 * A verify channel's call verdict in the uapi's terms: its counter and a
 * SAFELINE_EVENT_VERIFY event. Apart from verify.c because the DSP core's
 * headers and the uapi header both define enum safeline_law.
 */

#include <linux/build_bug.h>

#include "event.h"
#include "verify.h"
#include "uapi/linux/safeline.h"

static_assert(SAFELINE_VERIFY_RESULT_WITHHELD == 1 && SAFELINE_VERIFY_RESULT_NOT_OURS == 2 &&
	      SAFELINE_VERIFY_RESULT_OURS == SAFELINE_VERIFY_RESULTS);
static_assert(SAFELINE_VERIFY_STANDARD_BELL202_SDMF == 1 &&
	      SAFELINE_VERIFY_STANDARD_DTMF == 5);

void safeline_verify_report(const struct safeline_verify_sink *sink, u8 result, u8 standard)
{
	struct safeline_event ev = {
		.type = SAFELINE_EVENT_VERIFY,
		.role = SAFELINE_ROLE_FXO_PORT,		/* the only role the policy takes */
		.policy = SAFELINE_POLICY_VERIFY,
		.verify_result = result,
		.verify_standard = standard,
		.channo = sink->channo,
		.spanno = sink->spanno,
	};

	if (result < 1 || result > SAFELINE_VERIFY_RESULTS)
		return;
	sink->results[result - 1]++;
	safeline_event_queue(&ev);
}
