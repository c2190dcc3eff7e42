/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rig-chan: drive DAHDI channels for rig scripts. It reads one command per line on stdin and
 * answers one line on stdout ("ok ..." or "err ..."), keeping channels open between commands
 * because opening a channel resets it (and an fxsks channel then ignores ring for 2 s).
 *
 *   open C                     open channel C; answers its span, position, signalling, law
 *   hook C ring|ringoff|offhook|onhook
 *   expect C EVENT MS          wait up to MS ms for EVENT (e.g. RINGOFFHOOK), skipping others
 *   quiet C MS                 succeed if no event arrives on C within MS ms
 *   audio A B MS               write a known pattern on A for MS ms; succeed if B reads it
 *                              back intact and in order
 *   dtmf C down|up|pulse|polarity D [nolock]
 *                              have sltest_dtmf.ko queue DTMFDOWN|D (DTMFUP, PULSEDIGIT,
 *                              POLARITY: D ignored) on C, as a card's DTMF detector (an FXO
 *                              module's reversal sensing) does; read back as DTMFDOWN_D
 *                              (POLARITY)
 *   tone C dial|stop           DAHDI plays (or stops) its dial tone on C (DAHDI_SENDTONE)
 *   record C MS FILE           write what C receives during MS ms to FILE (G.711 bytes)
 *   close C | quit
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <dahdi/user.h>

#define MAX_CHAN	1024
#define BLOCK		160	/* bytes per read/write: 20 ms at 8 kHz */
#define NUM_BUFS	32	/* 2 x 160 under-runs under load (rig.md) */
#define PERIOD		254	/* pattern period: every byte except the two µ-law zeros */

static int fds[MAX_CHAN];

static const char *const event_names[] = {
	[DAHDI_EVENT_NONE] = "NONE", [DAHDI_EVENT_ONHOOK] = "ONHOOK",
	[DAHDI_EVENT_RINGOFFHOOK] = "RINGOFFHOOK", [DAHDI_EVENT_WINKFLASH] = "WINKFLASH",
	[DAHDI_EVENT_ALARM] = "ALARM", [DAHDI_EVENT_NOALARM] = "NOALARM",
	[DAHDI_EVENT_ABORT] = "ABORT", [DAHDI_EVENT_OVERRUN] = "OVERRUN",
	[DAHDI_EVENT_BADFCS] = "BADFCS", [DAHDI_EVENT_DIALCOMPLETE] = "DIALCOMPLETE",
	[DAHDI_EVENT_RINGERON] = "RINGERON", [DAHDI_EVENT_RINGEROFF] = "RINGEROFF",
	[DAHDI_EVENT_HOOKCOMPLETE] = "HOOKCOMPLETE", [DAHDI_EVENT_BITSCHANGED] = "BITSCHANGED",
	[DAHDI_EVENT_PULSE_START] = "PULSE_START", [DAHDI_EVENT_POLARITY] = "POLARITY",
	[DAHDI_EVENT_RINGBEGIN] = "RINGBEGIN", [DAHDI_EVENT_REMOVED] = "REMOVED",
	[DAHDI_EVENT_READ_OVERRUN] = "READ_OVERRUN",
	[DAHDI_EVENT_WRITE_UNDERRUN] = "WRITE_UNDERRUN",
};

