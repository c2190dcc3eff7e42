// SPDX-License-Identifier: GPL-2.0
/*
 * The call store on tmpfs: see store.h for the format and the crash and
 * wipe guarantees. Only this file touches the store's files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "agent/safelined/store.h"
#include "agent/shared/util.h"

#define CALLS "calls"
#define DAILY "daily"
#define TEMP_SUFFIX ".new"
#define CHUNK_ROWS 256

struct day_slot {
	struct day_row row;
	size_t pair;		/* the day's two slots are 2 * pair and 2 * pair + 1 */
};

struct store {
	int dirfd;
	/*
	 * Not O_APPEND: Linux's pwrite() ignores the offset on O_APPEND files,
	 * and scrubbing must overwrite in place. We are the only writer, so
	 * rows go at calls_size, the end of the whole records.
	 */
	int calls_fd;
	off_t calls_size;
	int64_t oldest_end_s;	/* of the rows in calls, 0 when none */
	int daily_fd;
	struct store_options o;
	struct day_slot *days;	/* in file order, which is day order */
	size_t n_days, cap_days, next_pair;
};

int32_t store_local_day(time_t t)
{
	struct tm tm;
	int y, m, d, era;
	unsigned int yoe, doy, doe;

	if (!localtime_r(&t, &tm))
		return 0;
	/* days from civil (proleptic Gregorian), March-based years */
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	d = tm.tm_mday;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (unsigned int)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

/* overwrites fd's data with zeros, checks it reads back so, then empties it */
static int scrub_fd(int fd)
{
	static const char zeros[65536];
	char buf[65536];
	struct stat st;
	off_t off;
	ssize_t n;
	size_t i;

	if (fstat(fd, &st) < 0)
		return -errno;
	for (off = 0; off < st.st_size; off += n) {
		size_t len = (size_t)(st.st_size - off) < sizeof(zeros) ?
			     (size_t)(st.st_size - off) : sizeof(zeros);

		n = pwrite(fd, zeros, len, off);
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
	}
	for (off = 0; off < st.st_size; off += n) {
		n = pread(fd, buf, sizeof(buf), off);
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		for (i = 0; i < (size_t)n; i++)
			if (buf[i])
				return -EIO;
	}
	if (ftruncate(fd, 0) < 0)
		return -errno;
	return 0;
}

/* scrubs and unlinks a file by name; a missing file is fine */
static int scrub_unlink(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW), r;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = scrub_fd(fd);
	close(fd);
	if (unlinkat(dirfd, name, 0) < 0 && r == 0)
		r = -errno;
	return r;
}

static int open_file(int dirfd, const char *name, int flags)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | flags, 0600);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    fchmod(fd, 0600) < 0) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* a crash can leave part of a record at the end: scrub it and cut it off */
static int drop_torn_tail(int fd, size_t record_size, off_t *size)
{
	static const char zeros[CALL_ROW_SIZE > DAY_ROW_SIZE ? CALL_ROW_SIZE : DAY_ROW_SIZE];
	struct stat st;
	off_t whole;

	if (fstat(fd, &st) < 0)
		return -errno;
	whole = st.st_size - st.st_size % (off_t)record_size;
	if (whole != st.st_size) {
		if (pwrite(fd, zeros, (size_t)(st.st_size - whole), whole) < 0 ||
		    ftruncate(fd, whole) < 0)
			return -errno;
	}
	*size = whole;
	return 0;
}

