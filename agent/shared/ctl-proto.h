/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket between safectl and safelined: a Unix stream socket.
 * The client sends one request line, "<action>[ <argument>]\n", and reads
 * until end of file. The reply's first line is "ok" or "error <reason>";
 * the lines after it are records of space-separated key=value pairs. Who may
 * ask what is decided by the peer's credentials (SO_PEERCRED/SO_PEERGROUPS),
 * never by anything in the request.
 */
#ifndef SAFELINE_CTL_PROTO_H
#define SAFELINE_CTL_PROTO_H

#define SAFELINE_CTL_SOCKET "/run/safeline.sock"
/* safectl and tests may point elsewhere */
#define SAFELINE_CTL_SOCKET_ENV "SAFELINE_SOCKET"
#define CTL_MAX_REQUEST 256

enum ctl_action {
	CTL_ACTION_STATUS,	/* the agent's state: store counts, schedule */
	CTL_ACTION_CHANNELS,	/* channel policies as configured */
	CTL_ACTION_REPORT,	/* daily aggregates */
	CTL_ACTION_CALLS,	/* per-call rows */
	CTL_ACTION_WIPE,	/* "wipe expired" or "wipe all" */
	CTL_ACTION_RELOAD,	/* re-read the config */
	CTL_ACTIONS
};

#endif
