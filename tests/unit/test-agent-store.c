// SPDX-License-Identifier: GPL-2.0
/*
 * The call store on a real tmpfs (/dev/shm): refusal off tmpfs, modes, rows
 * and daily aggregates as recorded, crash safety (a torn tail, a corrupt
 * record, a torn aggregate update), restart, no digit in any store file, and
 * wipes that leave exactly what should stay. Each claim is checked against a
 * baseline taken before the damage or the wipe.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "agent/safelined/store.h"
#include "tests/unit/ktap.h"

static struct ktap k;
static char dir[] = "/dev/shm/safeline-store-XXXXXX";
static char store_path[4200];
static const struct store_options minute = { .resolution_s = 60, .aggregate_days = 7 };

#define N_CALLS 50
#define T0 1790000000	/* a fixed wall-clock second, so the test never depends on today */

static struct call_event events[N_CALLS];

static void make_events(void)
{
	int i, j;

	srandom(5);
	for (i = 0; i < N_CALLS; i++) {
		struct call_event *e = &events[i];

		e->channo = 1 + (uint32_t)(random() % 24);
		e->direction = CALL_DIRECTION_INCOMING;
		e->ring_s = T0 + i * 97 + random() % 50;
		e->answer_s = i % 3 ? e->ring_s + 1 + random() % 20 : 0;
		e->end_s = (e->answer_s ? e->answer_s : e->ring_s) + 5 + random() % 300;
		for (j = 0; j < CALL_SUPPRESSED_KINDS; j++)
			e->suppressed[j] = (uint16_t)(random() % 3);
	}
}

struct seen {
	size_t n, match, rounded;
};

static int check_row(const struct call_row *row, void *data)
{
	struct seen *s = data;
	const struct call_event *e = &events[s->n % N_CALLS];

	if (row->channo == e->channo && row->answered == (e->answer_s != 0) &&
	    row->ring_s <= e->ring_s && e->ring_s - row->ring_s < 60 &&
	    row->end_s <= e->end_s && e->end_s - row->end_s < 60 &&
	    memcmp(row->suppressed, e->suppressed, sizeof(row->suppressed)) == 0)
		s->match++;
	if (row->ring_s % 60 == 0 && row->end_s % 60 == 0 && row->answer_s % 60 == 0)
		s->rounded++;
	s->n++;
	return 0;
}

static size_t count_digits_in(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t digits = 0;
	char buf[4096];
	ssize_t n, i;

	if (fd < 0)
		return (size_t)-1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			digits += buf[i] >= '0' && buf[i] <= '9';
	close(fd);
	return digits;
}

/* digits in every file of the store directory, and in the names too */
static size_t count_digits(size_t *files)
{
	char path[8500];
	struct dirent *de;
	size_t digits = 0;
	DIR *d = opendir(store_path);

	*files = 0;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", store_path, de->d_name);
		digits += count_digits_in(path) + (strpbrk(de->d_name, "0123456789") != NULL);
		(*files)++;
	}
	if (d)
		closedir(d);
	return digits;
}

static off_t file_size(const char *name)
{
	char path[8500];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", store_path, name);
	return stat(path, &st) == 0 ? st.st_size : -1;
}

