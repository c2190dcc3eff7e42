// SPDX-License-Identifier: GPL-2.0
/*
 * The verification line at run time. Every few seconds (and at once after
 * a connect or a reload) it makes sure safeline.ko has our table and the
 * verify policy on the configured channels, loading them again when the
 * module lost them (reloaded, or a policy push overwrote the channel), and
 * reads the channels' verdict counters: a new OURS is an alert, a new
 * WITHHELD a successful verification. Counters rather than events: they
 * survive a missed event, a full event queue and an agent restart.
 *
 * The key is fresh from getrandom() at every load, lives on the stack for
 * the length of one request and is wiped with it; it is never stored,
 * logged or sent anywhere but the kernel. Uses its own netlink socket.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/random.h>
#include <systemd/sd-daemon.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safelined/manager.h"
#include "agent/safelined/verify.h"
#include "agent/shared/log.h"
#include "agent/shared/util.h"

#define POLL_USEC (5 * 1000000ULL)
#define MAX_CHANNELS 64		/* verify channels watched: one line, or a few */

DEFINE_CLEANUP_FUNC(struct nl_msg, nlmsg_free)

struct watched {
	uint32_t channo;
	bool seen;			/* counters below are a baseline */
	uint64_t counts[3];		/* WITHHELD, NOT_OURS, OURS as last read */
	bool refused;			/* SET_POLICY refused: said once */
};

static struct {
	Manager *m;
	sd_event_source *timer;
	struct safeline_genl g;		/* our own socket; g.sock NULL when closed */
	bool loaded;			/* the kernel has our table (as far as we know) */
	uint32_t loaded_count;
	struct verify_state st;
	bool warned_overdue;
	struct watched ch[MAX_CHANNELS];
	size_t nch;
	uint32_t release[MAX_CHANNELS];	/* left the verify section: back to their policy */
	size_t nrelease;
} v;

static const struct conf_verify *conf(void)
{
	return &v.m->conf.verify;
}

static void save_state(void)
{
	int r = verify_state_save(v.m->conf.store_path, &v.st);

	if (r < 0)
		log_warning_errno(r, "Cannot record the verification state: %m");
}

static void notify_status(void)
{
	char text[320];

	if (manager_status_text(v.m, text, sizeof(text)) == 0)
		sd_notifyf(false, "STATUS=%s", text);
}

/* one attribute-parsing step of a reply, for safeline_genl_transact() */
struct reply {
	int maxattr;
	int (*take)(struct nlattr **tb, void *arg);
	void *arg;
};

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[64];
	struct reply *rp = arg;

	if (rp->maxattr >= (int)ELEMENTSOF(tb) || genlmsg_parse(nlmsg_hdr(msg), 0, tb, rp->maxattr, NULL) < 0)
		return -EBADMSG;
	return rp->take(tb, rp->arg);
}

static int take_hashes(struct nlattr **tb, void *arg)
{
	if (!tb[SAFELINE_STATUS_A_VERIFY_HASHES])
		return -EPROTO;	/* a module without the verify policy */
	*(uint32_t *)arg = nla_get_u32(tb[SAFELINE_STATUS_A_VERIFY_HASHES]);
	return 0;
}

struct chan_reading {
	uint8_t role, policy;
	uint64_t counts[3];
};

static int take_channel(struct nlattr **tb, void *arg)
{
	static const int attrs[3] = {
		SAFELINE_CHANNEL_A_VERIFY_WITHHELD, SAFELINE_CHANNEL_A_VERIFY_NOT_OURS,
		SAFELINE_CHANNEL_A_VERIFY_OURS,
	};
	struct chan_reading *c = arg;
	int i;

	if (!tb[SAFELINE_CHANNEL_A_ROLE] || !tb[SAFELINE_CHANNEL_A_POLICY])
		return -EBADMSG;
	c->role = nla_get_u8(tb[SAFELINE_CHANNEL_A_ROLE]);
	c->policy = nla_get_u8(tb[SAFELINE_CHANNEL_A_POLICY]);
	for (i = 0; i < 3; i++) {
		if (!tb[attrs[i]])
			return -EPROTO;
		c->counts[i] = nla_get_u64(tb[attrs[i]]);
	}
	return 0;
}