static const char *event_name(int e)
{
	static char other[24];

	if (e & (DAHDI_EVENT_DTMFDOWN | DAHDI_EVENT_DTMFUP | DAHDI_EVENT_PULSEDIGIT)) {
		snprintf(other, sizeof(other), "%s_%c", e & DAHDI_EVENT_DTMFDOWN ? "DTMFDOWN" :
			 e & DAHDI_EVENT_DTMFUP ? "DTMFUP" : "PULSEDIGIT", e & 0xff);
		return other;
	}

	if (e >= 0 && e < (int)(sizeof(event_names) / sizeof(event_names[0])) && event_names[e])
		return event_names[e];
	snprintf(other, sizeof(other), "EVENT_%#x", e);
	return other;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int chan_fd(int c)
{
	return c > 0 && c < MAX_CHAN ? fds[c] : -1;
}

static const char *sig_name(int sig)
{
	switch (sig) {
	case DAHDI_SIG_FXOKS: return "fxoks";
	case DAHDI_SIG_FXSKS: return "fxsks";
	case DAHDI_SIG_FXOLS: return "fxols";
	case DAHDI_SIG_FXSLS: return "fxsls";
	case DAHDI_SIG_FXOGS: return "fxogs";
	case DAHDI_SIG_FXSGS: return "fxsgs";
	case DAHDI_SIG_NONE: return "none";
	default: return "other";
	}
}

static void cmd_open(int c)
{
	struct dahdi_bufferinfo bi = { 0 };
	struct dahdi_params p = { 0 };
	int fd;

	if (c <= 0 || c >= MAX_CHAN || fds[c] >= 0) {
		printf("err channel %d: invalid or already open\n", c);
		return;
	}
	fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, DAHDI_SPECIFY, &c) < 0) {
		printf("err open channel %d: %s\n", c, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	/* the open reset the buffers to 2 x 1024: set ours after SPECIFY */
	bi.txbufpolicy = DAHDI_POLICY_IMMEDIATE;
	bi.rxbufpolicy = DAHDI_POLICY_IMMEDIATE;
	bi.numbufs = NUM_BUFS;
	bi.bufsize = BLOCK;
	p.channo = c;
	if (ioctl(fd, DAHDI_SET_BUFINFO, &bi) < 0 || ioctl(fd, DAHDI_GET_PARAMS, &p) < 0) {
		printf("err setup channel %d: %s\n", c, strerror(errno));
		close(fd);
		return;
	}
	fds[c] = fd;
	printf("ok chan=%d span=%d pos=%d sig=%s law=%s\n", p.channo, p.spanno, p.chanpos,
	       sig_name(p.sigtype), p.curlaw == DAHDI_LAW_ALAW ? "alaw" : "ulaw");
}

static void cmd_hook(int c, const char *what)
{
	int fd = chan_fd(c), v;

	if (!strcmp(what, "ring"))
		v = DAHDI_RING;
	else if (!strcmp(what, "ringoff"))
		v = DAHDI_RINGOFF;
	else if (!strcmp(what, "offhook"))
		v = DAHDI_OFFHOOK;
	else if (!strcmp(what, "onhook"))
		v = DAHDI_ONHOOK;
	else {
		printf("err hook: unknown state '%s'\n", what);
		return;
	}
	/* a non-blocking ring answers EINPROGRESS when it started */
	if (fd < 0)
		printf("err channel %d not open\n", c);
	else if (ioctl(fd, DAHDI_HOOK, &v) < 0 && errno != EINPROGRESS)
		printf("err hook %s on %d: %s\n", what, c, strerror(errno));
	else
		printf("ok\n");
}

/* Next event on fd within deadline (ms clock); DAHDI_EVENT_NONE on timeout. */
static int next_event(int fd, long deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLPRI };
	int e;

	for (;;) {
		e = DAHDI_EVENT_NONE;
		if (ioctl(fd, DAHDI_GETEVENT, &e) == 0 && e != DAHDI_EVENT_NONE)
			return e;
		if (now_ms() >= deadline)
			return DAHDI_EVENT_NONE;
		poll(&pfd, 1, (int)(deadline - now_ms()) > 0 ? (int)(deadline - now_ms()) : 0);
	}
}

static void cmd_expect(int c, const char *want, long ms)
{
	long start = now_ms(), deadline = start + ms;
	char seen[256] = "";
	int fd = chan_fd(c), e;

	if (fd < 0) {
		printf("err channel %d not open\n", c);
		return;
	}
	while ((e = next_event(fd, deadline)) != DAHDI_EVENT_NONE) {
		if (!strcmp(event_name(e), want)) {
			printf("ok %s after %ld ms%s%s\n", want, now_ms() - start,
			       seen[0] ? ", before it:" : "", seen);
			return;
		}
		if (strlen(seen) + 24 < sizeof(seen))
			strcat(strcat(seen, " "), event_name(e));
	}
	printf("err no %s on %d within %ld ms (saw:%s)\n", want, c, ms, seen[0] ? seen : " none");
}

