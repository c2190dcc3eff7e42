/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-core: the DSP core's own cost in userspace on recorded channel audio, for the
 * data-path benchmark (tests/qemu/bench-datapath.sh). Runs the core in suppress mode over
 * FILE (G.711, as a DAHDI channel reads it) in 8-sample chunks, PASSES times, two ways:
 *
 *   1 channel      the file through one core state (as tests/bench/bench-dsp does)
 *   CHANS channels the file through CHANS core states, one chunk each per 1 ms step, as the
 *                  kernel's tick walks every channel: the same working set
 *
 * and prints ns per chunk for each: the best pass and the mean over passes (wall clock).
 *
 * In the rig guest, DAHDI's 1 ms tick interrupts this process and its time lands in the wall
 * clock (the guest kernel has no IRQ time accounting, so thread CPU time holds it too). With
 * -t STATS (sltest_tick.ko's debugfs file, "ticks N ns T"), the tick's own time during each
 * CHANS pass is read from it and taken out: "net" is (wall - tick) per chunk. Each step is
 * also timed alone: "floor" sums every step's best over the passes, so a step the tick (or
 * the host) hit in one pass counts at its clean time; it is a lower bound, not a mean.
 *
 * With -p TIMER (/dev/dahdi/timer) and -s STEPS, the CHANS states also run paced as the
 * kernel runs them: one step per DAHDI tick, woken by DAHDI's own timer at the start of the
 * tick, so each step runs right after the tick, between two ticks (no tick inside it), with
 * the vCPU idle the rest of the millisecond. "paced" is the mean of the steps' own times.
 *
 *   bench-core [-t STATS] [-p TIMER -s STEPS] ulaw|alaw FILE [PASSES [CHANS]]
 *                                                        (defaults 10 passes, 240 channels)
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <dahdi/user.h>

#include "kernel/dsp/cid.h"

static double clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* the tick's total time so far from sltest_tick.ko's stats, or 0 without -t */
static double tick_ns(const char *stats)
{
	long long ticks, ns;
	FILE *f;
	int n;

	if (!stats)
		return 0;
	f = fopen(stats, "r");
	if (!f) {
		perror(stats);
		exit(1);
	}
	n = fscanf(f, "ticks %lld ns %lld", &ticks, &ns);
	fclose(f);
	if (n != 2) {
		fprintf(stderr, "bench-core: %s: not \"ticks N ns T\"\n", stats);
		exit(1);
	}
	return ns;
}

static unsigned char *load(const char *path, size_t *len)
{
	size_t n = 0, cap = 1 << 20, r;
	unsigned char *buf = malloc(cap);
	FILE *f = fopen(path, "rb");

	if (!f || !buf)
		return NULL;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap && !(buf = realloc(buf, cap *= 2)))
			return NULL;
	}
	fclose(f);
	*len = n - n % 8;
	return buf;
}

struct pass_time {
	double wall;	/* ns, the whole pass */
	double cpu;	/* ns of this thread's CPU time (interrupts that hit it included) */
	double tick;	/* ns of DAHDI's tick meanwhile (-t only) */
};

/* one pass: chans states, each fed the same chunk per step; step[k] = that step's ns if step */
static struct pass_time pass(struct safeline_cid *cid, int chans,
			     const struct safeline_cid_params *p, const unsigned char *audio,
			     size_t n, double *step, const char *stats)
{
	struct pass_time pt;
	unsigned char chunk[8];
	double t0, t, cpu0, tick0;
	size_t k;
	int c;

	for (c = 0; c < chans; c++)
		safeline_cid_init(&cid[c], p);
	tick0 = tick_ns(stats);
	cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	t0 = t = now_ns();
	for (k = 0; k < n; k += 8) {
		for (c = 0; c < chans; c++) {
			memcpy(chunk, audio + k, 8);	/* the core mutes in place */
			safeline_cid_rx(&cid[c], chunk, 8);
		}
		if (step) {
			step[k / 8] = -t;
			t = now_ns();
			step[k / 8] += t;
		}
	}
	pt.wall = (step ? t : now_ns()) - t0;
	pt.cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	pt.tick = tick_ns(stats) - tick0;
	return pt;
}

/* what a clock read costs here: the CHANS run reads the clock once per step */
static double clock_read_ns(void)
{
	double t0 = now_ns();
	int i;

	for (i = 0; i < 9999; i++)
		now_ns();
	return (now_ns() - t0) / 10000;
}

