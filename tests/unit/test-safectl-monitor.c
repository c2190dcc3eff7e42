// SPDX-License-Identifier: GPL-2.0
/*
 * safectl monitor without a kernel: SAFELINE_CMD_EVENT messages built by
 * hand as the uapi header describes them, read by safeline_event_parse()
 * (agent/shared/genl-event.c) and printed by monitor_print_event(), as text
 * and as JSON lines. Malformed messages must be refused, not half-printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safectl/monitor.h"
#include "agent/shared/genl-event.h"
#include "agent/shared/json.h"
#include "tests/unit/ktap.h"

static struct ktap k;

#define FAMILY 0x1d	/* any id: the parser reads the generic header, not the type */
#define BOOT_NS 5000000000ULL	/* 5 s after boot */
/* 2026-11-22 16:00:00 UTC, minus the boot time above */
#define WALL_MINUS_BOOT (1795363200LL * 1000000000LL - (long long)BOOT_NS)

/* optional attributes hold value + 1, so that 0 (the default) leaves them out */
#define V(x) ((x) + 1)

struct spec {
	uint8_t cmd, type;
	int kind, muted, duration, result, standard;
	uint32_t dropped;
	bool drop_seq;	/* leave out SEQ, which every event carries */
};

static struct nl_msg *build(const struct spec *s)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, FAMILY, 0, 0, s->cmd, SAFELINE_GENL_VERSION);
	nla_put_u8(m, SAFELINE_EVENT_A_TYPE, s->type);
	if (!s->drop_seq)
		nla_put_u64(m, SAFELINE_EVENT_A_SEQ, 42);
	nla_put_u64(m, SAFELINE_EVENT_A_TIME_NS, BOOT_NS + 123456789);
	nla_put_u32(m, SAFELINE_EVENT_A_CHANNO, 25);
	nla_put_u32(m, SAFELINE_EVENT_A_SPANNO, 2);
	nla_put_u8(m, SAFELINE_EVENT_A_ROLE, SAFELINE_ROLE_FXO_PORT);
	nla_put_u8(m, SAFELINE_EVENT_A_POLICY, SAFELINE_POLICY_SUPPRESS);
	if (s->dropped)
		nla_put_u32(m, SAFELINE_EVENT_A_DROPPED, s->dropped);
	if (s->kind)
		nla_put_u8(m, SAFELINE_EVENT_A_SPILL_KIND, (uint8_t)(s->kind - 1));
	if (s->muted)
		nla_put_u8(m, SAFELINE_EVENT_A_SPILL_MUTED, (uint8_t)(s->muted - 1));
	if (s->duration)
		nla_put_u32(m, SAFELINE_EVENT_A_DURATION_MS, (uint32_t)(s->duration - 1));
	if (s->result)
		nla_put_u8(m, SAFELINE_EVENT_A_VERIFY_RESULT, (uint8_t)(s->result - 1));
	if (s->standard)
		nla_put_u8(m, SAFELINE_EVENT_A_VERIFY_STANDARD, (uint8_t)(s->standard - 1));
	return m;
}

/* parses the message and prints it both ways; false when parsing failed */
static bool render(const struct spec *s, char *text, size_t tsize, char *json, size_t jsize)
{
	struct nl_msg *m = build(s);
	struct safeline_event ev;
	struct json_writer w;
	FILE *f;
	bool ok = safeline_event_parse(nlmsg_hdr(m), &ev) == 0;

	nlmsg_free(m);
	text[0] = json[0] = '\0';
	if (!ok)
		return false;
	f = fmemopen(text, tsize, "w");
	monitor_print_event(&ev, NULL, f, WALL_MINUS_BOOT);
	fclose(f);
	f = fmemopen(json, jsize, "w");
	json_init(&w, f, false);
	monitor_print_event(&ev, &w, NULL, WALL_MINUS_BOOT);
	fclose(f);
	return true;
}

static bool same(const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return true;
	printf("# got:  %s# want: %s", got, want);
	return false;
}

