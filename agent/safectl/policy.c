// SPDX-License-Identifier: GPL-2.0
/*
 * safectl policy show|set: what safeline.ko does to each analog channel's
 * caller ID, and changing it (SAFELINE_CMD_SET_POLICY, needs CAP_NET_ADMIN).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safectl/names.h"
#include "agent/safectl/safectl.h"
#include "agent/safectl/table.h"
#include "agent/shared/genl.h"
#include "agent/shared/json.h"
#include "agent/shared/util.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] policy [show]\n"
	"       safectl [-j|--json] policy set CHAN|FIRST-LAST|default POLICY\n"
	"Show or set what safeline.ko does to analog channels' caller ID:\n"
	"  pass      nothing\n"
	"  detect    count spills, never mute\n"
	"  suppress  mute detected spills (the fail-closed default)\n"
	"  strict    suppress, and mute all FXO receive audio while on-hook\n"
	"  verify    suppress, and check the spill against the agency's own numbers\n"
	"A range sets every live analog channel in it; 'default' sets what channels\n"
	"get when first seen. Setting needs CAP_NET_ADMIN; it applies at once.\n";

DEFINE_CLEANUP_FUNC(struct nl_msg, nlmsg_free)

/* room for the largest attribute space parsed here */
#define TB_SIZE (SAFELINE_CHANNEL_A_MAX + 1)
_Static_assert(SAFELINE_STATUS_A_MAX < TB_SIZE && SAFELINE_POLICY_A_MAX < TB_SIZE,
	       "TB_SIZE too small");

struct row {
	uint32_t channo;
	char name[40];
	uint8_t role, policy;
};

/* one request in flight and what came back */
struct exchange {
	struct safeline_genl *g;
	uint8_t cmd;
	int (*parse)(struct exchange *x, struct nlattr **tb);
	struct nla_policy *policy;
	int maxattr;
	/* results */
	uint8_t default_policy;
	uint32_t count;
	struct row *rows;
	size_t n, cap;
};

/* safeline_genl_transact()'s parser: x->cmd's replies, parsed by x->parse */
static int parse_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[TB_SIZE];
	struct exchange *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);

	if (gh->cmd != x->cmd || genlmsg_parse(nlh, 0, tb, x->maxattr, x->policy) < 0)
		return -EBADMSG;
	return x->parse(x, tb);
}

static int exchange(struct exchange *x, struct nl_msg *msg)
{
	return safeline_genl_transact(x->g, msg, parse_reply, x);
}

static int parse_status(struct exchange *x, struct nlattr **tb)
{
	if (!tb[SAFELINE_STATUS_A_DEFAULT_POLICY])
		return -EPROTO;	/* a module older than SET_POLICY */
	x->default_policy = nla_get_u8(tb[SAFELINE_STATUS_A_DEFAULT_POLICY]);
	return 0;
}

static int parse_channel(struct exchange *x, struct nlattr **tb)
{
	struct row *r;

	if (!tb[SAFELINE_CHANNEL_A_CHANNO] || !tb[SAFELINE_CHANNEL_A_NAME] ||
	    !tb[SAFELINE_CHANNEL_A_ROLE] || !tb[SAFELINE_CHANNEL_A_POLICY])
		return -EBADMSG;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		r = realloc(x->rows, x->cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		x->rows = r;
	}
	r = &x->rows[x->n++];
	r->channo = nla_get_u32(tb[SAFELINE_CHANNEL_A_CHANNO]);
	snprintf(r->name, sizeof(r->name), "%s", nla_get_string(tb[SAFELINE_CHANNEL_A_NAME]));
	r->role = nla_get_u8(tb[SAFELINE_CHANNEL_A_ROLE]);
	r->policy = nla_get_u8(tb[SAFELINE_CHANNEL_A_POLICY]);
	return 0;
}

static int parse_count(struct exchange *x, struct nlattr **tb)
{
	if (!tb[SAFELINE_POLICY_A_COUNT])
		return -EBADMSG;
	x->count = nla_get_u32(tb[SAFELINE_POLICY_A_COUNT]);
	return 0;
}

static struct nla_policy status_attrs[SAFELINE_STATUS_A_MAX + 1] = {
	[SAFELINE_STATUS_A_DEFAULT_POLICY] = { .type = NLA_U8 },
};
static struct nla_policy channel_attrs[SAFELINE_CHANNEL_A_MAX + 1] = {
	[SAFELINE_CHANNEL_A_CHANNO] = { .type = NLA_U32 },
	[SAFELINE_CHANNEL_A_NAME] = { .type = NLA_STRING },
	[SAFELINE_CHANNEL_A_ROLE] = { .type = NLA_U8 },
	[SAFELINE_CHANNEL_A_POLICY] = { .type = NLA_U8 },
};
static struct nla_policy policy_attrs[SAFELINE_POLICY_A_MAX + 1] = {
	[SAFELINE_POLICY_A_COUNT] = { .type = NLA_U32 },
};