/* steps: time each step too (the floor); the 1-channel run does not (a read per chunk) */
static void run(const char *what, int chans, int passes, const struct safeline_cid_params *p,
		const unsigned char *audio, size_t n, int steps, const char *stats)
{
	struct safeline_cid *cid = calloc((size_t)chans, sizeof(*cid));
	double *step = calloc(n / 8, sizeof(*step)), *best = calloc(n / 8, sizeof(*best));
	double fastest = 0, wall = 0, cpu = 0, tick = 0, floor = 0, per = (double)(n / 8) * chans;
	struct pass_time pt;
	size_t k;
	int i;

	if (!cid || !step || !best) {
		perror("calloc");
		exit(1);
	}
	for (i = 0; i < passes; i++) {
		pt = pass(cid, chans, p, audio, n, steps ? step : NULL, stats);
		wall += pt.wall;
		cpu += pt.cpu;
		tick += pt.tick;
		if (!i || pt.wall < fastest)
			fastest = pt.wall;
		for (k = 0; k < n / 8; k++)
			if (!i || step[k] < best[k])
				best[k] = step[k];
	}
	for (k = 0; k < n / 8; k++)
		floor += best[k];
	printf("%s: %.1f ns per chunk best, %.1f mean (%d channels, %zu chunks each, %d passes)\n",
	       what, fastest / per, wall / passes / per, chans, n / 8, passes);
	if (steps)
		printf("%s net of the tick: %.1f ns per chunk (wall %.1f, tick %.1f, thread CPU %.1f; "
		       "floor %.1f; a clock read %.0f ns, one per step)\n", what,
		       (wall - tick) / passes / per, wall / passes / per, tick / passes / per,
		       cpu / passes / per, floor / per, clock_read_ns());
	free(best);
	free(step);
	free(cid);
}

/* one step per tick of DAHDI's timer: the step's own time only, the wait left out */
static void paced(const char *timer, long steps, int chans, const struct safeline_cid_params *p,
		  const unsigned char *audio, size_t n)
{
	struct safeline_cid *cid = calloc((size_t)chans, sizeof(*cid));
	int fd = open(timer, O_RDWR | O_CLOEXEC), every = 8, all = -1;	/* samples: every tick */
	struct pollfd pfd = { .fd = fd, .events = POLLPRI };
	double sum = 0, t0, t, longest = 0, start = now_ns();
	unsigned char chunk[8];
	long k, late = 0;
	int c;

	if (fd < 0 || !cid || ioctl(fd, DAHDI_TIMERCONFIG, &every)) {
		perror(timer);
		exit(1);
	}
	if (steps > (long)(n / 8))
		steps = n / 8;
	for (c = 0; c < chans; c++)
		safeline_cid_init(&cid[c], p);
	for (k = 0; k < steps; k++) {
		if (poll(&pfd, 1, 1000) != 1 || ioctl(fd, DAHDI_TIMERACK, &all)) {
			fprintf(stderr, "bench-core: %s: no tick\n", timer);
			exit(1);
		}
		t0 = now_ns();
		for (c = 0; c < chans; c++) {
			memcpy(chunk, audio + k * 8, 8);
			safeline_cid_rx(&cid[c], chunk, 8);
		}
		t = now_ns() - t0;
		sum += t;
		if (t > longest)
			longest = t;
		late += t > 900e3;	/* past the next tick: it may hold that tick's time */
	}
	close(fd);
	printf("all channels paced: %.1f ns per chunk (%ld steps in %.2f s, one per tick, mean; "
	       "longest step %.0f us, %ld over 900 us)\n", sum / ((double)steps * chans), steps,
	       (now_ns() - start) / 1e9, longest / 1e3, late);
	free(cid);
}

int main(int argc, char **argv)
{
	struct safeline_cid_params p = { .mode = SAFELINE_CID_SUPPRESS, .hook = SAFELINE_HOOK_ON };
	const char *stats = NULL, *timer = NULL;
	unsigned char *audio;
	int passes, chans, opt;
	long steps = 0;
	size_t n = 0;

	while ((opt = getopt(argc, argv, "t:p:s:")) != -1) {
		if (opt == 't')
			stats = optarg;
		else if (opt == 'p')
			timer = optarg;
		else if (opt == 's')
			steps = atol(optarg);
		else
			goto usage;
	}
	argc -= optind - 1;
	argv += optind - 1;
	passes = argc > 3 ? atoi(argv[3]) : 10;
	chans = argc > 4 ? atoi(argv[4]) : 240;
	if (argc < 3 || (strcmp(argv[1], "ulaw") && strcmp(argv[1], "alaw")) || passes < 1 ||
	    chans < 1 || !timer != !steps || steps < 0)
		goto usage;
	tick_ns(stats);		/* readable, or stop before any work */
	p.law = strcmp(argv[1], "alaw") ? SAFELINE_LAW_ULAW : SAFELINE_LAW_ALAW;
	audio = load(argv[2], &n);
	if (!audio || n < 8) {
		fprintf(stderr, "bench-core: %s: no audio\n", argv[2]);
		return 1;
	}
	run("1 channel", 1, passes, &p, audio, n, 0, NULL);
	run("all channels", chans, passes > 3 ? 3 : passes, &p, audio, n, 1, stats);
	if (timer)
		paced(timer, steps, chans, &p, audio, n);
	return 0;
usage:
	fprintf(stderr, "usage: bench-core [-t STATS] [-p TIMER -s STEPS] ulaw|alaw FILE "
		"[PASSES [CHANS]]\n");
	return 2;
}