#define EVENT(...) ((struct spec){ .cmd = SAFELINE_CMD_EVENT, __VA_ARGS__ })
#define HEAD "{\"seq\":42,\"time_s\":1795363200.123,\"time_boot_ns\":5123456789," \
	"\"channel\":25,\"span\":2,\"role\":\"fxo_port\",\"policy\":\"suppress\","

static void check(const struct spec *s, const char *want_text, const char *want_json,
		  const char *desc)
{
	char text[512], json[512];
	bool parsed = render(s, text, sizeof(text), json, sizeof(json));

	ktap_ok(&k, parsed && same(text, want_text) && same(json, want_json), "%s", desc);
}

static void refused(const struct spec *s, const char *desc)
{
	char text[512], json[512];

	ktap_ok(&k, !render(s, text, sizeof(text), json, sizeof(json)) && !text[0] && !json[0],
		"%s", desc);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	ktap_plan(&k, 9);

	check(&EVENT(.type = SAFELINE_EVENT_SPILL, .kind = V(SAFELINE_SPILL_FSK_MESSAGE), .muted = V(1),
		     .duration = V(412)),
	      "2026-11-22 16:00:00.123 chan 25  span 2  fxo_port suppress spill      "
	      "fsk_message muted 412 ms\n",
	      HEAD "\"event\":\"spill\",\"kind\":\"fsk_message\",\"muted\":true,"
	      "\"duration_ms\":412}\n",
	      "spill, muted: time, channel, kind, duration as text and JSON");
	check(&EVENT(.type = SAFELINE_EVENT_SPILL, .kind = V(SAFELINE_SPILL_DTMF), .muted = V(0),
		     .duration = V(90)),
	      "2026-11-22 16:00:00.123 chan 25  span 2  fxo_port suppress spill      "
	      "dtmf detected (not muted) 90 ms\n",
	      HEAD "\"event\":\"spill\",\"kind\":\"dtmf\",\"muted\":false,\"duration_ms\":90}\n",
	      "spill, only detected: says not muted");
	check(&EVENT(.type = SAFELINE_EVENT_RING_BEGIN),
	      "2026-11-22 16:00:00.123 chan 25  span 2  fxo_port suppress ring_begin\n",
	      HEAD "\"event\":\"ring_begin\"}\n",
	      "ring_begin: no spill or verify fields, nothing after the event word");
	check(&EVENT(.type = SAFELINE_EVENT_HANGUP, .dropped = 3),
	      "2026-11-22 16:00:00.123 chan 25  span 2  fxo_port suppress hangup     "
	      "[3 events dropped before this]\n",
	      HEAD "\"event\":\"hangup\",\"dropped\":3}\n",
	      "an event after drops says how many were dropped");
	check(&EVENT(.type = SAFELINE_EVENT_VERIFY, .result = V(SAFELINE_VERIFY_RESULT_OURS),
		     .standard = V(SAFELINE_VERIFY_STANDARD_V23_MDMF)),
	      "2026-11-22 16:00:00.123 chan 25  span 2  fxo_port suppress verify     "
	      "ours (v23_mdmf)\n",
	      HEAD "\"event\":\"verify\",\"result\":\"ours\",\"standard\":\"v23_mdmf\"}\n",
	      "verify: result and standard");
	check(&EVENT(.type = 200),
	      "2026-11-22 16:00:00.123 chan 25  span 2  fxo_port suppress ?\n",
	      HEAD "\"event\":\"?\"}\n",
	      "an event type newer than safectl prints as '?', not garbage");

	refused(&EVENT(.type = SAFELINE_EVENT_SPILL, .kind = V(SAFELINE_SPILL_ALERT), .muted = V(1)),
		"a spill without DURATION_MS is refused");
	refused(&EVENT(.type = SAFELINE_EVENT_ANSWER, .drop_seq = true),
		"an event without SEQ is refused");
	refused(&((struct spec){ .cmd = SAFELINE_CMD_GET_STATUS, .type = SAFELINE_EVENT_ANSWER }),
		"another command's message is refused (control: same attributes)");
	return ktap_exit(&k);
}
