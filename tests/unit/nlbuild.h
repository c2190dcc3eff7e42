/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand-built generic netlink datagrams as safeline.ko and nlctrl send them,
 * for the agent's parser tests and its benchmark. Header-only.
 */
#ifndef SAFELINE_TESTS_NLBUILD_H
#define SAFELINE_TESTS_NLBUILD_H

#include <stdint.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/safeline.h>

struct nlbuf {
	union {
		uint8_t b[65536];
		uint64_t align;
	};
	size_t len;	/* bytes of whole messages */
	size_t msg;	/* where the open message starts */
};

static inline void nl_begin(struct nlbuf *m, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = (void *)(m->b + m->len);
	struct genlmsghdr *gh = (void *)(m->b + m->len + NLMSG_HDRLEN);

	m->msg = m->len;
	memset(nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	gh->cmd = cmd;
	gh->version = SAFELINE_GENL_VERSION;
	m->len += NLMSG_HDRLEN + GENL_HDRLEN;
}

static inline void nl_put(struct nlbuf *m, uint16_t type, const void *data, uint16_t n)
{
	struct nlattr *a = (void *)(m->b + m->len);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + n);
	memcpy(m->b + m->len + NLA_HDRLEN, data, n);
	memset(m->b + m->len + NLA_HDRLEN + n, 0, NLA_ALIGN(n) - n);
	m->len += NLA_ALIGN(a->nla_len);
}

static inline void nl_u8(struct nlbuf *m, uint16_t t, uint8_t v) { nl_put(m, t, &v, 1); }
static inline void nl_u32(struct nlbuf *m, uint16_t t, uint32_t v) { nl_put(m, t, &v, 4); }
static inline void nl_u64(struct nlbuf *m, uint16_t t, uint64_t v) { nl_put(m, t, &v, 8); }

static inline void nl_end(struct nlbuf *m)
{
	((struct nlmsghdr *)(m->b + m->msg))->nlmsg_len = (uint32_t)(m->len - m->msg);
}

/* the attributes every event carries, in the kernel's order */
static inline void nl_event_head(struct nlbuf *m, uint16_t family, uint8_t type, uint64_t seq,
				 uint64_t t_ns, uint32_t channo, uint8_t role)
{
	nl_begin(m, family, SAFELINE_CMD_EVENT);
	nl_u8(m, SAFELINE_EVENT_A_TYPE, type);
	nl_u64(m, SAFELINE_EVENT_A_SEQ, seq);
	nl_u64(m, SAFELINE_EVENT_A_TIME_NS, t_ns);
	nl_u32(m, SAFELINE_EVENT_A_CHANNO, channo);
	nl_u32(m, SAFELINE_EVENT_A_SPANNO, 2);
	nl_u8(m, SAFELINE_EVENT_A_ROLE, role);
	nl_u8(m, SAFELINE_EVENT_A_POLICY, SAFELINE_POLICY_SUPPRESS);
}

static inline void nl_event(struct nlbuf *m, uint16_t family, uint8_t type, uint64_t seq,
			    uint64_t t_ns, uint32_t channo)
{
	nl_event_head(m, family, type, seq, t_ns, channo, SAFELINE_ROLE_FXO_PORT);
	nl_end(m);
}

static inline void nl_spill(struct nlbuf *m, uint16_t family, uint64_t seq, uint64_t t_ns,
			    uint32_t channo, uint8_t kind, uint8_t muted)
{
	nl_event_head(m, family, SAFELINE_EVENT_SPILL, seq, t_ns, channo, SAFELINE_ROLE_FXO_PORT);
	nl_u8(m, SAFELINE_EVENT_A_SPILL_KIND, kind);
	nl_u8(m, SAFELINE_EVENT_A_SPILL_MUTED, muted);
	nl_u32(m, SAFELINE_EVENT_A_DURATION_MS, 600);
	nl_end(m);
}

/* nlctrl's NEWFAMILY/DELFAMILY notification for family name */
static inline void nl_ctrl(struct nlbuf *m, uint8_t cmd, const char *name)
{
	nl_begin(m, GENL_ID_CTRL, cmd);
	nl_put(m, CTRL_ATTR_FAMILY_NAME, name, (uint16_t)(strlen(name) + 1));
	nl_end(m);
}

#endif