static int take_nothing(struct nlattr **tb, void *arg)
{
	return 0;
}

static int ask(struct nl_msg *msg, int maxattr, int (*take)(struct nlattr **, void *),
	       void *arg)
{
	struct reply rp = { .maxattr = maxattr, .take = take, .arg = arg };

	return safeline_genl_transact(&v.g, msg, on_reply, &rp);
}

static int read_hash_count(uint32_t *n)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg =
		safeline_genl_new_request(&v.g, SAFELINE_CMD_GET_STATUS, NLM_F_ACK);

	return msg ? ask(msg, SAFELINE_STATUS_A_MAX, take_hashes, n) : -ENOMEM;
}

/* Hashes the own numbers under a fresh key and loads them; every copy is wiped. */
static int load_table(void)
{
	struct nl_msg *msg;
	uint8_t key[VERIFY_KEY_BYTES];
	uint64_t hashes[CONF_VERIFY_MAX_NUMBERS];
	size_t n = 0;
	int r;

	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		return -errno;
	if (conf()->enabled)
		n = verify_hashes(conf(), key, hashes);
	msg = safeline_genl_new_request(&v.g, SAFELINE_CMD_SET_VERIFY, NLM_F_ACK);
	r = msg ? 0 : -ENOMEM;
	if (!r && (nla_put(msg, SAFELINE_VERIFY_A_KEY, sizeof(key), key) < 0 ||
		   nla_put(msg, SAFELINE_VERIFY_A_HASHES, (int)(n * sizeof(hashes[0])), hashes) < 0 ||
		   nla_put_u8(msg, SAFELINE_VERIFY_A_SUFFIX_DIGITS, conf()->suffix_digits) < 0))
		r = -ENOBUFS;
	explicit_bzero(key, sizeof(key));
	explicit_bzero(hashes, sizeof(hashes));
	if (!r)
		r = ask(msg, SAFELINE_VERIFY_A_MAX, take_nothing, NULL);
	if (msg) {
		/* the message buffer held key and hashes too */
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
	}
	if (r < 0)
		return r;
	v.loaded = true;
	v.loaded_count = (uint32_t)n;
	log_info("Loaded %zu own-number hash(es) for caller-ID verification", n);
	return 0;
}

static int set_policy(uint32_t channo, uint8_t policy)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg =
		safeline_genl_new_request(&v.g, SAFELINE_CMD_SET_POLICY, NLM_F_ACK);

	if (!msg || nla_put_u32(msg, SAFELINE_POLICY_A_CHANNO, channo) < 0 ||
	    nla_put_u8(msg, SAFELINE_POLICY_A_POLICY, policy) < 0)
		return -ENOMEM;
	return ask(msg, SAFELINE_POLICY_A_MAX, take_nothing, NULL);
}

static int read_channel(uint32_t channo, struct chan_reading *c)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg =
		safeline_genl_new_request(&v.g, SAFELINE_CMD_GET_CHANNEL, NLM_F_ACK);

	if (!msg || nla_put_u32(msg, SAFELINE_CHANNEL_A_CHANNO, channo) < 0)
		return -ENOMEM;
	return ask(msg, SAFELINE_CHANNEL_A_MAX, take_channel, c);
}

/* New verdicts on one channel since the last reading, as a mask of 1 << result. */
static unsigned int judge(struct watched *w, const struct chan_reading *c)
{
	unsigned int mask = 0;
	int i;

	for (i = 0; i < 3; i++)
		if (c->counts[i] < w->counts[i])
			w->seen = false;	/* counters reset or module reloaded */
	if (w->seen)
		for (i = 0; i < 3; i++)
			if (c->counts[i] > w->counts[i])
				mask |= 1u << (VERIFY_RESULT_WITHHELD + i);
	/* the first reading is a baseline: verdicts from before we watched are not news */
	memcpy(w->counts, c->counts, sizeof(w->counts));
	w->seen = true;
	if (mask & (1u << VERIFY_RESULT_OURS))
		log_internal(LOG_ALERT, 0, "Caller-ID verification FAILED on channel %" PRIu32
			     ": one of our own numbers was presented; outbound caller-ID blocking "
			     "no longer works", w->channo);
	if (mask & (1u << VERIFY_RESULT_WITHHELD))
		log_notice("Caller-ID verification passed on channel %" PRIu32 ": number withheld",
			   w->channo);
	if (mask & (1u << VERIFY_RESULT_NOT_OURS))
		log_info("Caller-ID verification call on channel %" PRIu32 " presented a number "
			 "that is not one of ours", w->channo);
	return mask;
}

