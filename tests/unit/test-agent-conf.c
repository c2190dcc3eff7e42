// SPDX-License-Identifier: GPL-2.0
/*
 * safelined's config: a full good file parses into the values it says, and
 * each kind of mistake is refused with the file and the line of the mistake,
 * leaving the previous config untouched. The control for every bad case is
 * the same file with the mistake fixed, which must load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/safeline.h>

#include "agent/safelined/conf.h"
#include "tests/unit/conf-file.h"
#include "tests/unit/ktap.h"

static struct ktap k;
static struct conf_file cf;

static const char good[] =
	"# a complete config\n"
	"policy = {\n"
	"  default = \"detect\";\n"
	"  channels = (\n"
	"    { channels = \"1-8\"; policy = \"strict\"; role = \"fxo_port\"; },\n"
	"    { channels = 5; policy = \"pass\"; }\n"
	"  );\n"
	"};\n"
	"store = { path = \"/dev/shm/x\"; resolution = \"hour\"; refuse_unencrypted_swap = true; };\n"
	"retention = { aggregates = \"90d\"; };\n"
	"wipe = { at = [ \"03:00\", \"15:30\" ]; max_age = \"12h\"; on_stop = true; };\n"
	"access = { admin = \"root\"; view = 4242; };\n"
	"control = { socket = \"/dev/shm/x.sock\"; };\n";

static void good_file(void)
{
	struct safeline_conf c;
	char err[512] = "";
	int r;

	conf_file_write(&cf, good);
	r = conf_load(cf.path, &c, err, sizeof(err));
	if (r < 0)
		printf("# %s\n", err);
	ktap_ok(&k, r == 0, "a complete config loads");
	ktap_ok(&k, r == 0 && c.default_policy == SAFELINE_POLICY_DETECT && c.n_rules == 2 &&
		c.rules[0].first == 1 && c.rules[0].last == 8 &&
		c.rules[0].role == CONF_ROLE_FXO_PORT && c.rules[1].first == 5,
		"policy default, range and single channel rules as written");
	ktap_ok(&k, conf_policy_for(&c, 5) == SAFELINE_POLICY_PASS &&
		conf_policy_for(&c, 4) == SAFELINE_POLICY_STRICT &&
		conf_policy_for(&c, 9) == SAFELINE_POLICY_DETECT,
		"later rules win; channels outside every rule get the default");
	ktap_ok(&k, c.resolution == CONF_RESOLUTION_HOUR && c.refuse_unencrypted_swap &&
		strcmp(c.store_path, "/dev/shm/x") == 0 &&
		strcmp(c.socket_path, "/dev/shm/x.sock") == 0,
		"store path, resolution, swap policy and socket as written");
	ktap_ok(&k, c.n_wipe_times == 2 && c.wipe_minutes[0] == 180 &&
		c.wipe_minutes[1] == 930 && c.max_age_s == 12 * 3600 && c.wipe_on_stop &&
		c.aggregate_days == 90, "wipe times, max age, on-stop and retention as written");
	ktap_ok(&k, c.admin.set && c.admin.gid == 0 && c.view.set && c.view.gid == 4242,
		"access groups by name and by number");

	conf_file_write(&cf, "");
	r = conf_load(cf.path, &c, err, sizeof(err));
	ktap_ok(&k, r == 0 && c.default_policy == SAFELINE_POLICY_SUPPRESS && c.n_rules == 0 &&
		!c.admin.set && c.resolution == CONF_RESOLUTION_MINUTE,
		"an empty file means the defaults (suppress, minute, root only)");
}

struct bad_case {
	const char *desc;
	const char *text;	/* the mistake is on line `line` */
	int line;
	const char *fixed;	/* the same file without the mistake */
};