static int read_full(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

static struct day_slot *find_day(struct store *s, int32_t day)
{
	size_t i = s->n_days;

	while (i--)	/* today is nearly always the last */
		if (s->days[i].row.day == day)
			return &s->days[i];
	return NULL;
}

static struct day_slot *add_day(struct store *s, int32_t day, size_t pair)
{
	struct day_slot *d;

	if (s->n_days == s->cap_days) {
		size_t cap = s->cap_days ? 2 * s->cap_days : 64;

		d = realloc(s->days, cap * sizeof(*d));
		if (!d)
			return NULL;
		s->days = d;
		s->cap_days = cap;
	}
	d = &s->days[s->n_days++];
	*d = (struct day_slot){ .row.day = day, .pair = pair };
	if (pair >= s->next_pair)
		s->next_pair = pair + 1;
	return d;
}

static int load_days(struct store *s)
{
	char rec[DAY_ROW_SIZE];
	struct day_slot *d;
	struct day_row row;
	off_t size, off;
	int r;

	r = drop_torn_tail(s->daily_fd, DAY_ROW_SIZE, &size);
	if (r < 0)
		return r;
	for (off = 0; off < size; off += DAY_ROW_SIZE) {
		r = read_full(s->daily_fd, rec, DAY_ROW_SIZE, off);
		if (r < 0)
			return r;
		if (day_row_decode(rec, &row) < 0)
			continue;	/* a torn update: the other slot holds the day */
		d = find_day(s, row.day);
		if (!d && !(d = add_day(s, row.day, (size_t)(off / DAY_ROW_SIZE) / 2)))
			return -ENOMEM;
		if (row.seq >= d->row.seq)
			d->row = row;
	}
	return 0;
}

static int refresh_oldest(struct store *s);

int store_open(struct store **ret, const char *path, const struct store_options *o)
{
	struct statfs sfs;
	struct stat st;
	struct store *s;
	int r;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->calls_fd = s->daily_fd = -1;
	s->o = *o;
	s->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (s->dirfd < 0) {
		r = -errno;
		goto fail;
	}
	r = -errno;
	if (fstatfs(s->dirfd, &sfs) < 0 || fstat(s->dirfd, &st) < 0)
		goto fail;
	r = -EMEDIUMTYPE;
	if (sfs.f_type != TMPFS_MAGIC)
		goto fail;
	r = -EPERM;
	if (st.st_uid != geteuid() || fchmod(s->dirfd, 0700) < 0)
		goto fail;
	/* a wipe that crashed can leave copies of rows behind */
	if ((r = scrub_unlink(s->dirfd, CALLS TEMP_SUFFIX)) < 0 ||
	    (r = scrub_unlink(s->dirfd, DAILY TEMP_SUFFIX)) < 0)
		goto fail;
	s->calls_fd = r = open_file(s->dirfd, CALLS, 0);
	if (r < 0)
		goto fail;
	r = drop_torn_tail(s->calls_fd, CALL_ROW_SIZE, &s->calls_size);
	if (r < 0)
		goto fail;
	s->daily_fd = r = open_file(s->dirfd, DAILY, 0);
	if (r < 0)
		goto fail;
	r = load_days(s);
	if (r < 0)
		goto fail;
	r = refresh_oldest(s);
	if (r < 0)
		goto fail;
	*ret = s;
	return 0;
fail:
	store_close(s);
	return r;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->calls_fd >= 0)
		close(s->calls_fd);
	if (s->daily_fd >= 0)
		close(s->daily_fd);
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s->days);
	free(s);
}

void store_set_options(struct store *s, const struct store_options *o)
{
	s->o = *o;
}

static int64_t round_down(int64_t t, unsigned int res)
{
	return res ? t - ((t % res) + res) % res : t;
}

static int write_day(struct store *s, struct day_slot *d, const struct day_row *row)
{
	char rec[DAY_ROW_SIZE];
	off_t slot = (off_t)(2 * d->pair + (row->seq & 1));

	day_row_encode(row, rec);
	if (pwrite(s->daily_fd, rec, DAY_ROW_SIZE, slot * DAY_ROW_SIZE) != DAY_ROW_SIZE)
		return errno ? -errno : -EIO;
	d->row = *row;
	return 0;
}

static int count_in_day(struct store *s, const struct call_event *ev)
{
	int32_t day = store_local_day((time_t)ev->ring_s);
	struct day_slot *d = find_day(s, day);
	struct day_row row;

	if (!d && !(d = add_day(s, day, s->next_pair)))
		return -ENOMEM;
	row = d->row;
	row.seq++;
	row.calls++;
	if (ev->answer_s) {
		row.answered++;
		if (ev->end_s > ev->answer_s)
			row.total_s += (uint64_t)(ev->end_s - ev->answer_s);
	} else {
		row.missed++;
	}
	return write_day(s, d, &row);
}

int store_record_event(struct store *s, const struct call_event *ev)
{
	static const char zeros[CALL_ROW_SIZE];
	char rec[CALL_ROW_SIZE];
	struct call_row row = {
		.channo = ev->channo,
		.direction = (uint8_t)ev->direction,
		.answered = ev->answer_s != 0,
		.incomplete = ev->incomplete,
		.ring_s = round_down(ev->ring_s, s->o.resolution_s),
		.answer_s = ev->answer_s ? round_down(ev->answer_s, s->o.resolution_s) : 0,
		.end_s = round_down(ev->end_s, s->o.resolution_s),
	};
	ssize_t n;

	memcpy(row.suppressed, ev->suppressed, sizeof(row.suppressed));
	if (getrandom(row.id, sizeof(row.id), 0) != (ssize_t)sizeof(row.id))
		return -errno;
	call_row_encode(&row, rec);
	n = pwrite(s->calls_fd, rec, CALL_ROW_SIZE, s->calls_size);
	if (n != CALL_ROW_SIZE) {
		int r = n < 0 ? -errno : -EIO;

		/* keep the file whole-records-only for the next append */
		if (n > 0 && (pwrite(s->calls_fd, zeros, (size_t)n, s->calls_size) < 0 ||
			      ftruncate(s->calls_fd, s->calls_size) < 0))
			return -errno;
		return r;
	}
	s->calls_size += CALL_ROW_SIZE;
	if (!s->oldest_end_s || row.end_s < s->oldest_end_s)
		s->oldest_end_s = row.end_s;
	return count_in_day(s, ev);
}

