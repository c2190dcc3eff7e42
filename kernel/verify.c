// SPDX-License-Identifier: GPL-2.0
/*
 * The verify policy: the agency's own numbers as keyed hashes (one table,
 * replaced whole) and a verifier per channel under the policy that checks
 * each call's caller ID against them. Only verdicts leave this file; the
 * key, the hashes and the digits never do.
 */

#include <linux/build_bug.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "verify.h"
#include "dsp/verify.h"

/*
 * A call may carry two messages (DTMF before the ring and FSK after it, as
 * KPN sends): its verdict waits until the PBX answers or the line was quiet
 * this long, longer than any ring cadence's pause.
 */
static unsigned int verify_gap_ms = 8000;
module_param(verify_gap_ms, uint, 0644);
MODULE_PARM_DESC(verify_gap_ms,
		 "Verify channels: quiet on-hook time (ms) that ends a call's verdict (default 8000)");

/* What SET_VERIFY loaded; under table_lock. */
struct verify_table {
	u8 key[SAFELINE_SIPHASH_KEY_BYTES];
	u64 hashes[SAFELINE_VERIFY_HASHES];
	unsigned int n;
	unsigned int suffix_digits;
};

static DEFINE_MUTEX(table_lock);	/* the table and the verifier list */
static struct verify_table table;
static LIST_HEAD(verifiers);

struct safeline_verifier {
	spinlock_t lock;		/* the tick vs. a new table */
	struct list_head node;		/* on verifiers, under table_lock */
	struct safeline_verify dsp;	/* holds a copy of the table */
	u8 worst;			/* this call's verdict so far, 0 none */
	u8 worst_kind;
	unsigned int quiet_ms;		/* since the last ring or message */
};

/* The DSP's verdict numbers are the uapi's (verify.h). */
static_assert(SAFELINE_VERIFY_WITHHELD == 1 && SAFELINE_VERIFY_NOT_OURS == 2 &&
	      SAFELINE_VERIFY_OURS == SAFELINE_VERIFY_RESULTS);
static_assert(SAFELINE_VERIFY_BELL202_SDMF == 1 && SAFELINE_VERIFY_DTMF == 5);
static_assert(SAFELINE_VERIFY_HASHES == 16 && SAFELINE_VERIFY_DIGITS == 32);

/* Runs inside safeline_verify_rx_linear(), in the tick: worst of the call wins. */
static void on_report(void *user, const struct safeline_verify_report *r)
{
	struct safeline_verifier *v = user;

	if (r->outcome > v->worst) {
		v->worst = r->outcome;
		v->worst_kind = r->kind;
	}
	v->quiet_ms = 0;
}

/* Under table_lock and v->lock: forget everything, start on the current table. */
static void restart(struct safeline_verifier *v)
{
	struct safeline_verify_params p = {
		.law = SAFELINE_LAW_ULAW,	/* unused: the tick feeds linear samples */
		.nhashes = table.n,
		.suffix_digits = table.suffix_digits,
		.report = on_report,
		.user = v,
	};

	memcpy(p.key, table.key, sizeof(p.key));
	memcpy(p.hashes, table.hashes, sizeof(p.hashes));
	safeline_verify_forget(&v->dsp);
	safeline_verify_init(&v->dsp, &p);
	memzero_explicit(&p, sizeof(p));
	v->worst = 0;
	v->worst_kind = 0;
	v->quiet_ms = 0;
}

void safeline_verify_set_table(const u8 *key, const u64 *hashes, unsigned int n,
			       unsigned int suffix_digits)
{
	struct safeline_verifier *v;
	unsigned long flags;

	if (n > SAFELINE_VERIFY_HASHES)
		n = SAFELINE_VERIFY_HASHES;
	mutex_lock(&table_lock);
	memzero_explicit(&table, sizeof(table));
	memcpy(table.key, key, sizeof(table.key));
	memcpy(table.hashes, hashes, n * sizeof(*hashes));
	table.n = n;
	table.suffix_digits = suffix_digits;
	list_for_each_entry(v, &verifiers, node) {
		spin_lock_irqsave(&v->lock, flags);
		restart(v);
		spin_unlock_irqrestore(&v->lock, flags);
	}
	mutex_unlock(&table_lock);
}

unsigned int safeline_verify_table_size(void)
{
	unsigned int n;

	mutex_lock(&table_lock);
	n = table.n;
	mutex_unlock(&table_lock);
	return n;
}

struct safeline_verifier *safeline_verifier_new(void)
{
	struct safeline_verifier *v = kzalloc(sizeof(*v), GFP_KERNEL);

	if (!v)
		return NULL;
	spin_lock_init(&v->lock);
	mutex_lock(&table_lock);
	restart(v);		/* not yet visible to any tick: no v->lock needed */
	list_add(&v->node, &verifiers);
	mutex_unlock(&table_lock);
	return v;
}

void safeline_verifier_free(struct safeline_verifier *v)
{
	if (!v)
		return;
	mutex_lock(&table_lock);
	list_del(&v->node);
	mutex_unlock(&table_lock);
	safeline_verify_forget(&v->dsp);
	memzero_explicit(v, sizeof(*v));
	kfree(v);
}

void safeline_verifier_chunk(struct safeline_verifier *v, const u8 *chunk, int len,
			     bool alaw, enum safeline_suppress_hook hook,
			     const struct safeline_verify_sink *sink)
{
	const int16_t *expand = alaw ? safeline_g711_alaw_to_linear :
				       safeline_g711_ulaw_to_linear;
	int16_t amp[8];
	unsigned long flags;
	u8 result = 0, kind = 0;
	int i, n;

	spin_lock_irqsave(&v->lock, flags);
	if (hook == SAFELINE_SUPPRESS_RINGING)
		v->quiet_ms = 0;
	while (len > 0) {
		n = min_t(int, len, ARRAY_SIZE(amp));
		for (i = 0; i < n; i++)
			amp[i] = expand[chunk[i]];
		safeline_verify_rx_linear(&v->dsp, amp, n);
		chunk += n;
		len -= n;
	}
	if (v->worst && v->quiet_ms < UINT_MAX)
		v->quiet_ms++;
	if (v->worst && (hook == SAFELINE_SUPPRESS_OFF_HOOK ||
			 v->quiet_ms >= READ_ONCE(verify_gap_ms))) {
		result = v->worst;
		kind = v->worst_kind;
		v->worst = 0;
	}
	spin_unlock_irqrestore(&v->lock, flags);
	memzero_explicit(amp, sizeof(amp));
	if (result)
		safeline_verify_report(sink, result, kind);
}

void safeline_verify_uninit(void)
{
	mutex_lock(&table_lock);
	WARN_ON(!list_empty(&verifiers));
	memzero_explicit(&table, sizeof(table));
	mutex_unlock(&table_lock);
}