/*
 * One poll's verdicts, whatever channel or order they came in: OURS
 * outranks a WITHHELD seen in the same poll, so a failure is never
 * cleared by a success it cannot be ordered against.
 */
static void record(unsigned int mask, time_t now)
{
	if (!mask)
		return;
	v.st.last_time = now;
	if (mask & (1u << VERIFY_RESULT_OURS)) {
		v.st.last_result = VERIFY_RESULT_OURS;
		v.st.failed = true;
	} else if (mask & (1u << VERIFY_RESULT_WITHHELD)) {
		v.st.last_result = VERIFY_RESULT_WITHHELD;
		v.st.last_ok = now;
		v.st.failed = false;
		v.warned_overdue = false;
	} else {
		v.st.last_result = VERIFY_RESULT_NOT_OURS;
	}
	save_state();
	notify_status();
}

static unsigned int watch_channel(struct watched *w)
{
	struct chan_reading c;
	int r = read_channel(w->channo, &c);

	if (r == -ENODEV)
		return 0;	/* not live (yet): its span is down */
	if (r < 0) {
		log_debug_errno(r, "Reading channel %" PRIu32 ": %m", w->channo);
		return 0;
	}
	if (c.policy != SAFELINE_POLICY_VERIFY) {
		r = set_policy(w->channo, SAFELINE_POLICY_VERIFY);
		if (r < 0 && !w->refused)
			log_error_errno(r, "Channel %" PRIu32 " refused the verify policy: %m%s%s%s",
					w->channo, *v.g.extack ? " (kernel: " : "", v.g.extack,
					*v.g.extack ? ")" : "");
		w->refused = r < 0;
		if (r == 0)
			log_info("Channel %" PRIu32 " is the verification line (policy verify)",
				 w->channo);
	}
	return judge(w, &c);
}

static void check_overdue(time_t now)
{
	if (verify_health(conf(), &v.st, now) != VERIFY_HEALTH_OVERDUE || v.warned_overdue)
		return;
	v.warned_overdue = true;
	if (conf()->interval_s % 86400)
		log_warning("No successful caller-ID verification within %" PRIu32 " s: schedule "
			    "a call to the verification line", conf()->interval_s);
	else
		log_warning("No successful caller-ID verification within %" PRIu32 " days: "
			    "schedule a call to the verification line", conf()->interval_s / 86400);
	notify_status();
}

static void poll_once(void)
{
	time_t now = time(NULL);
	unsigned int mask = 0;
	uint32_t n;
	size_t i;
	int r;

	if (!conf()->enabled && !v.loaded && !v.nrelease)
		return;
	if (!v.g.sock && safeline_genl_open(&v.g) < 0)
		return;		/* the module is away; the manager says so */
	r = read_hash_count(&n);
	if (r == -EPROTO) {
		log_error("The loaded safeline.ko has no verify policy; verification is off");
		goto reopen;
	}
	if (r < 0)
		goto reopen;	/* module reloaded: a new family id */
	if (!v.loaded || n != v.loaded_count) {
		r = load_table();
		if (r < 0) {
			log_error_errno(r, "Cannot load the own-number table: %m%s%s%s",
					*v.g.extack ? " (kernel: " : "", v.g.extack,
					*v.g.extack ? ")" : "");
			goto reopen;
		}
	}
	for (i = 0; i < v.nrelease; i++)
		set_policy(v.release[i], conf_policy_for(&v.m->conf, v.release[i]));
	v.nrelease = 0;
	if (!conf()->enabled) {
		v.loaded = false;	/* an empty table went in: nothing more to do */
		return;
	}
	for (i = 0; i < v.nch; i++)
		mask |= watch_channel(&v.ch[i]);
	record(mask, now);
	check_overdue(now);
	return;
reopen:
	v.loaded = false;
	safeline_genl_close(&v.g);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	poll_once();
	sd_event_source_set_time(s, usec + POLL_USEC);
	sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	return 0;
}

