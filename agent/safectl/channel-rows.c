// SPDX-License-Identifier: GPL-2.0
/*
 * The rows of `safectl channels`: GET_CHANNEL messages read into rows, and
 * the rows printed as a table or JSON. Counters newer modules add are shown
 * only when the module sent them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safectl/channel-rows.h"
#include "agent/safectl/names.h"
#include "agent/safectl/safectl.h"
#include "agent/safectl/table.h"
#include "agent/shared/json.h"
#include "agent/shared/util.h"

/* an optional u64 counter attribute and the end of its JSON key */
struct counter_attr {
	int attr;
	const char *name;
};

/* what proved each spill, as the uapi header names them; JSON keys are spills_<name> */
static const struct counter_attr spill_attrs[] = {
	{ SAFELINE_CHANNEL_A_SPILLS_FSK_SEIZURE, "fsk_seizure" },
	{ SAFELINE_CHANNEL_A_SPILLS_FSK_MESSAGE, "fsk_message" },
	{ SAFELINE_CHANNEL_A_SPILLS_FSK_JCLIP, "fsk_jclip" },
	{ SAFELINE_CHANNEL_A_SPILLS_ALERT, "alert" },
	{ SAFELINE_CHANNEL_A_SPILLS_DTMF, "dtmf" },
};

/* what verify channels decoded; JSON keys are verify_<name> */
static const struct counter_attr verify_attrs[] = {
	{ SAFELINE_CHANNEL_A_VERIFY_WITHHELD, "withheld" },
	{ SAFELINE_CHANNEL_A_VERIFY_NOT_OURS, "not_ours" },
	{ SAFELINE_CHANNEL_A_VERIFY_OURS, "ours" },
};

/* a counter the kernel may omit reads as 0 */
static uint64_t u64_or_zero(const struct nlattr *a)
{
	return a ? nla_get_u64((struct nlattr *)a) : 0;
}

static uint64_t spills_total(const struct channel_row *r)
{
	uint64_t sum = 0;
	size_t k;

	for (k = 0; k < ELEMENTSOF(r->spills); k++)
		sum += r->spills[k];
	return sum;
}

static int parse_row(struct nlattr **tb, struct channel_row *r)
{
	static const int required[] = {
		SAFELINE_CHANNEL_A_CHANNO, SAFELINE_CHANNEL_A_SPANNO, SAFELINE_CHANNEL_A_NAME,
		SAFELINE_CHANNEL_A_SIG, SAFELINE_CHANNEL_A_ROLE, SAFELINE_CHANNEL_A_LAW,
		SAFELINE_CHANNEL_A_POLICY, SAFELINE_CHANNEL_A_HOOK,
		SAFELINE_CHANNEL_A_RX_EC_CHUNKS, SAFELINE_CHANNEL_A_RX_CHUNKS,
		SAFELINE_CHANNEL_A_TX_CHUNKS,
	};
	size_t i;

	for (i = 0; i < ELEMENTSOF(required); i++)
		if (!tb[required[i]])
			return -EBADMSG;
	r->channo = nla_get_u32(tb[SAFELINE_CHANNEL_A_CHANNO]);
	r->spanno = nla_get_u32(tb[SAFELINE_CHANNEL_A_SPANNO]);
	r->sig = nla_get_u32(tb[SAFELINE_CHANNEL_A_SIG]);
	snprintf(r->name, sizeof(r->name), "%s", nla_get_string(tb[SAFELINE_CHANNEL_A_NAME]));
	r->role = nla_get_u8(tb[SAFELINE_CHANNEL_A_ROLE]);
	r->law = nla_get_u8(tb[SAFELINE_CHANNEL_A_LAW]);
	r->policy = nla_get_u8(tb[SAFELINE_CHANNEL_A_POLICY]);
	r->hook = nla_get_u8(tb[SAFELINE_CHANNEL_A_HOOK]);
	r->rx_ec = nla_get_u64(tb[SAFELINE_CHANNEL_A_RX_EC_CHUNKS]);
	r->rx = nla_get_u64(tb[SAFELINE_CHANNEL_A_RX_CHUNKS]);
	r->tx = nla_get_u64(tb[SAFELINE_CHANNEL_A_TX_CHUNKS]);
	for (i = 0; i < ELEMENTSOF(spill_attrs); i++)
		r->spills[i] = u64_or_zero(tb[spill_attrs[i].attr]);
	r->muted = u64_or_zero(tb[SAFELINE_CHANNEL_A_MUTED_CHUNKS]);
	r->has_dtmf_blocked = tb[SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED];
	r->dtmf_blocked = u64_or_zero(tb[SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED]);
	r->has_verify = false;
	for (i = 0; i < ELEMENTSOF(verify_attrs); i++) {
		r->has_verify |= tb[verify_attrs[i].attr] != NULL;
		r->verify[i] = u64_or_zero(tb[verify_attrs[i].attr]);
	}
	return 0;
}

