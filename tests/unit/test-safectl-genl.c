// SPDX-License-Identifier: GPL-2.0
/*
 * The pieces of safectl's kernel transport that run without a kernel:
 * reading the extack message out of NLMSG_ERROR (capped and uncapped, and
 * malformed ones), and the JSON writer behind -j.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/shared/genl.h"
#include "agent/shared/json.h"
#include "tests/unit/ktap.h"

static struct ktap k;

#define REQUEST_PAYLOAD 24	/* bytes of our echoed request after its header */

struct errmsg {
	union {
		struct nlmsghdr nlh;
		uint32_t align[256];
	};
	size_t len;
};

static void put_attr(struct errmsg *m, uint16_t type, const void *data, uint16_t n)
{
	struct nlattr *a = (void *)((char *)&m->nlh + m->len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + n;
	memcpy((char *)a + NLA_HDRLEN, data, n);
	m->len += NLA_ALIGN(a->nla_len);
	m->nlh.nlmsg_len = m->len;
}

/* An NLMSG_ERROR as the kernel builds it (netlink_ack), before any TLV. */
static void build(struct errmsg *m, bool capped, bool tlvs)
{
	struct nlmsgerr *e;

	memset(m, 0, sizeof(*m));
	e = NLMSG_DATA(&m->nlh);
	m->nlh.nlmsg_type = NLMSG_ERROR;
	m->nlh.nlmsg_flags = (capped ? NLM_F_CAPPED : 0) | (tlvs ? NLM_F_ACK_TLVS : 0);
	e->error = -22;
	e->msg.nlmsg_len = NLMSG_HDRLEN + REQUEST_PAYLOAD;
	m->len = NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(*e) + (capped ? 0 : REQUEST_PAYLOAD));
	if (!capped)	/* the echo: recognisable bytes that must not be read as TLVs */
		memset((char *)(e + 1), 0x01, REQUEST_PAYLOAD);
	m->nlh.nlmsg_len = m->len;
}

static void put_msg(struct errmsg *m, const char *text)
{
	put_attr(m, NLMSGERR_ATTR_MSG, text, strlen(text) + 1);
}

static bool is(const char *got, const char *want)
{
	if (got == want || (got && want && strcmp(got, want) == 0))
		return true;
	printf("# got %s%s%s, want %s%s%s\n", got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
	       want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
	return false;
}

static void extack_checks(void)
{
	const char *text = "SAFELINE_STATUS_A_VERSION is a reply attribute";
	uint32_t offs = 20;
	struct errmsg m;

	build(&m, true, true);
	put_msg(&m, text);
	ktap_ok(&k, is(safeline_genl_extack(&m.nlh, m.len), text), "extack: capped ACK");

	build(&m, false, true);
	put_msg(&m, text);
	ktap_ok(&k, is(safeline_genl_extack(&m.nlh, m.len), text),
		    "extack: uncapped ACK skips the echoed request");

	build(&m, true, true);
	put_attr(&m, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs));
	put_msg(&m, text);
	ktap_ok(&k, is(safeline_genl_extack(&m.nlh, m.len), text),
		    "extack: message after an offset attribute");

	build(&m, true, false);
	put_msg(&m, text);
	ktap_ok(&k, is(safeline_genl_extack(&m.nlh, m.len), NULL),
		    "extack: ignored without NLM_F_ACK_TLVS");

	build(&m, true, true);
	put_attr(&m, NLMSGERR_ATTR_MSG, "no-nul", 6);
	ktap_ok(&k, is(safeline_genl_extack(&m.nlh, m.len), NULL),
		    "extack: unterminated message refused");

	build(&m, true, true);
	put_msg(&m, text);
	ktap_ok(&k, is(safeline_genl_extack(&m.nlh, m.len - 8), NULL),
		    "extack: attribute running past the message refused");

	build(&m, true, true);
	put_msg(&m, text);
	m.nlh.nlmsg_type = NLMSG_DONE;
	ktap_ok(&k, is(safeline_genl_extack(&m.nlh, m.len), NULL),
		    "extack: only read from NLMSG_ERROR");
}

static void write_object(struct json_writer *w)
{
	json_open_object(w, NULL);
	json_string(w, "version", "0.1\"\\\n\x01");
	json_uint(w, "protocol", 1);
	json_open_object(w, "empty");
	json_close_object(w);
	json_bool(w, "dahdi_auto_assign_spans", true);
	json_close_object(w);
}

/* arrays, nesting, fixed decimals, and two top-level values making two JSON lines */
static void write_arrays(struct json_writer *w)
{
	json_open_array(w, NULL);
	json_open_object(w, NULL);
	json_fixed(w, "start_s", 1.5, 3);
	json_open_array(w, "empty");
	json_close_array(w);
	json_close_object(w);
	json_uint(w, NULL, 7);
	json_close_array(w);
	json_open_object(w, NULL);
	json_bool(w, "second", false);
	json_close_object(w);
}

/* Runs write() through the writer into memory and compares the text. */
static void json_check(void (*write)(struct json_writer *w), bool pretty, const char *want,
		       const char *desc)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct json_writer w;

	json_init(&w, f, pretty);
	write(&w);
	fclose(f);
	ktap_ok(&k, is(buf, want), "%s", desc);
	free(buf);
}

int main(void)
{
	ktap_plan(&k, 11);
	extack_checks();
	json_check(write_object, false,
		   "{\"version\":\"0.1\\\"\\\\\\n\\u0001\",\"protocol\":1,\"empty\":{},"
		   "\"dahdi_auto_assign_spans\":true}\n",
		   "json: compact object, escapes quote, backslash and controls");
	json_check(write_object, true,
		   "{\n  \"version\": \"0.1\\\"\\\\\\n\\u0001\",\n  \"protocol\": 1,\n"
		   "  \"empty\": {},\n  \"dahdi_auto_assign_spans\": true\n}\n",
		   "json: pretty object");
	json_check(write_arrays, false, "[{\"start_s\":1.500,\"empty\":[]},7]\n{\"second\":false}\n",
			 "json: arrays, nesting, fixed decimals; each top-level value a line");
	json_check(write_arrays, true,
			 "[\n  {\n    \"start_s\": 1.500,\n    \"empty\": []\n  },\n  7\n]\n"
			 "{\n  \"second\": false\n}\n",
			 "json: pretty arrays, indented by depth");
	return ktap_exit(&k);
}
