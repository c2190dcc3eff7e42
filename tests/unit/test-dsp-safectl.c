// SPDX-License-Identifier: GPL-2.0
/*
 * `safectl filter` and `safectl analyze` as outside audits use them: each runs
 * in a child with files for stdin/stdout/stderr, through the same cmd_*()
 * entry points safectl's command table calls. Checks the contract of
 * design.md: same length out, the core's exact output, modes, laws, hook,
 * exit codes 0/1/2 and "safectl: <object>:" errors, and no digits in reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spandsp.h>

#include "agent/safectl/dsp-commands.h"
#include "tests/unit/ktap.h"
#include "tests/unit/rng.h"
#include "tests/unit/spill.h"

struct result {
	int status;
	uint8_t *out;
	size_t out_len;
	char err[1024];
};

/* Reads fd to EOF into a malloc'd, NUL-terminated buffer. */
static uint8_t *slurp(int fd, size_t *len)
{
	size_t cap = 1 << 16;
	uint8_t *b = malloc(cap + 1);
	ssize_t n;

	*len = 0;
	while ((n = read(fd, b + *len, cap - *len)) > 0) {
		*len += (size_t)n;
		if (*len == cap) {
			cap *= 2;
			b = realloc(b, cap + 1);
		}
	}
	b[*len] = 0;
	close(fd);
	return b;
}

/*
 * Runs fn(argv) in a child with pipes for stdin, stdout and stderr (nothing
 * touches the disk: spills carry numbers), collecting output and exit code.
 */
static struct result run(int (*fn)(int, char **), const void *in, size_t in_len, char **argv)
{
	int pin[2], pout[2], perr[2], argc = 0, st;
	struct result r = { 0 };
	pid_t pid, writer;
	size_t errlen;
	uint8_t *e;

	while (argv[argc])
		argc++;
	if (pipe(pin) || pipe(pout) || pipe(perr))
		abort();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		close(pin[1]);
		close(pout[0]);
		close(perr[0]);
		st = fn(argc, argv);
		fflush(stdout);
		fflush(stderr);
		_exit(st);
	}
	writer = fork();
	if (writer == 0) {
		const uint8_t *p = in;
		ssize_t n;

		close(pin[0]);
		while (in_len && (n = write(pin[1], p, in_len)) > 0) {
			p += n;
			in_len -= (size_t)n;
		}
		_exit(0);
	}
	close(pin[0]);
	close(pin[1]);
	close(pout[1]);
	close(perr[1]);
	r.out = slurp(pout[0], &r.out_len);
	e = slurp(perr[0], &errlen);
	snprintf(r.err, sizeof(r.err), "%s", (char *)e);
	free(e);
	waitpid(writer, &st, 0);
	waitpid(pid, &st, 0);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return r;
}

/* 1 s of quiet noise, a spill, 1 s of quiet noise: linear */
static int16_t *make_input(int std, size_t *n, struct spill *sp)
{
	int16_t *a = calloc(8000 * 6, sizeof(*a));
	struct rng r;
	size_t i;

	rng_seed(&r, 99 + (unsigned int)std);
	*sp = (struct spill){ .std = std };
	spill_make(sp, &r, a + 8000, 8000 * 4);
	sp->start = 8000;
	sp->digit += 8000;
	sp->end += 8000;
	*n = sp->end + 8000;
	for (i = 0; i < *n; i++)
		a[i] = (int16_t)(a[i] + (int)(rng_next(&r) % 41) - 20);
	return a;
}

static uint8_t *to_law(const int16_t *a, size_t n, int law)
{
	uint8_t *b = malloc(n);
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = law ? linear_to_alaw(a[i]) : linear_to_ulaw(a[i]);
	return b;
}