/* calls fn(record index, decoded row or NULL when unreadable, data) per record */
static int scan_calls(int fd, off_t size,
		      int (*fn)(const struct call_row *row, const char *raw, void *data),
		      void *data)
{
	char *buf = malloc((size_t)CHUNK_ROWS * CALL_ROW_SIZE);
	struct call_row row;
	off_t off;
	size_t i, len;
	int r = 0;

	if (!buf)
		return -ENOMEM;
	for (off = 0; off < size && r == 0; off += (off_t)len) {
		len = (size_t)(size - off) < (size_t)CHUNK_ROWS * CALL_ROW_SIZE ?
		      (size_t)(size - off) : (size_t)CHUNK_ROWS * CALL_ROW_SIZE;
		r = read_full(fd, buf, len, off);
		for (i = 0; r == 0 && i < len; i += CALL_ROW_SIZE)
			r = fn(call_row_decode(buf + i, &row) == 0 ? &row : NULL, buf + i, data);
	}
	free(buf);
	return r < 0 ? r : 0;
}

struct foreach_ctx {
	int (*fn)(const struct call_row *row, void *data);
	void *data;
};

static int foreach_one(const struct call_row *row, const char *raw, void *data)
{
	struct foreach_ctx *c = data;

	return row ? c->fn(row, c->data) : 0;
}

int store_foreach_call(struct store *s, int (*fn)(const struct call_row *row, void *data),
		       void *data)
{
	struct foreach_ctx c = { fn, data };

	return scan_calls(s->calls_fd, s->calls_size, foreach_one, &c);
}

static int count_one(const struct call_row *row, const char *raw, void *data)
{
	struct store_counts *c = data;

	if (!row) {
		c->corrupt++;
		return 0;
	}
	if (!c->rows || row->end_s < c->oldest_end_s)
		c->oldest_end_s = row->end_s;
	c->rows++;
	return 0;
}

int store_count(struct store *s, struct store_counts *c)
{
	*c = (struct store_counts){ .days = s->n_days };
	return scan_calls(s->calls_fd, s->calls_size, count_one, c);
}

static int refresh_oldest(struct store *s)
{
	struct store_counts c;
	int r = store_count(s, &c);

	s->oldest_end_s = r < 0 ? 0 : c.oldest_end_s;
	return r;
}

int64_t store_oldest_end(const struct store *s)
{
	return s->oldest_end_s;
}

/* days since 1970-01-01 to a proleptic Gregorian date (the inverse of store_local_day) */
void store_day_to_date(int32_t day, int *year, int *month, int *mday)
{
	int z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned int doe = (unsigned int)(z - era * 146097);
	unsigned int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned int mp = (5 * doy + 2) / 153;

	*mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)yoe + era * 400 + (*month <= 2);
}

int store_days(struct store *s, struct day_row **days, size_t *n)
{
	size_t i;

	*days = calloc(s->n_days ? s->n_days : 1, sizeof(**days));
	if (!*days)
		return -ENOMEM;
	for (i = 0; i < s->n_days; i++)
		(*days)[i] = s->days[i].row;
	*n = s->n_days;
	return 0;
}

/*
 * Puts the temporary file tmp_fd (already holding what stays) in place of
 * name, then scrubs the replaced file through *fd and switches *fd to the
 * new one.
 */
static int replace_file(struct store *s, const char *name, int *fd, int tmp_fd)
{
	char tmp[32];
	struct stat st;
	int r;

	snprintf(tmp, sizeof(tmp), "%s" TEMP_SUFFIX, name);
	if (renameat(s->dirfd, tmp, s->dirfd, name) < 0) {
		r = -errno;
		close(tmp_fd);
		scrub_unlink(s->dirfd, tmp);
		return r;
	}
	r = scrub_fd(*fd);
	if (r == 0 && (fstat(*fd, &st) < 0 || st.st_nlink != 0))
		r = -EIO;	/* the old data must be gone from the directory too */
	close(*fd);
	*fd = tmp_fd;
	return r;
}

struct keep_ctx {
	int fd;			/* temporary file */
	enum store_wipe_what what;
	time_t now;
	uint32_t max_age_s;
	struct store_wipe_result *res;
	char *out;		/* pending kept records */
	size_t out_len;
	bool verify;		/* second pass: every record must be kept */
	bool bad;
};

