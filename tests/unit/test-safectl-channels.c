// SPDX-License-Identifier: GPL-2.0
/*
 * `safectl channels` without a kernel: GET_CHANNEL messages built by hand as
 * the uapi header describes them, from a module that sends the newer counters
 * (DTMF_EVENTS_BLOCKED, VERIFY_*) and from one that does not. The table and
 * the JSON must show those counters exactly when the module sent them, and a
 * message missing a required attribute must be refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safectl/channel-rows.h"
#include "tests/unit/ktap.h"

/* safectl.c's globals, which the printers read */
bool safectl_json, safectl_pretty;

static struct ktap k;

static struct nl_msg *channel(uint32_t channo, const char *name, bool newer)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 0x1d, 0, 0, SAFELINE_CMD_GET_CHANNEL, SAFELINE_GENL_VERSION);
	nla_put_u32(m, SAFELINE_CHANNEL_A_CHANNO, channo);
	nla_put_u32(m, SAFELINE_CHANNEL_A_SPANNO, 3);
	nla_put_string(m, SAFELINE_CHANNEL_A_NAME, name);
	nla_put_u32(m, SAFELINE_CHANNEL_A_SIG, 0);
	nla_put_u8(m, SAFELINE_CHANNEL_A_ROLE, SAFELINE_ROLE_FXO_PORT);
	nla_put_u8(m, SAFELINE_CHANNEL_A_LAW, SAFELINE_LAW_ALAW);
	nla_put_u8(m, SAFELINE_CHANNEL_A_POLICY, SAFELINE_POLICY_VERIFY);
	nla_put_u8(m, SAFELINE_CHANNEL_A_HOOK, SAFELINE_HOOK_ON);
	nla_put_u64(m, SAFELINE_CHANNEL_A_RX_EC_CHUNKS, 1000);
	nla_put_u64(m, SAFELINE_CHANNEL_A_RX_CHUNKS, 5);
	nla_put_u64(m, SAFELINE_CHANNEL_A_TX_CHUNKS, 1005);
	nla_put_u64(m, SAFELINE_CHANNEL_A_SPILLS_FSK_MESSAGE, 2);
	nla_put_u64(m, SAFELINE_CHANNEL_A_SPILLS_DTMF, 1);
	nla_put_u64(m, SAFELINE_CHANNEL_A_MUTED_CHUNKS, 777);
	if (newer) {
		nla_put_u64(m, SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED, 9);
		nla_put_u64(m, SAFELINE_CHANNEL_A_VERIFY_WITHHELD, 4);
		nla_put_u64(m, SAFELINE_CHANNEL_A_VERIFY_NOT_OURS, 0);
		nla_put_u64(m, SAFELINE_CHANNEL_A_VERIFY_OURS, 1);
	}
	return m;
}

static int feed(struct channel_rows *rows, struct nl_msg *m)
{
	int r = channel_rows_parse(m, rows);

	nlmsg_free(m);
	return r;
}