static void test_filter(struct ktap *k)
{
	struct spill sp;
	size_t n, i, outside = 0;
	int16_t *a = make_input(SPILL_CLASS_MDMF, &n, &sp);
	uint8_t *ulaw = to_law(a, n, 0), *alaw = to_law(a, n, 1), *core = malloc(n);
	struct safeline_cid_params p = { .law = SAFELINE_LAW_ULAW, .mode = SAFELINE_CID_SUPPRESS,
					 .hook = SAFELINE_HOOK_OFF };
	struct safeline_cid cid;
	struct result r;

	memcpy(core, ulaw, n);
	safeline_cid_init(&cid, &p);
	for (i = 0; i < n; i += 8)
		safeline_cid_rx(&cid, core + i, (int)(n - i < 8 ? n - i : 8));

	r = run(cmd_filter, ulaw, n, (char *[]){ "filter", NULL });
	for (i = 0; i < sp.start; i++)
		outside += r.out[i] != ulaw[i];
	ktap_ok(k, r.status == 0 && r.out_len == n && !memcmp(r.out, core, n) && memcmp(r.out, ulaw, n) &&
		   r.out[sp.digit] == SAFELINE_G711_ULAW_SILENCE && !outside,
		"filter: defaults (ulaw, suppress, off-hook) give the core's exact output, same length");
	free(r.out);

	r = run(cmd_filter, ulaw, n, (char *[]){ "filter", "--mode", "pass", NULL });
	ktap_ok(k, r.status == 0 && r.out_len == n && !memcmp(r.out, ulaw, n),
		"filter: --mode pass is byte-identical");
	free(r.out);

	r = run(cmd_filter, ulaw, n, (char *[]){ "filter", "--mode", "detect", "--hook", "on", NULL });
	ktap_ok(k, r.status == 0 && r.out_len == n && !memcmp(r.out, ulaw, n),
		"filter: --mode detect alters nothing");
	free(r.out);

	r = run(cmd_filter, ulaw, n, (char *[]){ "filter", "--mode", "strict", "--hook", "on", NULL });
	for (i = 0, outside = 0; i < n; i++)
		outside += r.out[i] != SAFELINE_G711_ULAW_SILENCE;
	ktap_ok(k, r.status == 0 && r.out_len == n && !outside,
		"filter: --mode strict --hook on mutes everything");
	free(r.out);

	r = run(cmd_filter, alaw, n, (char *[]){ "filter", "--law", "alaw", NULL });
	ktap_ok(k, r.status == 0 && r.out_len == n && r.out[sp.digit] == SAFELINE_G711_ALAW_SILENCE &&
		   r.out[100] == alaw[100],
		"filter: --law alaw mutes with the A-law silence code");
	free(r.out);

	/* s16 little-endian, with an odd trailing byte that must come back too */
	{
		uint8_t *s16 = malloc(2 * n + 1);

		for (i = 0; i < n; i++) {
			s16[2 * i] = (uint8_t)a[i];
			s16[2 * i + 1] = (uint8_t)((uint16_t)a[i] >> 8);
		}
		s16[2 * n] = 0x5a;
		r = run(cmd_filter, s16, 2 * n + 1, (char *[]){ "filter", "--law", "s16", NULL });
		ktap_ok(k, r.status == 0 && r.out_len == 2 * n + 1 && r.out[2 * n] == 0x5a &&
			   !r.out[2 * sp.digit] && !r.out[2 * sp.digit + 1] && !memcmp(r.out, s16, 200),
			"filter: --law s16 mutes to 0 and keeps an odd length");
		free(r.out);
		free(s16);
	}

	r = run(cmd_filter, ulaw, n, (char *[]){ "filter", "--law", "gsm", NULL });
	ktap_ok(k, r.status == 2 && !strncmp(r.err, "safectl: filter: ", 17) && !r.out_len,
		"filter: a bad --law is a usage error (exit %d)", r.status);
	free(r.out);
	r = run(cmd_filter, ulaw, n, (char *[]){ "filter", "extra", NULL });
	ktap_ok(k, r.status == 2 && !strncmp(r.err, "safectl: filter: ", 17),
		"filter: an operand is a usage error (exit %d)", r.status);
	free(r.out);
	free(a);
	free(ulaw);
	free(alaw);
	free(core);
}

static void test_analyze(struct ktap *k)
{
	struct spill sp;
	size_t n;
	int16_t *a = make_input(SPILL_DTMF, &n, &sp);
	uint8_t *ulaw = to_law(a, n, 0);
	char number[32];
	double start = 0, end = 0;
	char kind[32] = "";
	struct result r;

	snprintf(number, sizeof(number), "%s", sp.number);
	/* a FILE operand; /dev/stdin keeps the spill off the disk */
	r = run(cmd_analyze, ulaw, n, (char *[]){ "analyze", "/dev/stdin", NULL });
	sscanf((char *)r.out, "%lf %lf %31s", &start, &end, kind);
	ktap_ok(k, r.status == 0 && !strcmp(kind, "dtmf") && start * 8000 <= sp.digit &&
		   end * 8000 >= sp.end && !strstr((char *)r.out, number) &&
		   strchr((char *)r.out, '\n') == strrchr((char *)r.out, '\n'),
		"analyze: one spill, kind dtmf, its span covers the number, no digits printed");
	free(r.out);

	r = run(cmd_analyze, ulaw, n, (char *[]){ "analyze", "-j", "-", NULL });
	ktap_ok(k, r.status == 0 && strstr((char *)r.out, "\"kind\":\"dtmf\"") &&
		   r.out[0] == '[' && !strstr((char *)r.out, number),
		"analyze: -j reads stdin ('-') and prints a JSON list");
	free(r.out);

	memset(ulaw, SAFELINE_G711_ULAW_SILENCE, n);
	r = run(cmd_analyze, ulaw, n, (char *[]){ "analyze", "-", NULL });
	ktap_ok(k, r.status == 0 && strstr((char *)r.out, "no caller-ID spill"),
		"analyze: silence reports no spill (control)");
	free(r.out);

	r = run(cmd_analyze, "", 0, (char *[]){ "analyze", "/nonexistent/safeline.ulaw", NULL });
	ktap_ok(k, r.status == 1 && !strncmp(r.err, "safectl: analyze: ", 18),
		"analyze: a missing file fails with exit 1 (%d)", r.status);
	free(r.out);
	r = run(cmd_analyze, "", 0, (char *[]){ "analyze", NULL });
	ktap_ok(k, r.status == 2 && !strncmp(r.err, "safectl: analyze: ", 18),
		"analyze: no FILE is a usage error (exit %d)", r.status);
	free(r.out);
	memset(number, 0, sizeof(number));
	free(a);
	free(ulaw);
}

int main(void)
{
	struct ktap k;

	ktap_plan(&k, 13);
	test_filter(&k);
	test_analyze(&k);
	return ktap_exit(&k);
}