static void print_show(const struct exchange *x)
{
	static const char *const heads[] = { "CHAN", "NAME", "ROLE", "POLICY" };
	struct json_writer w;
	struct table t;
	size_t i;

	if (!safectl_json) {
		printf("default: %s\n", name_policy(x->default_policy));
		table_init(&t, heads, ELEMENTSOF(heads), 1u);
		for (i = 0; i < x->n; i++) {
			table_cell(&t, "%" PRIu32, x->rows[i].channo);
			table_cell(&t, "%s", x->rows[i].name);
			table_cell(&t, "%s", name_role(x->rows[i].role));
			table_cell(&t, "%s", name_policy(x->rows[i].policy));
		}
		if (table_print(&t) < 0)
			fprintf(stderr, "safectl: policy: out of memory\n");
		return;
	}
	json_init(&w, stdout, safectl_pretty);
	json_open_object(&w, NULL);
	json_string(&w, "default", name_policy(x->default_policy));
	json_open_array(&w, "channels");
	for (i = 0; i < x->n; i++) {
		json_open_object(&w, NULL);
		json_uint(&w, "channel", x->rows[i].channo);
		json_string(&w, "name", x->rows[i].name);
		json_string(&w, "role", name_role(x->rows[i].role));
		json_string(&w, "policy", name_policy(x->rows[i].policy));
		json_close_object(&w);
	}
	json_close_array(&w);
	json_close_object(&w);
}

static int show(void)
{
	struct exchange st = { .cmd = SAFELINE_CMD_GET_STATUS, .parse = parse_status,
			       .policy = status_attrs, .maxattr = SAFELINE_STATUS_A_MAX };
	struct exchange ch = { .cmd = SAFELINE_CMD_GET_CHANNEL, .parse = parse_channel,
			       .policy = channel_attrs, .maxattr = SAFELINE_CHANNEL_A_MAX };
	_cleanup_(nlmsg_freep) struct nl_msg *m1 = NULL;
	_cleanup_(nlmsg_freep) struct nl_msg *m2 = NULL;
	struct safeline_genl g;
	int r, ret;

	ret = safectl_open_family(&g, "policy");
	if (ret)
		return ret;
	st.g = ch.g = &g;
	m1 = safeline_genl_new_request(&g, SAFELINE_CMD_GET_STATUS, NLM_F_ACK);
	m2 = safeline_genl_new_request(&g, SAFELINE_CMD_GET_CHANNEL, NLM_F_DUMP);
	r = m1 && m2 ? exchange(&st, m1) : -ENOMEM;
	if (!r)
		r = exchange(&ch, m2);
	if (r == -EPROTO)
		ret = safectl_fail("policy", NULL, "the loaded module does not report policies");
	else if (r < 0)
		ret = safectl_fail("policy", g.extack, "reading policies: %s", strerror(-r));
	else {
		ch.default_policy = st.default_policy;
		print_show(&ch);
	}
	free(ch.rows);
	safeline_genl_close(&g);
	return ret;
}

static void print_set_json(const char *name, bool is_default, uint32_t count)
{
	struct json_writer w;

	json_init(&w, stdout, safectl_pretty);
	json_open_object(&w, NULL);
	json_string(&w, "policy", name);
	json_bool(&w, "default", is_default);
	json_uint(&w, "channels", count);
	json_close_object(&w);
}

static int set(const char *target, const char *name)
{
	struct exchange x = { .cmd = SAFELINE_CMD_SET_POLICY, .parse = parse_count,
			      .policy = policy_attrs, .maxattr = SAFELINE_POLICY_A_MAX };
	_cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
	uint32_t first = 0, last = 0;
	int policy = policy_from_name(name), r, ret;
	struct safeline_genl g;
	char object[64];
	bool is_default;

	if (!safectl_parse_target(target, "default", &is_default, &first, &last))
		return safectl_usage_error("policy", usage, "'%s' is no channel, range "
					   "FIRST-LAST or 'default'", target);
	if (policy < 0)
		return safectl_usage_error("policy", usage, "'%s' is no policy", name);
	snprintf(object, sizeof(object), "policy set %s", target);
	ret = safectl_open_family(&g, object);
	if (ret)
		return ret;
	x.g = &g;
	msg = safeline_genl_new_request(&g, SAFELINE_CMD_SET_POLICY, NLM_F_ACK);
	if (!msg || nla_put_u8(msg, SAFELINE_POLICY_A_POLICY, (uint8_t)policy) < 0 ||
	    (is_default ? nla_put_flag(msg, SAFELINE_POLICY_A_DEFAULT) :
	     nla_put_u32(msg, SAFELINE_POLICY_A_CHANNO, first)) < 0 ||
	    (last != first && nla_put_u32(msg, SAFELINE_POLICY_A_CHANNO_LAST, last) < 0))
		r = -ENOMEM;
	else
		r = exchange(&x, msg);
	if (r < 0)
		ret = safectl_write_failed(object, &g, r);
	else if (safectl_json)
		print_set_json(name, is_default, x.count);
	else if (is_default)
		printf("default: %s\n", name);
	else
		printf("%s on %" PRIu32 " channel%s\n", name, x.count, x.count == 1 ? "" : "s");
	safeline_genl_close(&g);
	return ret;
}

int cmd_policy(int argc, char *argv[])
{
	int first, ret;

	first = safectl_parse_common(argc, argv, usage, &ret);
	if (first < 0)
		return ret;
	if (first == argc || streq(argv[first], "show")) {
		if (argc - first > 1)
			return safectl_usage_error("policy", usage, "unexpected argument '%s'",
						   argv[argc - 1]);
		return show();
	}
	if (!streq(argv[first], "set"))
		return safectl_usage_error("policy", usage, "unknown action '%s'", argv[first]);
	if (argc - first != 3)
		return safectl_usage_error("policy", usage,
					   "set wants a channel, range or 'default', and a policy");
	return set(argv[first + 1], argv[first + 2]);
}
