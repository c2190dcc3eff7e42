// SPDX-License-Identifier: GPL-2.0
/*
 * safectl as a user meets it, without the module: exit codes (0 ok, 1 failed,
 * 2 usage), where messages go, a clear "module not loaded" error beside the
 * agent section, and `version`. Runs the built binary (SAFECTL_PATH, or
 * $SAFECTL) and never loads anything. SAFELINE_SOCKET points at a path where
 * no agent can be, so "agent: not running" is deterministic here; the agent
 * answering or refusing is test-agent-daemon's part.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/version.h"
#include "tests/unit/ktap.h"

static struct ktap k;

#ifndef SAFECTL_PATH
#define SAFECTL_PATH "safectl"
#endif

struct run {
	int status;		/* exit status, or -1 if it did not exit normally */
	char out[4096];		/* stdout */
	char err[4096];		/* stderr */
};

static const char *safectl;

static void slurp(int fd, char *buf, size_t size)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

/* Runs argv (argv[0] replaced by the binary) and captures its output. */
static void run(struct run *r, const char *const argv[])
{
	int out = memfd_create("stdout", 0), err = memfd_create("stderr", 0), ws;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		setenv("LC_ALL", "C", 1);
		setenv("SAFELINE_SOCKET", "/nonexistent/safeline-test.sock", 1);
		execv(safectl, (char *const *)argv);
		_exit(127);
	}
	r->status = -1;
	if (pid > 0 && waitpid(pid, &ws, 0) == pid && WIFEXITED(ws))
		r->status = WEXITSTATUS(ws);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

static bool check(const struct run *r, int status, const char *out_has, const char *err_has,
		  const char *desc)
{
	bool ok = r->status == status &&
		  (out_has ? strstr(r->out, out_has) != NULL : r->out[0] == '\0') &&
		  (err_has ? strstr(r->err, err_has) != NULL : r->err[0] == '\0');

	if (!ok)
		printf("# exit %d (want %d)\n# stdout: %.200s\n# stderr: %.200s\n",
		       r->status, status, r->out, r->err);
	return ktap_ok(&k, ok, "%s", desc);
}

#define RUN(r, ...) run(r, (const char *const[]){ "safectl", __VA_ARGS__, NULL })

static void usage_checks(void)
{
	struct run r;

	RUN(&r, "--version");
	check(&r, 0, "safectl " SAFELINE_VERSION "\n", NULL, "--version prints the release");
	RUN(&r, "--help");
	check(&r, 0, "Usage: safectl", NULL, "--help prints usage on stdout, exit 0");
	RUN(&r, "help", "status");
	check(&r, 0, "safectl [-j|--json] [-p|--pretty] status", NULL,
	      "help status prints the status usage");
	RUN(&r, "status", "--help");
	check(&r, 0, "safectl [-j|--json] [-p|--pretty] status", NULL,
	      "status --help prints the status usage");
	RUN(&r, "bogus");
	check(&r, 2, NULL, "safectl: unknown command 'bogus'", "unknown command: exit 2, stderr");
	RUN(&r, "--bogus");
	check(&r, 2, NULL, "safectl: unknown option '--bogus'", "unknown long option: exit 2");
	RUN(&r, "-x");
	check(&r, 2, NULL, "safectl: unknown option '-x'", "unknown short option: exit 2");
	RUN(&r, "status", "extra");
	check(&r, 2, NULL, "safectl: status: unexpected argument 'extra'",
	      "status with an operand: exit 2");
	RUN(&r, "status", "--bogus");
	check(&r, 2, NULL, "safectl: status: unknown option '--bogus'",
	      "status with an unknown option: exit 2");
	RUN(&r, "version", "extra");
	check(&r, 2, NULL, "safectl: version: unexpected argument 'extra'",
	      "version with an operand: exit 2");
	RUN(&r, "help", "bogus");
	check(&r, 2, NULL, "safectl: help: unknown command 'bogus'", "help for an unknown command: exit 2");
}

/* Nonzero when asking for the family would load safeline.ko: then we must not ask. */
static const char *why_not_probe(void)
{
	if (access("/sys/module/safeline", F_OK) == 0)
		return "safeline.ko is loaded on this machine";
	/* the alias the kernel requests for the family; exit 0 means modprobe would load it */
	if (system("modprobe -n -q net-pf-16-proto-16-family-safeline 2>/dev/null") == 0)
		return "safeline.ko is installed for the running kernel; status would load it";
	return NULL;
}

#define NOT_LOADED "safectl: status: safeline module not loaded: "
#define NO_AGENT_JSON "\"agent\":{\"running\":false}"

/* version reads the module only if it is loaded, so it runs on any host */
static void version_checks(void)
{
	bool loaded = access("/sys/module/safeline", F_OK) == 0;
	struct run r;

	RUN(&r, "version");
	check(&r, 0, "safectl: " SAFELINE_VERSION "\nprotocol: ", NULL,
	      "version prints safectl's release and protocol, exit 0");
	ktap_ok(&k, (strstr(r.out, "module: not loaded\n") != NULL) != loaded &&
		(strstr(r.out, "module protocol: ") != NULL) == loaded,
		"version's module line matches /sys/module/safeline (%s)",
		loaded ? "loaded" : "not loaded");
	RUN(&r, "-j", "version");
	check(&r, 0, "{\"version\":\"" SAFELINE_VERSION "\",\"protocol\":", NULL,
	      "-j version: JSON with safectl's version and protocol");
	ktap_ok(&k, strstr(r.out, loaded ? "\"module\":{\"loaded\":true,\"version\":" :
				       "\"module\":{\"loaded\":false}}\n") != NULL,
		"-j version: the module object says whether it is loaded");
	ktap_ok(&k, (access("/sys/module/safeline", F_OK) == 0) == loaded,
		"control: version did not load or unload the module");
}

static void unloaded_checks(void)
{
	const char *skip = why_not_probe();
	struct run r;

	if (skip) {
		for (int i = 0; i < 5; i++)
			ktap_skip(&k, skip, "status without the module (%d of 5)", i + 1);
		return;
	}
	RUN(&r, "status");
	check(&r, 1, "agent: not running\n", NOT_LOADED,
	      "status without the module: exit 1, says not loaded, still shows the agent");
	ktap_ok(&k, !strstr(r.out, "version: ") && !strstr(r.err, "agent"),
		"no module line is printed, and no agent is not an error");
	run(&r, (const char *const[]){ "safectl", NULL });
	check(&r, 1, "agent: not running\n", NOT_LOADED, "no command runs status");
	RUN(&r, "-j", "status");
	check(&r, 1, "{" NO_AGENT_JSON "}\n", NOT_LOADED,
	      "-j status without the module: only the agent object, no module keys");
	ktap_ok(&k, access("/sys/module/safeline", F_OK) != 0,
		    "control: the module is still not loaded afterwards");
}

int main(void)
{
	safectl = getenv("SAFECTL") ? getenv("SAFECTL") : SAFECTL_PATH;
	ktap_plan(&k, 21);
	usage_checks();
	version_checks();
	unloaded_checks();
	return ktap_exit(&k);
}
