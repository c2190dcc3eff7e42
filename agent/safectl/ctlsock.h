/* SPDX-License-Identifier: GPL-2.0 */
/*
 * safectl's transport to safelined: the control socket (protocol in
 * agent/shared/ctl-proto.h), kept apart from the genl transport. Replies are
 * lines of key=value records; the helpers here read and print them.
 */
#ifndef SAFECTL_CTLSOCK_H
#define SAFECTL_CTLSOCK_H

#include <stdbool.h>
#include <stddef.h>

struct json_writer;

/* how long an agent that accepted may take to answer (a stopped one never does) */
#define CTL_TIMEOUT_S 30

enum ctl_state {
	CTL_ANSWERED,	/* "ok": body holds the records */
	CTL_ABSENT,	/* no socket, or nobody listening on it */
	CTL_FAILED,	/* refused, broken or silent: why says so */
};

struct ctl_reply {
	enum ctl_state state;
	bool reached;	/* connected: an agent runs, whatever it answered */
	char *body;	/* CTL_ANSWERED: the records (free() it) */
	char why[256];	/* otherwise: the reason, for "safectl: <object>: ..." */
};

/* Sends request and reads the reply into r, printing nothing. */
void ctl_request(const char *request, int timeout_s, struct ctl_reply *r);

/*
 * ctl_request() for commands that need the agent: on success returns
 * SAFECTL_EXIT_OK and *body holds the records (free() it); otherwise prints
 * "safectl: <object>: ..." and returns SAFECTL_EXIT_FAILED.
 */
int ctl_call(const char *object, const char *request, char **body);

/* The value of key in the record line (up to '\n'), copied to buf; false if absent. */
bool ctl_field(const char *line, const char *key, char *buf, size_t size);

/* Each key=value of one record line as members of w's open object (yes/no:
 * booleans, digits: numbers, the rest strings). */
void ctl_json_fields(struct json_writer *w, const char *line);

/* Every record as a JSON array of objects, on stdout. */
void ctl_print_json(const char *body);

/* Local "YYYY-MM-DD HH:MM" of wall-clock seconds given as text ("-" for 0). */
void ctl_format_time(const char *seconds, char *buf, size_t size);

#endif
