// SPDX-License-Identifier: GPL-2.0
/*
 * safectl filter: raw 8 kHz mono audio in on stdin, the same audio out on
 * stdout with caller ID muted exactly as safeline.ko would mute it. Outside
 * audits rely on this: output length always equals input length.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/safectl/dsp-commands.h"

#define FILTER_USAGE \
	"Usage: safectl filter [--law ulaw|alaw|s16] [--mode suppress|strict|detect|pass]\n" \
	"                      [--hook on|off]\n" \
	"Reads raw 8 kHz mono audio on stdin and writes it, caller ID muted, on stdout.\n" \
	"Defaults: --law ulaw --mode suppress --hook off. s16 is signed 16-bit little-endian.\n"

__attribute__((format(printf, 1, 2)))
static int filter_usage_error(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	fprintf(stderr, "safectl: filter: ");
	vfprintf(stderr, format, ap);
	fprintf(stderr, "\n%s", FILTER_USAGE);
	va_end(ap);
	return 2;
}

static int filter_parse_mode(const char *s, enum safeline_cid_mode *m)
{
	static const char *const names[] = {
		[SAFELINE_CID_PASS] = "pass",
		[SAFELINE_CID_DETECT] = "detect",
		[SAFELINE_CID_SUPPRESS] = "suppress",
		[SAFELINE_CID_STRICT] = "strict",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*m = (enum safeline_cid_mode)i;
			return 0;
		}
	}
	return -1;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 16-bit little-endian samples, in place; a trailing odd byte is left as it is */
static void filter_s16(struct safeline_cid *cid, uint8_t *buf, size_t len)
{
	int16_t amp[2048];
	size_t i, n = len / 2;

	for (i = 0; i < n; i++)
		amp[i] = (int16_t)(buf[2 * i] | buf[2 * i + 1] << 8);
	safeline_cid_rx_linear(cid, amp, (int)n);
	for (i = 0; i < n; i++) {
		buf[2 * i] = (uint8_t)amp[i];
		buf[2 * i + 1] = (uint8_t)((uint16_t)amp[i] >> 8);
	}
}

int cmd_filter(int argc, char **argv)
{
	static const struct option options[] = {
		{ "law", required_argument, NULL, 'l' },
		{ "mode", required_argument, NULL, 'm' },
		{ "hook", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct safeline_cid_params params = {
		.mode = SAFELINE_CID_SUPPRESS,
		.hook = SAFELINE_HOOK_OFF,
	};
	enum dsp_format format = DSP_FORMAT_ULAW;
	uint8_t buf[4096];
	struct safeline_cid cid;
	size_t have = 0;
	ssize_t n;
	int c;

	optind = 0;	/* reinitialise getopt: safectl may have parsed before us */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (dsp_parse_format(optarg, &format))
				return filter_usage_error("unknown law '%s'", optarg);
			break;
		case 'm':
			if (filter_parse_mode(optarg, &params.mode))
				return filter_usage_error("unknown mode '%s'", optarg);
			break;
		case 'H':
			if (dsp_parse_hook(optarg, &params.hook))
				return filter_usage_error("unknown hook state '%s'", optarg);
			break;
		case 'h':
			fputs(FILTER_USAGE, stdout);
			return 0;
		default:
			return filter_usage_error("bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return filter_usage_error("unexpected argument '%s'", argv[optind]);

	params.law = dsp_format_law(format);
	safeline_cid_init(&cid, &params);
	for (;;) {
		n = read(STDIN_FILENO, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "safectl: filter: reading stdin: %s\n", strerror(errno));
			return 1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (format == DSP_FORMAT_S16) {
			/* keep an odd byte back until its partner arrives */
			size_t even = have & ~(size_t)1;

			filter_s16(&cid, buf, even);
			if (write_all(STDOUT_FILENO, buf, even))
				goto write_failed;
			memmove(buf, buf + even, have - even);
			have -= even;
		} else {
			safeline_cid_rx(&cid, buf, (int)have);
			if (write_all(STDOUT_FILENO, buf, have))
				goto write_failed;
			have = 0;
		}
	}
	/* a dangling half sample goes out untouched, so the length still matches */
	if (have && write_all(STDOUT_FILENO, buf, have))
		goto write_failed;
	return 0;

write_failed:
	fprintf(stderr, "safectl: filter: writing stdout: %s\n", strerror(errno ? errno : EIO));
	return 1;
}
