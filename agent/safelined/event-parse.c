// SPDX-License-Identifier: GPL-2.0
/*
 * Strict reading of event datagrams (see event-parse.h). Lengths are checked
 * exactly per attribute rather than with libnl's minimum lengths: a u32
 * where a u8 belongs is a broken sender, not something to guess at.
 */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/safeline.h>

#include "agent/safelined/event-parse.h"
#include "agent/shared/util.h"

/* exact payload size of each event attribute; 0: not ours to read */
static const uint8_t event_attr_size[SAFELINE_EVENT_A_MAX + 1] = {
	[SAFELINE_EVENT_A_TYPE] = 1,
	[SAFELINE_EVENT_A_SEQ] = 8,
	[SAFELINE_EVENT_A_TIME_NS] = 8,
	[SAFELINE_EVENT_A_CHANNO] = 4,
	[SAFELINE_EVENT_A_SPANNO] = 4,
	[SAFELINE_EVENT_A_ROLE] = 1,
	[SAFELINE_EVENT_A_POLICY] = 1,
	[SAFELINE_EVENT_A_DROPPED] = 4,
	[SAFELINE_EVENT_A_SPILL_KIND] = 1,
	[SAFELINE_EVENT_A_SPILL_MUTED] = 1,
	[SAFELINE_EVENT_A_DURATION_MS] = 4,
	[SAFELINE_EVENT_A_VERIFY_RESULT] = 1,
	[SAFELINE_EVENT_A_VERIFY_STANDARD] = 1,
};

#define REQUIRED ((1u << SAFELINE_EVENT_A_TYPE) | (1u << SAFELINE_EVENT_A_SEQ) |	\
		  (1u << SAFELINE_EVENT_A_TIME_NS) | (1u << SAFELINE_EVENT_A_CHANNO) |	\
		  (1u << SAFELINE_EVENT_A_SPANNO) | (1u << SAFELINE_EVENT_A_ROLE) |	\
		  (1u << SAFELINE_EVENT_A_POLICY))
#define SPILL_REQUIRED ((1u << SAFELINE_EVENT_A_SPILL_KIND) |			\
			(1u << SAFELINE_EVENT_A_SPILL_MUTED) |			\
			(1u << SAFELINE_EVENT_A_DURATION_MS))

static uint64_t get_uint(const void *p, size_t n)
{
	uint8_t u8;
	uint32_t u32;
	uint64_t u64;

	switch (n) {
	case 1: memcpy(&u8, p, 1); return u8;
	case 4: memcpy(&u32, p, 4); return u32;
	default: memcpy(&u64, p, 8); return u64;
	}
}

/* walks attributes from p, len bytes; calls fn per attribute; -EBADMSG on a bad layout */
static int for_each_attr(const uint8_t *p, size_t len,
			 int (*fn)(uint16_t type, const void *data, size_t n, void *arg), void *arg)
{
	while (len > 0) {
		struct nlattr a;
		int r;

		if (len < NLA_HDRLEN)
			return -EBADMSG;
		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len)
			return -EBADMSG;
		r = fn(a.nla_type & NLA_TYPE_MASK, p + NLA_HDRLEN, a.nla_len - NLA_HDRLEN, arg);
		if (r < 0)
			return r;
		if ((size_t)NLA_ALIGN(a.nla_len) >= len)
			break;
		p += NLA_ALIGN(a.nla_len);
		len -= NLA_ALIGN(a.nla_len);
	}
	return 0;
}

struct event_attrs {
	struct kernel_event ev;
	uint32_t seen;
};

