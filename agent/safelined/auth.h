/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may do what on the control socket. root and members of the admin
 * group may do everything; members of the view group may read status,
 * channels and the aggregate report; everyone else is refused. The decision
 * is a pure function of the peer's uid and groups, tested as a matrix.
 */
#ifndef SAFELINED_AUTH_H
#define SAFELINED_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "agent/safelined/conf.h"
#include "agent/shared/ctl-proto.h"

#define AUTH_MAX_GROUPS 64

enum ctl_access {
	CTL_ACCESS_NONE,
	CTL_ACCESS_VIEW,
	CTL_ACCESS_ADMIN,
};

struct peer_cred {
	pid_t pid;
	uid_t uid;
	gid_t gid;				/* primary group */
	gid_t groups[AUTH_MAX_GROUPS];		/* supplementary groups */
	size_t n_groups;
};

enum ctl_access auth_access(const struct peer_cred *p, const struct conf_group *admin,
			    const struct conf_group *view);
bool auth_allows(enum ctl_access access, enum ctl_action action);
/* actions that change or reveal call-level data, which the journal audits */
bool auth_is_admin_action(enum ctl_action action);

/* The kernel's view of the peer of a connected Unix socket. */
int auth_peer_cred(int fd, struct peer_cred *p);

const char *ctl_action_name(enum ctl_action action);
/* -1 when unknown */
int ctl_action_from_name(const char *name);

#endif