static bool keep_row(const struct keep_ctx *c, const struct call_row *row)
{
	int64_t age;

	if (c->what != STORE_WIPE_EXPIRED)
		return false;
	age = (int64_t)c->now - row->end_s;
	return age < (int64_t)c->max_age_s && -age <= (int64_t)c->max_age_s;
}

static int flush_kept(struct keep_ctx *c)
{
	if (c->out_len && write(c->fd, c->out, c->out_len) != (ssize_t)c->out_len)
		return errno ? -errno : -EIO;
	c->out_len = 0;
	return 0;
}

static int keep_one(const struct call_row *row, const char *raw, void *data)
{
	struct keep_ctx *c = data;

	if (c->verify) {
		if (!row || !keep_row(c, row))
			c->bad = true;
		return 0;
	}
	if (!row || !keep_row(c, row)) {
		c->res->rows_wiped += row != NULL;
		return 0;
	}
	c->res->rows_kept++;
	memcpy(c->out + c->out_len, raw, CALL_ROW_SIZE);
	c->out_len += CALL_ROW_SIZE;
	return c->out_len == (size_t)CHUNK_ROWS * CALL_ROW_SIZE ? flush_kept(c) : 0;
}

static int wipe_calls(struct store *s, struct keep_ctx *c)
{
	char tmp[] = CALLS TEMP_SUFFIX;
	struct stat st;
	int r;

	c->fd = open_file(s->dirfd, tmp, O_EXCL);
	if (c->fd < 0)
		return c->fd;
	c->out = malloc((size_t)CHUNK_ROWS * CALL_ROW_SIZE);
	r = c->out ? scan_calls(s->calls_fd, s->calls_size, keep_one, c) : -ENOMEM;
	if (r == 0)
		r = flush_kept(c);
	free(c->out);
	if (r < 0) {
		close(c->fd);
		scrub_unlink(s->dirfd, tmp);
		return r;
	}
	r = replace_file(s, CALLS, &s->calls_fd, c->fd);
	if (fstat(s->calls_fd, &st) < 0)
		return -errno;
	s->calls_size = st.st_size;
	if (r < 0)
		return r;
	/* check what stayed: exactly the rows meant to stay, all readable */
	c->verify = true;
	r = scan_calls(s->calls_fd, s->calls_size, keep_one, c);
	if (r == 0 && (c->bad || (size_t)(s->calls_size / CALL_ROW_SIZE) != c->res->rows_kept))
		r = -EIO;
	return r;
}

static int wipe_days(struct store *s, enum store_wipe_what what, time_t now,
		     struct store_wipe_result *res)
{
	int32_t first_kept = store_local_day(now) - (int32_t)s->o.aggregate_days + 1;
	char tmp[] = DAILY TEMP_SUFFIX, rec[DAY_ROW_SIZE];
	size_t i, kept = 0;
	int fd, r = 0;

	for (i = 0; i < s->n_days; i++)
		if (what != STORE_WIPE_ALL && s->days[i].row.day >= first_kept)
			kept++;
	res->days_kept = kept;
	res->days_wiped = s->n_days - kept;
	if (!res->days_wiped)
		return 0;
	fd = open_file(s->dirfd, tmp, O_EXCL);
	if (fd < 0)
		return fd;
	kept = 0;
	for (i = 0; i < s->n_days && r == 0; i++) {
		struct day_slot *d = &s->days[i];

		if (what == STORE_WIPE_ALL || d->row.day < first_kept)
			continue;
		day_row_encode(&d->row, rec);
		d->pair = kept;
		if (pwrite(fd, rec, DAY_ROW_SIZE,
			   (off_t)(2 * kept + (d->row.seq & 1)) * DAY_ROW_SIZE) != DAY_ROW_SIZE)
			r = errno ? -errno : -EIO;
		s->days[kept++] = *d;
	}
	if (r < 0) {
		close(fd);
		scrub_unlink(s->dirfd, tmp);
		return r;
	}
	s->n_days = kept;
	s->next_pair = kept;
	return replace_file(s, DAILY, &s->daily_fd, fd);
}

int store_wipe(struct store *s, enum store_wipe_what what, time_t now, uint32_t max_age_s,
	       struct store_wipe_result *res)
{
	struct keep_ctx c = {
		.what = what, .now = now, .max_age_s = max_age_s, .res = res,
	};
	int r;

	*res = (struct store_wipe_result){ 0 };
	r = wipe_calls(s, &c);
	refresh_oldest(s);
	if (r < 0)
		return r;
	return wipe_days(s, what, now, res);
}