int channel_rows_parse(struct nl_msg *msg, void *arg)
{
	static struct nla_policy policy[SAFELINE_CHANNEL_A_MAX + 1] = {
		[SAFELINE_CHANNEL_A_CHANNO] = { .type = NLA_U32 },
		[SAFELINE_CHANNEL_A_SPANNO] = { .type = NLA_U32 },
		[SAFELINE_CHANNEL_A_NAME] = { .type = NLA_STRING },
		[SAFELINE_CHANNEL_A_SIG] = { .type = NLA_U32 },
		[SAFELINE_CHANNEL_A_ROLE] = { .type = NLA_U8 },
		[SAFELINE_CHANNEL_A_LAW] = { .type = NLA_U8 },
		[SAFELINE_CHANNEL_A_POLICY] = { .type = NLA_U8 },
		[SAFELINE_CHANNEL_A_HOOK] = { .type = NLA_U8 },
		[SAFELINE_CHANNEL_A_RX_EC_CHUNKS] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_RX_CHUNKS] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_TX_CHUNKS] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_SPILLS_FSK_SEIZURE] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_SPILLS_FSK_MESSAGE] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_SPILLS_FSK_JCLIP] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_SPILLS_ALERT] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_SPILLS_DTMF] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_MUTED_CHUNKS] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_VERIFY_WITHHELD] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_VERIFY_NOT_OURS] = { .type = NLA_U64 },
		[SAFELINE_CHANNEL_A_VERIFY_OURS] = { .type = NLA_U64 },
	};
	struct nlattr *tb[SAFELINE_CHANNEL_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct channel_rows *rep = arg;
	struct channel_row *rows;

	if (gh->cmd != SAFELINE_CMD_GET_CHANNEL ||
	    genlmsg_parse(nlh, 0, tb, SAFELINE_CHANNEL_A_MAX, policy) < 0)
		return -EBADMSG;
	if (rep->n == rep->cap) {
		rep->cap = rep->cap ? 2 * rep->cap : 64;
		rows = realloc(rep->rows, rep->cap * sizeof(*rows));
		if (!rows)
			return -ENOMEM;
		rep->rows = rows;
	}
	if (parse_row(tb, &rep->rows[rep->n]) < 0)
		return -EBADMSG;
	rep->n++;
	return 0;
}

void channel_rows_print_json(const struct channel_rows *rep)
{
	struct json_writer w;
	size_t i, k;

	json_init(&w, stdout, safectl_pretty);
	json_open_array(&w, NULL);
	for (i = 0; i < rep->n; i++) {
		const struct channel_row *r = &rep->rows[i];
		char key[32];

		json_open_object(&w, NULL);
		json_uint(&w, "channel", r->channo);
		json_uint(&w, "span", r->spanno);
		json_string(&w, "name", r->name);
		json_uint(&w, "sig", r->sig);
		json_string(&w, "role", name_role(r->role));
		json_string(&w, "law", name_law(r->law));
		json_string(&w, "policy", name_policy(r->policy));
		json_string(&w, "hook", name_hook(r->hook));
		json_uint(&w, "rx_ec_chunks", r->rx_ec);
		json_uint(&w, "rx_chunks", r->rx);
		json_uint(&w, "tx_chunks", r->tx);
		for (k = 0; k < ELEMENTSOF(spill_attrs); k++) {
			snprintf(key, sizeof(key), "spills_%s", spill_attrs[k].name);
			json_uint(&w, key, r->spills[k]);
		}
		json_uint(&w, "muted_chunks", r->muted);
		if (r->has_dtmf_blocked)
			json_uint(&w, "dtmf_events_blocked", r->dtmf_blocked);
		for (k = 0; r->has_verify && k < ELEMENTSOF(verify_attrs); k++) {
			snprintf(key, sizeof(key), "verify_%s", verify_attrs[k].name);
			json_uint(&w, key, r->verify[k]);
		}
		json_close_object(&w);
	}
	json_close_array(&w);
}

/* the table's numbers align right: CHAN, SPAN, and RX_EC onwards */
#define COLUMNS_RIGHT (3u | ~0u << 7)

void channel_rows_print_table(const struct channel_rows *rep)
{
	const char *heads[14] = {
		"CHAN", "SPAN", "NAME", "ROLE", "LAW", "POLICY", "HOOK", "RX_EC", "RX", "TX",
		"SPILLS", "MUTED",
	};
	bool dtmf = false, verify = false;
	size_t i, cols = 12;
	struct table t;

	for (i = 0; i < rep->n; i++) {
		dtmf |= rep->rows[i].has_dtmf_blocked;
		verify |= rep->rows[i].has_verify;
	}
	if (dtmf)
		heads[cols++] = "DTMF_BLOCKED";
	if (verify)
		heads[cols++] = "VERIFY(W/N/O)";
	table_init(&t, heads, cols, COLUMNS_RIGHT);
	for (i = 0; i < rep->n; i++) {
		const struct channel_row *r = &rep->rows[i];

		table_cell(&t, "%" PRIu32, r->channo);
		table_cell(&t, "%" PRIu32, r->spanno);
		table_cell(&t, "%s", r->name);
		table_cell(&t, "%s", name_role(r->role));
		table_cell(&t, "%s", name_law(r->law));
		table_cell(&t, "%s", name_policy(r->policy));
		table_cell(&t, "%s", name_hook(r->hook));
		table_cell(&t, "%" PRIu64, r->rx_ec);
		table_cell(&t, "%" PRIu64, r->rx);
		table_cell(&t, "%" PRIu64, r->tx);
		table_cell(&t, "%" PRIu64, spills_total(r));
		table_cell(&t, "%" PRIu64, r->muted);
		if (dtmf)
			table_cell(&t, "%" PRIu64, r->dtmf_blocked);
		if (verify)
			table_cell(&t, "%" PRIu64 "/%" PRIu64 "/%" PRIu64, r->verify[0],
				   r->verify[1], r->verify[2]);
	}
	if (table_print(&t) < 0)
		fprintf(stderr, "safectl: channels: out of memory\n");
	fflush(stdout);
}
