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

/* longest key a record field may have (longer ones are skipped) */
#define CTL_MAX_KEY 64

/*
 * The next key=value field of a record line at *p, which moves past it;
 * false at the end of the line. Values longer than vsize are cut.
 */
bool ctl_next_field(const char **p, char *key, size_t ksize, char *value, size_t vsize);

/* The value of key in the record line (up to '\n'), copied to buf; false if absent. */
bool ctl_field(const char *line, const char *key, char *buf, size_t size);

/* Each key=value of one record line as members of w's open object (yes/no:
 * booleans, digits: numbers, the rest strings). */
void ctl_json_fields(struct json_writer *w, const char *line);

/* Every record as a JSON array of objects, on stdout. */
void ctl_print_json(const char *body);

/*
 * A listing: sends request (also the error messages' object) and prints the
 * records as JSON under -j, else with print_table(). Returns the exit status.
 */
int ctl_list(const char *request, void (*print_table)(const char *body));

/* Local "YYYY-MM-DD HH:MM" of wall-clock seconds given as text ("-" for 0);
 * buf may be seconds itself. */
void ctl_format_time(const char *seconds, char *buf, size_t size);

#endif
