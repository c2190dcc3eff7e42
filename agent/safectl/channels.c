// SPDX-License-Identifier: GPL-2.0
/*
 * safectl channels [CHAN|all]: the DAHDI channels safeline.ko is interposed
 * on, as a table or JSON, straight from the kernel (SAFELINE_CMD_GET_CHANNEL).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safectl/safectl.h"
#include "agent/shared/genl.h"
#include "agent/shared/json.h"
#include "agent/shared/util.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] channels [CHAN|all]\n"
	"Show the DAHDI channels safeline.ko sees: span, name, role, law, policy,\n"
	"hook state, the chunks it took from each tap, the caller-ID spills it found\n"
	"and the chunks it muted. Without CHAN, all of them.\n";

struct row {
	uint32_t channo, spanno, sig;
	char name[40];
	uint8_t role, law, policy, hook;
	uint64_t rx_ec, rx, tx;
	uint64_t spills[5];	/* by kind, in spill_attrs order */
	uint64_t muted;
};

/* what proved each spill, as the uapi header names them; JSON keys are spills_<name> */
static const struct {
	int attr;
	const char *name;
} spill_attrs[] = {
	{ SAFELINE_CHANNEL_A_SPILLS_FSK_SEIZURE, "fsk_seizure" },
	{ SAFELINE_CHANNEL_A_SPILLS_FSK_MESSAGE, "fsk_message" },
	{ SAFELINE_CHANNEL_A_SPILLS_FSK_JCLIP, "fsk_jclip" },
	{ SAFELINE_CHANNEL_A_SPILLS_ALERT, "alert" },
	{ SAFELINE_CHANNEL_A_SPILLS_DTMF, "dtmf" },
};

/* a counter the kernel may omit reads as 0 */
static uint64_t u64_or_zero(const struct nlattr *a)
{
	return a ? nla_get_u64((struct nlattr *)a) : 0;
}

static uint64_t spills_total(const struct row *r)
{
	uint64_t sum = 0;
	size_t k;

	for (k = 0; k < ELEMENTSOF(r->spills); k++)
		sum += r->spills[k];
	return sum;
}

/* the rows a request brought back */
struct reply {
	struct row *rows;
	size_t n, cap;
};

DEFINE_CLEANUP_FUNC(struct nl_msg, nlmsg_free)

static const char *const roles[] = { "none", "fxo_port", "fxs_port" };
static const char *const laws[] = { "unknown", "ulaw", "alaw" };
static const char *const policies[] = { "pass", "detect", "suppress", "strict", "verify" };
static const char *const hooks[] = { "unknown", "on", "off" };

#define NAME_OF(table, v) ((v) < ELEMENTSOF(table) ? (table)[v] : "?")

static int parse_row(struct nlattr **tb, struct row *r)
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
	return 0;
}

/* safeline_genl_transact()'s parser: one channel message into a new row */
static int parse_channel(struct nl_msg *msg, void *arg)
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
	};
	struct nlattr *tb[SAFELINE_CHANNEL_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct reply *rep = arg;
	struct row *rows;

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

/* A dump (channo < 0) or one channel; rows in rep. */
static int request_channels(struct safeline_genl *g, long channo, struct reply *rep)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg = safeline_genl_new_request(g,
		SAFELINE_CMD_GET_CHANNEL, channo < 0 ? NLM_F_DUMP : NLM_F_ACK);

	if (!msg)
		return -ENOMEM;
	if (channo >= 0 && nla_put_u32(msg, SAFELINE_CHANNEL_A_CHANNO, (uint32_t)channo) < 0)
		return -EMSGSIZE;
	return safeline_genl_transact(g, msg, parse_channel, rep);
}

static void print_json(const struct row *rows, size_t n)
{
	const char *nl = safectl_pretty ? "\n  " : "";
	size_t i, k;

	putchar('[');
	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		printf("%s%s{\"channel\":%" PRIu32 ",\"span\":%" PRIu32 ",\"name\":",
		       i ? "," : "", nl, r->channo, r->spanno);
		json_quote(stdout, r->name);
		printf(",\"sig\":%" PRIu32 ",\"role\":\"%s\",\"law\":\"%s\",\"policy\":\"%s\","
		       "\"hook\":\"%s\",\"rx_ec_chunks\":%" PRIu64 ",\"rx_chunks\":%" PRIu64
		       ",\"tx_chunks\":%" PRIu64,
		       r->sig, NAME_OF(roles, r->role), NAME_OF(laws, r->law),
		       NAME_OF(policies, r->policy), NAME_OF(hooks, r->hook), r->rx_ec, r->rx,
		       r->tx);
		printf(",");
		for (k = 0; k < ELEMENTSOF(spill_attrs); k++)
			printf("\"spills_%s\":%" PRIu64 ",", spill_attrs[k].name, r->spills[k]);
		printf("\"muted_chunks\":%" PRIu64 "}", r->muted);
	}
	printf("%s]\n", n && safectl_pretty ? "\n" : "");
}

static void print_table(const struct row *rows, size_t n)
{
	size_t i;

	printf("%-5s %-4s %-16s %-8s %-4s %-8s %-7s %12s %12s %12s %6s %10s\n", "CHAN", "SPAN",
	       "NAME", "ROLE", "LAW", "POLICY", "HOOK", "RX_EC", "RX", "TX", "SPILLS", "MUTED");
	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		printf("%-5" PRIu32 " %-4" PRIu32 " %-16s %-8s %-4s %-8s %-7s %12" PRIu64
		       " %12" PRIu64 " %12" PRIu64 " %6" PRIu64 " %10" PRIu64 "\n", r->channo,
		       r->spanno, r->name, NAME_OF(roles, r->role), NAME_OF(laws, r->law),
		       NAME_OF(policies, r->policy), NAME_OF(hooks, r->hook), r->rx_ec, r->rx,
		       r->tx, spills_total(r), r->muted);
	}
	fflush(stdout);
}

static int fetch(long channo, struct reply *rep, const char *object)
{
	struct safeline_genl g;
	int r, ret = SAFECTL_EXIT_OK;

	r = safectl_open_family(&g, object);
	if (r)
		return r;
	r = request_channels(&g, channo, rep);
	if (r == -ENODEV)
		ret = safectl_fail(object, g.extack, "No such channel");
	else if (r < 0)
		ret = safectl_fail(object, g.extack, "reading channels: %s", strerror(-r));
	safeline_genl_close(&g);
	return ret;
}

int cmd_channels(int argc, char *argv[])
{
	struct reply rep = {};
	char object[64];
	long channo = -1;
	int first, ret;
	char *end;

	first = safectl_parse_common(argc, argv, usage, &ret);
	if (first < 0)
		return ret;
	if (argc - first > 1)
		return safectl_usage_error("channels", usage, "unexpected argument '%s'",
					   argv[first + 1]);
	if (first < argc && !streq(argv[first], "all")) {
		errno = 0;
		channo = strtol(argv[first], &end, 10);
		if (errno || end == argv[first] || *end || channo < 0 || channo > UINT32_MAX)
			return safectl_usage_error("channels", usage,
						   "'%s' is not a channel number", argv[first]);
	}
	snprintf(object, sizeof(object), "channels%s%s", first < argc ? " " : "",
		 first < argc ? argv[first] : "");
	ret = fetch(channo, &rep, object);
	if (ret == SAFECTL_EXIT_OK) {
		if (safectl_json)
			print_json(rep.rows, rep.n);
		else
			print_table(rep.rows, rep.n);
	}
	free(rep.rows);
	return ret;
}