static void cmd_quiet(int c, long ms)
{
	int fd = chan_fd(c), e;

	if (fd < 0) {
		printf("err channel %d not open\n", c);
		return;
	}
	e = next_event(fd, now_ms() + ms);
	if (e == DAHDI_EVENT_NONE)
		printf("ok no event in %ld ms\n", ms);
	else
		printf("err unexpected %s on %d\n", event_name(e), c);
}

static unsigned char pattern(long i)
{
	int v = (int)(i % PERIOD);

	return (unsigned char)(v < 0x7f ? v : v + 1);	/* skips 0x7f; 0xff is never reached */
}

static long pattern_index(unsigned char b)
{
	if (b == 0x7f || b == 0xff)
		return -1;
	return b < 0x7f ? b : b - 1;
}

/* Drain pending events so read()/write() stop failing with ELAST; count them. */
static int drain_events(int fd)
{
	int e, n = 0;

	while (ioctl(fd, DAHDI_GETEVENT, &e) == 0 && e != DAHDI_EVENT_NONE)
		n++;
	return n;
}

/*
 * Write `total` pattern bytes on A while reading B; the longest run of received bytes that
 * follow the pattern in order must cover everything written. The loc spans copy bytes, so
 * anything less means audio was lost, reordered or altered on the way.
 */
static void cmd_audio(int a, int b, long ms)
{
	int fa = chan_fd(a), fb = chan_fd(b), events = 0;
	long total = ms * 8, sent = 0, run = 0, best = 0, last = -2;
	long deadline = now_ms() + ms + 1000;
	unsigned char buf[BLOCK];

	if (fa < 0 || fb < 0 || a == b) {
		printf("err audio: channels %d and %d must be open and distinct\n", a, b);
		return;
	}
	ioctl(fb, DAHDI_FLUSH, &(int){ DAHDI_FLUSH_BOTH });
	ioctl(fa, DAHDI_FLUSH, &(int){ DAHDI_FLUSH_BOTH });
	while (now_ms() < deadline && best < total) {
		struct pollfd p[2] = { { fa, POLLOUT | POLLPRI, 0 }, { fb, POLLIN | POLLPRI, 0 } };
		ssize_t n;

		poll(p, 2, 20);
		events += drain_events(fa) + drain_events(fb);
		if (sent < total && (p[0].revents & POLLOUT)) {
			n = total - sent < BLOCK ? total - sent : BLOCK;
			for (long i = 0; i < n; i++)
				buf[i] = pattern(sent + i);
			n = write(fa, buf, (size_t)n);
			if (n > 0)
				sent += n;
		}
		n = read(fb, buf, sizeof(buf));
		for (long i = 0; i < n; i++) {
			long j = pattern_index(buf[i]);

			if (j >= 0 && last >= 0 && j == (last + 1) % PERIOD)
				run++;
			else
				run = j >= 0;
			last = j;
			if (run > best)
				best = run;
		}
		/* drain A's own receive side too, so its buffers never overrun */
		while (read(fa, buf, sizeof(buf)) > 0)
			;
	}
	if (best >= total)
		printf("ok %ld of %ld bytes arrived in order (%d events drained)\n", best, total,
		       events);
	else
		printf("err only %ld of %ld bytes (sent %ld) arrived in order on %d\n", best, total,
		       sent, b);
}

#define QEVENT "/sys/kernel/debug/sltest_dtmf/qevent"

/* The channel's descriptor goes with the request: the module finds the channel by it. */
static void cmd_dtmf(int c, const char *how, const char *digit, const char *mode)
{
	char req[64];
	int fd = chan_fd(c), q, n;

	if (fd < 0) {
		printf("err channel %d not open\n", c);
		return;
	}
	q = open(QEVENT, O_WRONLY | O_CLOEXEC);
	if (q < 0) {
		printf("err %s: %s (sltest_dtmf.ko loaded?)\n", QEVENT, strerror(errno));
		return;
	}
	n = snprintf(req, sizeof(req), "%d %s %s %s", fd, how, digit, mode);
	if (write(q, req, (size_t)n) != n)
		printf("err dtmf %s %s on %d: %s\n", how, digit, c, strerror(errno));
	else
		printf("ok queued %s %s (%s)\n", how, digit, mode);
	close(q);
}