static const struct bad_case bad[] = {
	{ "syntax error", "store = {\n  path = = \"/run/x\";\n};\n", 2,
	  "store = {\n  path = \"/run/x\";\n};\n" },
	{ "unknown top-level setting", "\n\nstroe = { };\n", 3, "\n\nstore = { };\n" },
	{ "unknown policy name", "policy = {\n default = \"supress\";\n};\n", 2,
	  "policy = {\n default = \"suppress\";\n};\n" },
	{ "reversed channel range",
	  "policy = { channels = (\n { channels = \"9-3\"; policy = \"pass\"; }\n); };\n", 2,
	  "policy = { channels = (\n { channels = \"3-9\"; policy = \"pass\"; }\n); };\n" },
	{ "channel zero", "policy = { channels = (\n { channels = 0; policy = \"pass\"; }\n); };\n",
	  2, "policy = { channels = (\n { channels = 1; policy = \"pass\"; }\n); };\n" },
	{ "rule without a policy",
	  "policy = { channels = (\n\n { channels = 2; }\n); };\n", 3,
	  "policy = { channels = (\n\n { channels = 2; policy = \"strict\"; }\n); };\n" },
	{ "unknown role",
	  "policy = { channels = (\n { channels = 2; policy = \"pass\"; role = \"fxs\"; }\n); };\n", 2,
	  "policy = { channels = (\n { channels = 2; policy = \"pass\"; role = \"fxs_port\"; }\n); };\n" },
	{ "bad resolution", "store = {\n\n  resolution = \"second\";\n};\n", 3,
	  "store = {\n\n  resolution = \"minute\";\n};\n" },
	{ "relative store path", "store = { path = \"run/x\"; };\n", 1,
	  "store = { path = \"/run/x\"; };\n" },
	{ "bad time of day", "wipe = {\n at = [ \"03:00\",\n \"24:10\" ];\n};\n", 3,
	  "wipe = {\n at = [ \"03:00\",\n \"23:10\" ];\n};\n" },
	{ "bad max age", "wipe = {\n max_age = \"12 hours\";\n};\n", 2,
	  "wipe = {\n max_age = \"12h\";\n};\n" },
	{ "misspelt on_stop", "wipe = {\n\n\n onstop = true;\n};\n", 4,
	  "wipe = {\n\n\n on_stop = true;\n};\n" },
	{ "on_stop not a boolean", "wipe = { on_stop = \"yes\"; };\n", 1,
	  "wipe = { on_stop = true; };\n" },
	{ "partial-day aggregate retention", "retention = {\n aggregates = \"36h\";\n};\n", 2,
	  "retention = {\n aggregates = \"2d\";\n};\n" },
	{ "unknown group", "access = {\n view = \"no-such-group-safeline\";\n};\n", 2,
	  "access = {\n view = \"root\";\n};\n" },
};

static void bad_files(void)
{
	struct safeline_conf c;
	char err[512];
	size_t i;
	int r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ktap_ok(&k, conf_file_refused(&cf, bad[i].text, bad[i].line, err, sizeof(err)),
			"%s: refused at file:%d, config untouched", bad[i].desc, bad[i].line);
		conf_file_write(&cf, bad[i].fixed);
		r = conf_load(cf.path, &c, err, sizeof(err));
		if (r < 0)
			printf("# control: %s\n", err);
		ktap_ok(&k, r == 0, "%s: control with the mistake fixed loads", bad[i].desc);
	}
}

/* the annotated example in the repository must stay a valid config */
static void example_file(void)
{
	struct safeline_conf c;
	char err[512] = "";
	int r = conf_load("etc/safeline.conf.example", &c, err, sizeof(err));

	if (r < 0)
		printf("# %s\n", err);
	ktap_ok(&k, r == 0 && c.n_rules == 2 && c.n_wipe_times == 1,
		"etc/safeline.conf.example loads (run from the repository root)");
}

static void missing_file(void)
{
	struct safeline_conf c;
	char err[512] = "";
	int r;

	unlink(cf.path);
	r = conf_load(cf.path, &c, err, sizeof(err));
	ktap_ok(&k, r == -ENOENT && strstr(err, cf.path) != NULL,
		"a missing file is refused with its name (%d)", r);
}

int main(void)
{
	conf_file_init(&cf, "conf");
	ktap_plan(&k, 7 + 2 * (int)(sizeof(bad) / sizeof(bad[0])) + 2);
	good_file();
	bad_files();
	example_file();
	missing_file();
	conf_file_remove(&cf);
	return ktap_exit(&k);
}
