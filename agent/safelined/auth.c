// SPDX-License-Identifier: GPL-2.0
/* The control socket's authorisation: see auth.h. */
#include <errno.h>
#include <sys/socket.h>

#include "agent/safelined/auth.h"
#include "agent/shared/util.h"

static const char *const action_names[CTL_ACTIONS] = {
	[CTL_ACTION_STATUS] = "status",
	[CTL_ACTION_CHANNELS] = "channels",
	[CTL_ACTION_REPORT] = "report",
	[CTL_ACTION_CALLS] = "calls",
	[CTL_ACTION_WIPE] = "wipe",
	[CTL_ACTION_RELOAD] = "reload",
};

const char *ctl_action_name(enum ctl_action action)
{
	return (unsigned int)action < CTL_ACTIONS ? action_names[action] : "?";
}

int ctl_action_from_name(const char *name)
{
	int i;

	for (i = 0; i < CTL_ACTIONS; i++)
		if (streq(action_names[i], name))
			return i;
	return -1;
}

static bool in_group(const struct peer_cred *p, const struct conf_group *g)
{
	size_t i;

	if (!g->set)
		return false;
	if (p->gid == g->gid)
		return true;
	for (i = 0; i < p->n_groups; i++)
		if (p->groups[i] == g->gid)
			return true;
	return false;
}

enum ctl_access auth_access(const struct peer_cred *p, const struct conf_group *admin,
			    const struct conf_group *view)
{
	if (p->uid == 0 || in_group(p, admin))
		return CTL_ACCESS_ADMIN;
	if (in_group(p, view))
		return CTL_ACCESS_VIEW;
	return CTL_ACCESS_NONE;
}

bool auth_is_admin_action(enum ctl_action action)
{
	return action == CTL_ACTION_CALLS || action == CTL_ACTION_WIPE ||
	       action == CTL_ACTION_RELOAD;
}

bool auth_allows(enum ctl_access access, enum ctl_action action)
{
	if ((unsigned int)action >= CTL_ACTIONS)
		return false;
	switch (access) {
	case CTL_ACCESS_ADMIN:
		return true;
	case CTL_ACCESS_VIEW:
		return !auth_is_admin_action(action);
	default:
		return false;
	}
}

int auth_peer_cred(int fd, struct peer_cred *p)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0)
		return -errno;
	p->pid = uc.pid;
	p->uid = uc.uid;
	p->gid = uc.gid;
	len = sizeof(p->groups);
	/* a peer in more groups than we keep gets only the primary group: less access */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, p->groups, &len) < 0)
		len = 0;
	p->n_groups = len / sizeof(gid_t);
	return 0;
}