static void cmd_tone(int c, const char *what)
{
	int fd = chan_fd(c), t;

	if (!strcmp(what, "dial"))
		t = DAHDI_TONE_DIALTONE;
	else if (!strcmp(what, "stop"))
		t = DAHDI_TONE_STOP;
	else {
		printf("err tone: unknown tone '%s'\n", what);
		return;
	}
	if (fd < 0)
		printf("err channel %d not open\n", c);
	else if (ioctl(fd, DAHDI_SENDTONE, &t) < 0)
		printf("err tone %s on %d: %s\n", what, c, strerror(errno));
	else
		printf("ok\n");
}

static void cmd_record(int c, long ms, const char *path)
{
	int fd = chan_fd(c);
	long deadline = now_ms() + ms, total = 0;
	unsigned char buf[BLOCK];
	FILE *out;

	if (fd < 0) {
		printf("err channel %d not open\n", c);
		return;
	}
	out = fopen(path, "wb");
	if (!out) {
		printf("err %s: %s\n", path, strerror(errno));
		return;
	}
	ioctl(fd, DAHDI_FLUSH, &(int){ DAHDI_FLUSH_READ });
	while (now_ms() < deadline) {
		struct pollfd p = { fd, POLLIN | POLLPRI, 0 };
		ssize_t n;

		poll(&p, 1, 20);
		drain_events(fd);
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			fwrite(buf, 1, (size_t)n, out);
			total += n;
		}
	}
	if (fclose(out))
		printf("err %s: %s\n", path, strerror(errno));
	else
		printf("ok %ld bytes\n", total);
}

static void cmd_close(int c)
{
	int fd = chan_fd(c);

	if (fd < 0) {
		printf("err channel %d not open\n", c);
		return;
	}
	close(fd);
	fds[c] = -1;
	printf("ok\n");
}

int main(void)
{
	char line[256], cmd[32], arg[32], arg2[32], arg3[32], path[200];
	int c, d;
	long ms;

	for (c = 0; c < MAX_CHAN; c++)
		fds[c] = -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%31s", cmd) != 1)
			continue;
		if (!strcmp(cmd, "open") && sscanf(line, "%*s %d", &c) == 1)
			cmd_open(c);
		else if (!strcmp(cmd, "hook") && sscanf(line, "%*s %d %31s", &c, arg) == 2)
			cmd_hook(c, arg);
		else if (!strcmp(cmd, "expect") &&
			 sscanf(line, "%*s %d %31s %ld", &c, arg, &ms) == 3)
			cmd_expect(c, arg, ms);
		else if (!strcmp(cmd, "quiet") && sscanf(line, "%*s %d %ld", &c, &ms) == 2)
			cmd_quiet(c, ms);
		else if (!strcmp(cmd, "audio") && sscanf(line, "%*s %d %d %ld", &c, &d, &ms) == 3)
			cmd_audio(c, d, ms);
		else if (!strcmp(cmd, "dtmf") &&
			 sscanf(line, "%*s %d %31s %31s %31s", &c, arg, arg2, arg3) >= 3)
			cmd_dtmf(c, arg, arg2, sscanf(line, "%*s %*d %*s %*s %31s", arg3) == 1 ?
				 arg3 : "lock");
		else if (!strcmp(cmd, "tone") && sscanf(line, "%*s %d %31s", &c, arg) == 2)
			cmd_tone(c, arg);
		else if (!strcmp(cmd, "record") &&
			 sscanf(line, "%*s %d %ld %199s", &c, &ms, path) == 3)
			cmd_record(c, ms, path);
		else if (!strcmp(cmd, "close") && sscanf(line, "%*s %d", &c) == 1)
			cmd_close(c);
		else if (!strcmp(cmd, "quit"))
			break;
		else
			printf("err bad command: %s\n", line);
	}
	return 0;
}