/* what print() wrote on stdout */
static char *capture(void (*print)(const struct channel_rows *), const struct channel_rows *rows)
{
	int fd = memfd_create("stdout", 0), saved = dup(STDOUT_FILENO);
	static char buf[4096];
	ssize_t n;

	fflush(stdout);
	dup2(fd, STDOUT_FILENO);
	print(rows);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static bool same(const char *got, const char *want)
{
	if (!strcmp(got, want))
		return true;
	printf("# got:\n%s# want:\n%s", got, want);
	return false;
}

static void older_module(void)
{
	struct channel_rows rows = {};
	int r = feed(&rows, channel(25, "DYN/loc/1:1/1", false));

	r |= feed(&rows, channel(126, "WCTDM/4/1", false));
	ktap_ok(&k, r == 0 && rows.n == 2, "an older module's messages parse (2 rows)");
	ktap_ok(&k, same(capture(channel_rows_print_table, &rows),
			 "CHAN SPAN NAME          ROLE     LAW  POLICY HOOK RX_EC RX   TX SPILLS MUTED\n"
			 "  25    3 DYN/loc/1:1/1 fxo_port alaw verify on    1000  5 1005      3   777\n"
			 " 126    3 WCTDM/4/1     fxo_port alaw verify on    1000  5 1005      3   777\n"),
		"older module: the table has no DTMF or verify column; aligned, numbers right");
	ktap_ok(&k, same(capture(channel_rows_print_json, &rows),
			 "[{\"channel\":25,\"span\":3,\"name\":\"DYN/loc/1:1/1\",\"sig\":0,"
			 "\"role\":\"fxo_port\",\"law\":\"alaw\",\"policy\":\"verify\",\"hook\":\"on\","
			 "\"rx_ec_chunks\":1000,\"rx_chunks\":5,\"tx_chunks\":1005,"
			 "\"spills_fsk_seizure\":0,\"spills_fsk_message\":2,\"spills_fsk_jclip\":0,"
			 "\"spills_alert\":0,\"spills_dtmf\":1,\"muted_chunks\":777},"
			 "{\"channel\":126,\"span\":3,\"name\":\"WCTDM/4/1\",\"sig\":0,"
			 "\"role\":\"fxo_port\",\"law\":\"alaw\",\"policy\":\"verify\",\"hook\":\"on\","
			 "\"rx_ec_chunks\":1000,\"rx_chunks\":5,\"tx_chunks\":1005,"
			 "\"spills_fsk_seizure\":0,\"spills_fsk_message\":2,\"spills_fsk_jclip\":0,"
			 "\"spills_alert\":0,\"spills_dtmf\":1,\"muted_chunks\":777}]\n"),
		"older module: no dtmf_events_blocked or verify_* keys in the JSON");
	free(rows.rows);
}

static void newer_module(void)
{
	struct channel_rows rows = {};
	const char *json;
	int r = feed(&rows, channel(25, "DYN/loc/1:1/1", true));

	ktap_ok(&k, r == 0 && rows.n == 1, "a newer module's message parses");
	ktap_ok(&k, same(capture(channel_rows_print_table, &rows),
			 "CHAN SPAN NAME          ROLE     LAW  POLICY HOOK RX_EC RX   TX SPILLS MUTED"
			 " DTMF_BLOCKED VERIFY(W/N/O)\n"
			 "  25    3 DYN/loc/1:1/1 fxo_port alaw verify on    1000  5 1005      3   777"
			 "            9         4/0/1\n"),
		"newer module: DTMF_BLOCKED and VERIFY(W/N/O) columns");
	json = capture(channel_rows_print_json, &rows);
	ktap_ok(&k, strstr(json, "\"muted_chunks\":777,\"dtmf_events_blocked\":9,"
			   "\"verify_withheld\":4,\"verify_not_ours\":0,\"verify_ours\":1}]\n") != NULL,
		"newer module: the JSON has dtmf_events_blocked and verify_*");
	free(rows.rows);
}

static void malformed(void)
{
	struct channel_rows rows = {};
	struct nl_msg *m = channel(25, "DYN/loc/1:1/1", true);
	struct nl_msg *bad = nlmsg_alloc();

	/* the same message without TX_CHUNKS, which every channel carries */
	genlmsg_put(bad, 0, 0, 0x1d, 0, 0, SAFELINE_CMD_GET_CHANNEL, SAFELINE_GENL_VERSION);
	nla_put_u32(bad, SAFELINE_CHANNEL_A_CHANNO, 25);
	nla_put_u32(bad, SAFELINE_CHANNEL_A_SPANNO, 3);
	nla_put_string(bad, SAFELINE_CHANNEL_A_NAME, "x");
	ktap_ok(&k, feed(&rows, bad) < 0 && rows.n == 0 && feed(&rows, m) == 0 && rows.n == 1,
		"a message missing required attributes is refused (control: a whole one is not)");
	free(rows.rows);
}

int main(void)
{
	ktap_plan(&k, 7);
	older_module();
	newer_module();
	malformed();
	return ktap_exit(&k);
}