static mode_t file_mode(const char *name)
{
	char path[8500];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", store_path, name);
	return stat(path, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;
}

static void refuses_non_tmpfs(void)
{
	char other[] = "/var/tmp/safeline-store-XXXXXX", sub[64];
	struct store *s = NULL;
	struct statfs sfs;
	int r;

	if (!mkdtemp(other) || statfs(other, &sfs) < 0 || sfs.f_type == TMPFS_MAGIC) {
		ktap_skip(&k, "no non-tmpfs directory to try", "a store off tmpfs is refused");
	} else {
		snprintf(sub, sizeof(sub), "%s/store", other);
		r = store_open(&s, sub, &minute);
		ktap_ok(&k, r == -EMEDIUMTYPE && !s, "a store off tmpfs is refused (%d)", r);
		rmdir(sub);
	}
	rmdir(other);
}

static void record_and_read(void)
{
	struct store *s = NULL;
	struct store_counts c;
	struct day_row *days = NULL;
	struct seen seen = { 0 };
	uint32_t calls = 0, answered = 0, missed = 0;
	uint64_t total = 0;
	size_t n = 0, i;
	int r, fails = 0;

	mkdir(store_path, 0755);	/* too open: the store must close it */
	r = store_open(&s, store_path, &minute);
	ktap_ok(&k, r == 0, "a store on tmpfs opens (control for the refusal)");
	if (r < 0)
		exit(ktap_exit(&k));
	ktap_ok(&k, file_mode(".") == 0700 && file_mode("calls") == 0600 &&
		file_mode("daily") == 0600, "directory 0700 (was 0755), files 0600");
	for (i = 0; i < N_CALLS; i++)
		fails += store_record_event(s, &events[i]) < 0;
	ktap_ok(&k, fails == 0, "%d calls recorded", N_CALLS);
	store_foreach_call(s, check_row, &seen);
	ktap_ok(&k, seen.n == N_CALLS && seen.match == N_CALLS,
		"every row reads back as recorded (%zu of %zu)", seen.match, seen.n);
	ktap_ok(&k, seen.rounded == N_CALLS, "every stored time is rounded to the minute");

	for (i = 0; i < N_CALLS; i++) {
		calls++;
		if (events[i].answer_s) {
			answered++;
			total += (uint64_t)(events[i].end_s - events[i].answer_s);
		} else {
			missed++;
		}
	}
	store_days(s, &days, &n);
	ktap_ok(&k, n == 1 && days[0].calls == calls && days[0].answered == answered &&
		days[0].missed == missed && days[0].total_s == total,
		"daily aggregate: %u calls, %u answered, %u missed, total duration", calls,
		answered, missed);
	free(days);
	store_close(s);

	s = NULL;
	r = store_open(&s, store_path, &minute);
	seen = (struct seen){ 0 };
	if (r == 0)
		store_foreach_call(s, check_row, &seen);
	store_count(s, &c);
	ktap_ok(&k, r == 0 && seen.match == N_CALLS && c.days == 1,
		"a restart keeps the rows and the aggregate");
	store_close(s);
}

static void no_digits(void)
{
	char decoy[8500];
	size_t files, digits;
	int fd;

	digits = count_digits(&files);
	ktap_ok(&k, digits == 0 && files == 2, "no digit in %zu store files", files);
	snprintf(decoy, sizeof(decoy), "%s/decoy", store_path);
	fd = open(decoy, O_WRONLY | O_CREAT, 0600);
	if (write(fd, "x7y", 3) != 3)
		perror("write");
	close(fd);
	digits = count_digits(&files);
	ktap_ok(&k, digits == 1, "control: the same scan finds a planted digit");
	unlink(decoy);
}

static void damage(const char *name, off_t off, const void *bytes, size_t len, bool truncate)
{
	char path[8500];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", store_path, name);
	fd = open(path, O_WRONLY);
	if (pwrite(fd, bytes, len, off) != (ssize_t)len)
		perror("pwrite");
	if (truncate && ftruncate(fd, off + (off_t)len) < 0)
		perror("ftruncate");
	close(fd);
}

static void crash_safety(void)
{
	struct store *s = NULL;
	struct store_counts c;
	struct day_row *days = NULL;
	struct seen seen = { 0 };
	size_t n = 0;
	off_t size = file_size("calls");
	uint32_t calls_before;
	int r;

	/* a crash mid-append: half a record at the end */
	damage("calls", size, "Caghij", 6, true);
	ktap_ok(&k, file_size("calls") % CALL_ROW_SIZE != 0, "baseline: a torn tail is there");
	r = store_open(&s, store_path, &minute);
	store_count(s, &c);
	ktap_ok(&k, r == 0 && c.rows == N_CALLS && c.corrupt == 0 &&
		file_size("calls") == size,
		"a torn tail is dropped on open, all %zu older rows intact", c.rows);
	store_close(s);

	/* a flipped byte in row 10: that row alone is lost */
	damage("calls", 10 * CALL_ROW_SIZE + 40, "z", 1, false);
	r = store_open(&s, store_path, &minute);
	store_foreach_call(s, check_row, &seen);
	store_count(s, &c);
	ktap_ok(&k, r == 0 && c.rows == N_CALLS - 1 && c.corrupt == 1,
		"a corrupt record is skipped: %zu rows readable, %zu corrupt", c.rows, c.corrupt);
	/* rows after the corrupt one are read at their own offsets */
	ktap_ok(&k, seen.n == N_CALLS - 1, "the rows after it stay readable (%zu)", seen.n);

	/* a torn aggregate update: the newest slot of the day is damaged */
	store_days(s, &days, &n);
	calls_before = n ? days[0].calls : 0;
	free(days);
	store_close(s);
	damage("daily", (N_CALLS & 1) * DAY_ROW_SIZE + 5, "zz", 2, false);
	r = store_open(&s, store_path, &minute);
	store_days(s, &days, &n);
	ktap_ok(&k, r == 0 && n == 1 && calls_before == N_CALLS && days[0].calls == N_CALLS - 1,
		"a torn aggregate update falls back to the previous copy (%u, was %u)",
		n ? days[0].calls : 0, calls_before);
	free(days);
	store_close(s);
}

static void wipes(void)
{
	struct store *s = NULL;
	struct store_wipe_result w;
	struct store_counts c;
	size_t files, young = 0, i;
	time_t now;
	int r;

	/* start over, then rows of known ages: ended 10 min to ~8 h before now */
	r = store_open(&s, store_path, &minute);
	r = r ?: store_wipe(s, STORE_WIPE_ALL, T0, 3600, &w);
	now = T0 + 9 * 3600;
	for (i = 0; i < N_CALLS && r == 0; i++) {
		events[i].end_s = now - 600 - (time_t)i * 580;
		events[i].ring_s = events[i].end_s - 100;
		events[i].answer_s = 0;
		/* max age 4h; rounding down to the minute only makes rows older */
		young += now - (events[i].end_s - events[i].end_s % 60) < 4 * 3600;
		r = store_record_event(s, &events[i]);
	}
	if (r < 0)
		printf("# %s\n", strerror(-r));
	ktap_ok(&k, r == 0, "baseline: %d rows of known ages", N_CALLS);
	r = store_wipe(s, STORE_WIPE_EXPIRED, now, 4 * 3600, &w);
	store_count(s, &c);
	ktap_ok(&k, r == 0 && w.rows_kept == young && w.rows_wiped == N_CALLS - young &&
		c.rows == young && c.corrupt == 0,
		"wipe by max age keeps the %zu young rows, wipes %zu", young, w.rows_wiped);
	ktap_ok(&k, young > 0 && young < N_CALLS, "control: some rows are young, some old");

	r = store_wipe(s, STORE_WIPE_EXPIRED, now - 48 * 3600, 4 * 3600, &w);
	ktap_ok(&k, r == 0 && w.rows_wiped == young,
		"after the clock jumps back two days, rows from its future are wiped too");

	for (i = 0; i < 5; i++)
		store_record_event(s, &events[i]);
	r = store_wipe(s, STORE_WIPE_ALL, now, 4 * 3600, &w);
	store_count(s, &c);
	ktap_ok(&k, r == 0 && w.rows_wiped == 5 && c.rows == 0 && c.days == 0 &&
		file_size("calls") == 0 && file_size("daily") == 0,
		"wipe all leaves empty files (%zu rows, %zu days wiped)", w.rows_wiped,
		w.days_wiped);
	ktap_ok(&k, count_digits(&files) == 0 && files == 2,
		"no temporary file or digit left behind");
	store_close(s);
}

static int count_on_the_hour(const struct call_row *row, void *data)
{
	size_t *n = data;

	*n += row->ring_s % 3600 == 0 && row->answer_s % 3600 == 0 && row->end_s % 3600 == 0;
	return 0;
}

static void hour_resolution(void)
{
	const struct store_options hour = { .resolution_s = 3600, .aggregate_days = 7 };
	struct store *s = NULL;
	struct store_wipe_result w;
	size_t on_hour = 0, off_hour = 0, i;
	int r;

	for (i = 0; i < N_CALLS; i++)
		off_hour += events[i].end_s % 3600 != 0;
	r = store_open(&s, store_path, &hour);
	for (i = 0; i < N_CALLS && r == 0; i++)
		r = store_record_event(s, &events[i]);
	store_foreach_call(s, count_on_the_hour, &on_hour);
	ktap_ok(&k, r == 0 && on_hour == N_CALLS && off_hour > 0,
		"hour resolution: all %zu rows on the hour (%zu events were not)", on_hour,
		off_hour);
	store_wipe(s, STORE_WIPE_ALL, T0, 60, &w);
	store_close(s);
}

static void records(void)
{
	struct call_row row = { .channo = 17, .direction = CALL_DIRECTION_INCOMING,
				.answered = true, .ring_s = T0, .answer_s = T0 + 60,
				.end_s = T0 + 600, .suppressed = { 1, 0, 2, 0 } }, back;
	char rec[CALL_ROW_SIZE], bad[CALL_ROW_SIZE];
	size_t i, letters = 0, caught = 0;
	int y, m, d, dates_ok = 0, dates = 0;
	time_t t;

	ktap_ok(&k, crc32_of("123456789", 9) == 0xcbf43926u, "CRC-32 check value");
	for (i = 0; i < CALL_ID_BYTES; i++)
		row.id[i] = (uint8_t)(i * 37);
	call_row_encode(&row, rec);
	for (i = 0; i < CALL_ROW_SIZE; i++)
		letters += (rec[i] >= 'a' && rec[i] <= 'p') || (i == 0 && rec[i] == 'C') ||
			   (i == CALL_ROW_SIZE - 1 && rec[i] == '\n');
	memset(&back, 0, sizeof(back));
	ktap_ok(&k, call_row_decode(rec, &back) == 0 && (call_row_encode(&back, bad), 1) &&
		memcmp(rec, bad, sizeof(rec)) == 0 && back.channo == 17 && back.answered &&
		back.end_s == T0 + 600 && back.suppressed[2] == 2 && back.id[3] == 3 * 37 &&
		letters == CALL_ROW_SIZE,
		"a row round-trips and is written in letters only (%zu of %d)", letters,
		CALL_ROW_SIZE);
	for (i = 0; i < CALL_ROW_SIZE; i++) {
		memcpy(bad, rec, sizeof(bad));
		bad[i] = bad[i] == 'b' ? 'c' : 'b';
		caught += call_row_decode(bad, &back) == -EBADMSG;
	}
	ktap_ok(&k, caught == CALL_ROW_SIZE, "every single changed byte is caught (%zu of %d)",
		caught, CALL_ROW_SIZE);
	for (t = T0; t < T0 + 400 * 86400; t += 86400 + 3671) {
		struct tm tm;

		localtime_r(&t, &tm);
		store_day_to_date(store_local_day(t), &y, &m, &d);
		dates++;
		dates_ok += y == tm.tm_year + 1900 && m == tm.tm_mon + 1 && d == tm.tm_mday;
	}
	ktap_ok(&k, dates > 300 && dates_ok == dates,
		"day numbers convert back to the local date (%d of %d)", dates_ok, dates);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(store_path, sizeof(store_path), "%s/store", dir);
	make_events();
	ktap_plan(&k, 26);
	records();
	refuses_non_tmpfs();
	record_and_read();
	no_digits();
	crash_safety();
	wipes();
	hour_resolution();
	unlink(strcat(store_path, "/calls"));
	store_path[strlen(store_path) - 6] = '\0';
	unlink(strcat(store_path, "/daily"));
	store_path[strlen(store_path) - 6] = '\0';
	rmdir(store_path);
	rmdir(dir);
	return ktap_exit(&k);
}