/* The channel list from the config; readings of channels kept are kept. */
static void set_channels(void)
{
	struct watched old[MAX_CHANNELS];
	size_t n = v.nch, i, j;
	uint32_t c;

	memcpy(old, v.ch, sizeof(old));
	v.nch = 0;
	for (j = 0; j < n; j++)
		if ((!conf()->enabled || old[j].channo < conf()->first ||
		     old[j].channo > conf()->last) && v.nrelease < MAX_CHANNELS)
			v.release[v.nrelease++] = old[j].channo;
	if (!conf()->enabled)
		return;
	for (c = conf()->first; c <= conf()->last && v.nch < MAX_CHANNELS; c++) {
		v.ch[v.nch] = (struct watched){ .channo = c };
		for (j = 0; j < n; j++)
			if (old[j].channo == c)
				v.ch[v.nch] = old[j];
		v.nch++;
	}
	if (conf()->last - conf()->first >= MAX_CHANNELS)
		log_warning("verify.channels: only the first %d channels are watched", MAX_CHANNELS);
	for (i = 0; i < v.nch; i++)
		v.ch[i].refused = false;
}

void verify_apply(Manager *m)
{
	v.m = m;
	set_channels();
	v.loaded = false;	/* a new key and table at every apply */
	if (!v.st.since && conf()->enabled) {
		v.st.since = time(NULL);
		save_state();
	}
	poll_once();
}

int verify_start(Manager *m)
{
	uint64_t now;
	int r;

	v.m = m;
	r = verify_state_load(m->conf.store_path, &v.st);
	if (r < 0 && r != -ENOENT)
		log_warning_errno(r, "Cannot read the verification state: %m, starting afresh");
	if (v.st.failed)
		log_internal(LOG_ALERT, 0, "Caller-ID verification had FAILED before this start: "
			     "one of our own numbers was presented; no verification passed since");
	r = sd_event_now(m->event, CLOCK_MONOTONIC, &now);
	if (r >= 0)
		r = sd_event_add_time(m->event, &v.timer, CLOCK_MONOTONIC, now + POLL_USEC, 0,
				      on_timer, NULL);
	if (r < 0)
		return log_error_errno(r, "Cannot schedule the verification poll: %m");
	set_channels();		/* the first poll or connect loads the kernel */
	if (!v.st.since && conf()->enabled) {
		v.st.since = time(NULL);
		save_state();
	}
	return 0;
}

void verify_stop(void)
{
	v.timer = sd_event_source_unref(v.timer);
	if (v.g.sock)
		safeline_genl_close(&v.g);
	v.m = NULL;
}

void verify_status_fields(Manager *m, FILE *out)
{
	enum verify_health h = verify_health(&m->conf.verify, &v.st, time(NULL));

	if (h == VERIFY_HEALTH_OFF)
		return;		/* no verify section: the record stays as it was */
	fprintf(out, " verify=%s verify_channels=%" PRIu32 "-%" PRIu32 " verify_interval_s=%" PRIu32
		" verify_last_ok=%" PRId64 " verify_last_result=%s verify_last_time=%" PRId64,
		verify_health_name(h), m->conf.verify.first, m->conf.verify.last, m->conf.verify.interval_s,
		v.st.last_ok, verify_result_name(v.st.last_result), v.st.last_time);
}

void verify_status_text(Manager *m, char *buf, size_t size)
{
	enum verify_health h = verify_health(&m->conf.verify, &v.st, time(NULL));
	static const char *const text[] = {
		[VERIFY_HEALTH_OFF] = "",
		[VERIFY_HEALTH_OK] = "; caller-ID verification ok",
		[VERIFY_HEALTH_PENDING] = "; caller-ID verification pending",
		[VERIFY_HEALTH_FAILED] = "; CALLER-ID VERIFICATION FAILED: our number was presented",
		[VERIFY_HEALTH_OVERDUE] = "; caller-ID verification overdue",
	};

	snprintf(buf, size, "%s", text[h]);
}