static int event_attr(uint16_t type, const void *data, size_t n, void *arg)
{
	struct event_attrs *e = arg;
	uint64_t v;

	if (type > SAFELINE_EVENT_A_MAX || !event_attr_size[type])
		return 0;	/* newer attribute, or padding */
	if (n != event_attr_size[type] || (e->seen & (1u << type)))
		return -EBADMSG;
	e->seen |= 1u << type;
	v = get_uint(data, n);
	switch (type) {
	case SAFELINE_EVENT_A_TYPE: e->ev.type = (uint8_t)v; break;
	case SAFELINE_EVENT_A_SEQ: e->ev.seq = v; break;
	case SAFELINE_EVENT_A_TIME_NS: e->ev.time_ns = v; break;
	case SAFELINE_EVENT_A_CHANNO: e->ev.channo = (uint32_t)v; break;
	case SAFELINE_EVENT_A_SPANNO: e->ev.spanno = (uint32_t)v; break;
	case SAFELINE_EVENT_A_ROLE: e->ev.role = (uint8_t)v; break;
	case SAFELINE_EVENT_A_POLICY: e->ev.policy = (uint8_t)v; break;
	case SAFELINE_EVENT_A_DROPPED: e->ev.dropped = (uint32_t)v; break;
	case SAFELINE_EVENT_A_SPILL_KIND: e->ev.spill_kind = (uint8_t)v; break;
	case SAFELINE_EVENT_A_SPILL_MUTED: e->ev.spill_muted = (uint8_t)v; break;
	case SAFELINE_EVENT_A_DURATION_MS: e->ev.duration_ms = (uint32_t)v; break;
	}
	return 0;
}

static int parse_event(struct event_sink *s, const uint8_t *attrs, size_t len)
{
	struct event_attrs e = { 0 };

	if (for_each_attr(attrs, len, event_attr, &e) < 0 || (e.seen & REQUIRED) != REQUIRED ||
	    e.ev.type == SAFELINE_EVENT_UNSPEC || e.ev.seq == 0)
		return -EBADMSG;
	if (e.ev.type == SAFELINE_EVENT_SPILL &&
	    ((e.seen & SPILL_REQUIRED) != SPILL_REQUIRED ||
	     e.ev.spill_kind > SAFELINE_SPILL_DTMF || e.ev.spill_muted > 1))
		return -EBADMSG;
	if (s->event)
		s->event(&e.ev, s->data);
	return 0;
}

struct ctrl_attrs {
	bool ours;
	bool bad;
};

static int ctrl_attr(uint16_t type, const void *data, size_t n, void *arg)
{
	struct ctrl_attrs *c = arg;

	if (type != CTRL_ATTR_FAMILY_NAME)
		return 0;
	if (n == 0 || ((const char *)data)[n - 1] != '\0')
		return -EBADMSG;
	c->ours = streq(data, SAFELINE_GENL_NAME);
	return 0;
}

static int parse_ctrl(struct event_sink *s, uint8_t cmd, const uint8_t *attrs, size_t len)
{
	struct ctrl_attrs c = { 0 };

	if (cmd != CTRL_CMD_NEWFAMILY && cmd != CTRL_CMD_DELFAMILY)
		return 0;	/* new/removed ops or groups of some family */
	if (for_each_attr(attrs, len, ctrl_attr, &c) < 0)
		return -EBADMSG;
	if (c.ours && s->family_change)
		s->family_change(cmd == CTRL_CMD_NEWFAMILY, s->data);
	return 0;
}

int event_parse_message(struct event_sink *s, const void *msg, size_t len)
{
	const uint8_t *p = msg;
	struct nlmsghdr nlh;
	struct genlmsghdr gh;
	int r = 0;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN)
		goto bad;
	memcpy(&nlh, p, sizeof(nlh));
	if (nlh.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || nlh.nlmsg_len > len)
		goto bad;
	memcpy(&gh, p + NLMSG_HDRLEN, sizeof(gh));
	p += NLMSG_HDRLEN + GENL_HDRLEN;
	len = nlh.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	if (s->family && nlh.nlmsg_type == s->family) {
		if (gh.cmd != SAFELINE_CMD_EVENT)
			goto bad;
		r = parse_event(s, p, len);
	} else if (nlh.nlmsg_type == GENL_ID_CTRL) {
		r = parse_ctrl(s, gh.cmd, p, len);
	}
	if (r == 0)
		return 0;
bad:
	s->malformed++;
	return -EBADMSG;
}

void event_parse_datagram(struct event_sink *s, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len >= NLMSG_HDRLEN) {
		struct nlmsghdr nlh;

		memcpy(&nlh, p, sizeof(nlh));
		if (nlh.nlmsg_len < NLMSG_HDRLEN || nlh.nlmsg_len > len)
			break;
		event_parse_message(s, p, nlh.nlmsg_len);
		if (NLMSG_ALIGN(nlh.nlmsg_len) >= len)
			return;
		p += NLMSG_ALIGN(nlh.nlmsg_len);
		len -= NLMSG_ALIGN(nlh.nlmsg_len);
	}
	if (len > 0)
		s->malformed++;
}
