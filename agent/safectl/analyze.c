// SPDX-License-Identifier: GPL-2.0
/*
 * safectl analyze: lists the caller-ID spills the core finds in a raw 8 kHz
 * recording, with the time span it would mute and what proved each one.
 * It reports kinds and times only, never digits: the core never decodes any.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/safectl/dsp-commands.h"
#include "agent/shared/json.h"

#define ANALYZE_USAGE \
	"Usage: safectl analyze [--law ulaw|alaw|s16] [--hook on|off] [-j|--json] FILE|-\n" \
	"Lists each caller-ID spill in a raw 8 kHz mono recording: start and end of the\n" \
	"span 'safectl filter' would mute (seconds), and the kind of signal that proved it.\n"

/* safectl's global -j and -p, when linked into safectl (weak: absent in standalone builds) */
extern bool safectl_json __attribute__((weak));
extern bool safectl_pretty __attribute__((weak));

struct analysis {
	bool json;
	struct json_writer w;
	int spills;
	uint64_t start;		/* sample the open spill started at */
	uint8_t kind;
	bool open;
};

static const char *analyze_kind_name(uint8_t kind)
{
	switch (kind) {
	case SAFELINE_CID_KIND_FSK_SEIZURE:
		return "fsk-seizure";
	case SAFELINE_CID_KIND_FSK_MESSAGE:
		return "fsk-message";
	case SAFELINE_CID_KIND_FSK_JCLIP:
		return "fsk-jclip";
	case SAFELINE_CID_KIND_ALERT:
		return "alert-tone";
	case SAFELINE_CID_KIND_DTMF:
		return "dtmf";
	}
	return "unknown";
}

static void analyze_print(struct analysis *a, uint64_t end, bool complete)
{
	const char *kind = analyze_kind_name(a->kind);

	if (a->json) {
		json_open_object(&a->w, NULL);
		json_fixed(&a->w, "start_s", a->start / 8000.0, 3);
		json_fixed(&a->w, "end_s", end / 8000.0, 3);
		json_string(&a->w, "kind", kind);
		json_bool(&a->w, "complete", complete);
		json_close_object(&a->w);
	} else {
		printf("%9.3f %9.3f  %s%s\n", a->start / 8000.0, end / 8000.0, kind,
		       complete ? "" : " (still open at end of input)");
	}
	a->spills++;
}

static void analyze_event(void *user, const struct safeline_cid_event *ev)
{
	struct analysis *a = user;

	if (ev->type == SAFELINE_CID_SPILL_START) {
		a->start = ev->sample;
		a->kind = ev->kind;
		a->open = true;
	} else if (a->open) {
		analyze_print(a, ev->sample, true);
		a->open = false;
	}
}

__attribute__((format(printf, 1, 2)))
static int analyze_usage_error(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	fprintf(stderr, "safectl: analyze: ");
	vfprintf(stderr, format, ap);
	fprintf(stderr, "\n%s", ANALYZE_USAGE);
	va_end(ap);
	return 2;
}

int cmd_analyze(int argc, char **argv)
{
	static const struct option options[] = {
		{ "law", required_argument, NULL, 'l' },
		{ "hook", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct analysis a = { .json = &safectl_json && safectl_json };
	struct safeline_cid_params params = {
		.mode = SAFELINE_CID_DETECT,
		.hook = SAFELINE_HOOK_OFF,
		.report = analyze_event,
		.user = &a,
	};
	enum dsp_format format = DSP_FORMAT_ULAW;
	struct safeline_cid cid;
	uint8_t buf[4096];
	int16_t amp[sizeof(buf) / 2];
	uint64_t samples = 0;
	size_t have = 0, i;
	const char *path;
	ssize_t n;
	int c, fd;

	optind = 0;	/* reinitialise getopt: safectl may have parsed before us */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hj", options, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (dsp_parse_format(optarg, &format))
				return analyze_usage_error("unknown law '%s'", optarg);
			break;
		case 'H':
			if (dsp_parse_hook(optarg, &params.hook))
				return analyze_usage_error("unknown hook state '%s'", optarg);
			break;
		case 'j':
			a.json = true;
			break;
		case 'h':
			fputs(ANALYZE_USAGE, stdout);
			return 0;
		default:
			return analyze_usage_error("bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return analyze_usage_error("%s", optind < argc ? "too many arguments" : "no FILE given");
	path = argv[optind];
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		fprintf(stderr, "safectl: analyze: %s: %s\n", path, strerror(errno));
		return 1;
	}

	params.law = dsp_format_law(format);
	safeline_cid_init(&cid, &params);
	if (a.json) {
		json_init(&a.w, stdout, &safectl_pretty && safectl_pretty);
		json_open_array(&a.w, NULL);
	}
	for (;;) {
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "safectl: analyze: %s: %s\n", path, strerror(errno));
			if (fd != STDIN_FILENO)
				close(fd);
			return 1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (format != DSP_FORMAT_S16) {
			safeline_cid_rx(&cid, buf, (int)have);
			samples += have;
			have = 0;
			continue;
		}
		for (i = 0; i < have / 2; i++)
			amp[i] = (int16_t)(buf[2 * i] | buf[2 * i + 1] << 8);
		safeline_cid_rx_linear(&cid, amp, (int)(have / 2));
		samples += have / 2;
		memmove(buf, buf + (have & ~(size_t)1), have & 1);
		have &= 1;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (a.open)
		analyze_print(&a, samples, false);
	if (a.json)
		json_close_array(&a.w);
	else if (!a.spills)
		printf("no caller-ID spill found in %.3f s\n", samples / 8000.0);
	return 0;
}
