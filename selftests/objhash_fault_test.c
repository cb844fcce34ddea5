// SPDX-License-Identifier: GPL-2.0
/*
 * objhash under allocation-failure injection (failslab, fail_page_alloc).
 *
 * Each worker owns its keys and keeps a model of them (absent, or the
 * generation, length and version of the value it stored), so after every
 * call it can check exactly what the table must hold:
 *  - a call fails only with ENOMEM or its ordinary errno (EEXIST, ENOENT);
 *  - after a failed INSERT the key is absent or holds its previous whole
 *    value, with the previous version (nothing half-stored);
 *  - every LOOKUP returns the model's value, byte for byte.
 * At the end the table must hold exactly the model's objects, a PURGE_WAIT
 * must leave objects, bytes and pending_release at 0, the stats deltas must
 * match the successful calls, and kmemleak (if present) must report nothing
 * that mentions objhash.
 *
 * Faults are aimed at the test's own threads only:
 *  - nth_sweep: /proc/thread-self/fail-nth fails the Nth allocation of the
 *    next ioctl, for N = 1, 2, ... until the call goes through, on values
 *    of every allocation class (slab; a header from slab and the value's
 *    order-0 pages, fail_page_alloc's min-order lowered to 0 for them);
 *  - random_failslab_small: failslab with task-filter and make-it-fail set
 *    on the worker threads, values up to 2 KiB (slab only);
 *  - random_fail_page_alloc_large: fail_page_alloc (min-order 0) with
 *    task-filter, values of 8-16 KiB, kept in order-0 pages: a failed
 *    page is the insert's ENOMEM;
 *  - random_failslab_paged: failslab on values above PAGE_SIZE, so the
 *    header of a paged value fails.
 * verbose is set to 0 so the injection prints nothing to the console.
 *
 * Every test SKIPs when the kernel lacks the facility (e.g. the stock
 * kernel).  Knobs: OBJHASH_FAULT_SECONDS (random tests, default 5),
 * OBJHASH_FAULT_THREADS (default 2), OBJHASH_FAULT_SEED.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define DBGFS		"/sys/kernel/debug/"
#define FAILSLAB	DBGFS "failslab/"
#define FAILPAGE	DBGFS "fail_page_alloc/"
/*
 * CONFIG_FAULT_INJECTION_USERCOPY: fail-nth counts copies from and to
 * user memory too, so the sweep also fails an INSERT's copy-ins: EFAULT,
 * and the table must be unchanged.
 */
#define FAILUSERCOPY	DBGFS "fail_usercopy/"
#define KEYS_PER_WORKER	64
#define VALUE_MAX	(16 * 1024)
#define MAX_THREADS	16

static unsigned int opt_seconds = 5;
static unsigned int opt_threads = 2;
/* Floor per worker, and how long it may take to reach it. */
static unsigned long opt_ops = 100;
static unsigned int opt_deadline = 300;
static unsigned long long opt_seed;

/* ---- debugfs attributes ------------------------------------------------ */

static int file_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	err = errno;
	close(fd);
	return n < 0 ? -err : 0;
}

static int file_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static long long attr_read(const char *dir, const char *name)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), "%s%s", dir, name);
	if (file_read(path, buf, sizeof(buf)))
		return -1;
	if (buf[0] == 'Y')
		return 1;
	if (buf[0] == 'N')
		return 0;
	return strtoll(buf, NULL, 0);
}

static int attr_write(const char *dir, const char *name, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s%s", dir, name);
	return file_write(path, val);
}

/* Attributes a test changes, saved to be put back in teardown. */
static const char *const attr_names[] = {
	"probability", "interval", "times", "space", "verbose",
	"task-filter", "ignore-gfp-wait",
};

struct attr_save {
	char val[ARRAY_SIZE(attr_names)][64];
	bool saved;
};

static void attrs_save(const char *dir, struct attr_save *s)
{
	char path[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attr_names); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, attr_names[i]);
		if (file_read(path, s->val[i], sizeof(s->val[i])))
			return;
	}
	s->saved = true;
}

static void attrs_restore(const char *dir, const struct attr_save *s)
{
	size_t i;

	if (!s->saved)
		return;
	/* probability first: nothing fails while the rest goes back */
	attr_write(dir, "probability", "0");
	for (i = 0; i < ARRAY_SIZE(attr_names); i++)
		attr_write(dir, attr_names[i], s->val[i]);
}

/*
 * Arm @dir for the test's threads: task-filter on, sleeping allocations
 * included, no console output, @times failures at most.
 */
static int attrs_arm(const char *dir, int probability, long times)
{
	char buf[32];
	int ret;

	ret = attr_write(dir, "probability", "0") ?:
	      attr_write(dir, "verbose", "0") ?:
	      attr_write(dir, "task-filter", "Y") ?:
	      attr_write(dir, "ignore-gfp-wait", "N") ?:
	      attr_write(dir, "interval", "1") ?:
	      attr_write(dir, "space", "0");
	if (ret)
		return ret;
	snprintf(buf, sizeof(buf), "%ld", times);
	ret = attr_write(dir, "times", buf);
	if (ret)
		return ret;
	snprintf(buf, sizeof(buf), "%d", probability);
	return attr_write(dir, "probability", buf);
}

/* ---- per-thread fault switches ------------------------------------------ */

/* Open one of this thread's /proc files ("make-it-fail", "fail-nth"). */
static int thread_file_open(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%ld/%s",
		 (long)syscall(SYS_gettid), name);
	return open(path, O_RDWR);
}

static int fd_write_num(int fd, long v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%ld", v);

	return pwrite(fd, buf, n, 0) == n ? 0 : -errno;
}

static long fd_read_num(int fd)
{
	char buf[24];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 0);
}

/* ---- the model workload -------------------------------------------------- */

struct key_model {
	bool present;
	__u32 len;
	__u64 gen;
	__u64 version;
};

struct counts {
	unsigned long ops;
	unsigned long inserts_ok;
	unsigned long deletes_ok;	/* DELETE + LOOKUP_DELETE */
	unsigned long lookups;		/* LOOKUP calls, all reach the table */
	unsigned long hits;
	unsigned long enomem;		/* ENOMEM seen (INSERT) */
	unsigned long efault;		/* EFAULT from an injected usercopy */
	unsigned long injected_nth;	/* fail-nth faults consumed */
	unsigned long bad_errno;
	unsigned long half_stored;	/* state after ENOMEM differs */
	unsigned long wrong_value;
	char first_error[200];
};

struct worker {
	pthread_t tid;
	unsigned int id;
	int fd;
	__u64 rng;
	__u32 len_min, len_max;
	atomic_bool *stop;
	bool nth_sweep;			/* fail-nth each INSERT, else make-it-fail */
	bool armed;			/* make-it-fail was set */
	bool need_enomem;		/* floor: an insert failed ENOMEM */
	atomic_bool at_floor;		/* reached its floor */
	struct key_model keys[KEYS_PER_WORKER];
	unsigned char *wbuf, *rbuf, *cbuf;
	struct counts c;
};

static __u64 rng_next(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static unsigned int rng_below(__u64 *s, unsigned int n)
{
	return (unsigned int)((rng_next(s) >> 32) % n);
}

static void note_error(struct counts *c, const char *fmt, ...)
{
	va_list ap;

	if (c->first_error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(c->first_error, sizeof(c->first_error), fmt, ap);
	va_end(ap);
}

static unsigned int key_make(const struct worker *w, unsigned int k,
			     char *key)
{
	return sprintf(key, "fault-%d-%u-%u", getpid(), w->id, k);
}

static void value_make(unsigned char *buf, __u32 len, unsigned int wid,
		       unsigned int k, __u64 gen)
{
	__u64 s = gen * 0x9e3779b97f4a7c15ULL + (wid << 16) + k + 1;
	__u32 i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(rng_next(&s) >> 56);
}

/* Does the table hold exactly the model's state for key @k? */
static bool key_check(struct worker *w, unsigned int k, const char *what)
{
	struct key_model *m = &w->keys[k];
	char key[64];
	unsigned int klen = key_make(w, k, key);
	__u32 len = VALUE_MAX;
	__u64 version = 0;
	int ret;

	w->c.lookups++;
	ret = oh_lookup(w->fd, key, klen, w->rbuf, &len, 0, &version);
	if (ret == -ENOENT && !m->present)
		return true;
	if (ret && ret != -ENOENT) {
		w->c.bad_errno++;
		note_error(&w->c, "%s: LOOKUP: %s", what, strerror(-ret));
		return false;
	}
	if (!ret)
		w->c.hits++;
	if (ret == -ENOENT || !m->present) {
		w->c.wrong_value++;
		note_error(&w->c, "%s: key %u %s, model says %s", what, k,
			   ret ? "absent" : "present",
			   m->present ? "present" : "absent");
		return false;
	}
	value_make(w->cbuf, m->len, w->id, k, m->gen);
	if (len != m->len || version != m->version ||
	    memcmp(w->rbuf, w->cbuf, len)) {
		w->c.wrong_value++;
		note_error(&w->c, "%s: key %u: len %u version %llu, model %u %llu%s",
			   what, k, len, (unsigned long long)version, m->len,
			   (unsigned long long)m->version,
			   len == m->len && memcmp(w->rbuf, w->cbuf, len) ?
			   " (bytes differ)" : "");
		return false;
	}
	return true;
}

/* INSERT a fresh value into key @k, with fail-nth = @nth if > 0. */
static int do_insert(struct worker *w, unsigned int k, __u32 flags, int nth_fd,
		     long nth, bool *injected)
{
	struct key_model *m = &w->keys[k];
	char key[64];
	unsigned int klen = key_make(w, k, key);
	__u32 len = w->len_min + rng_below(&w->rng, w->len_max - w->len_min + 1);
	__u64 gen = (rng_next(&w->rng) >> 1) | 1, version = 0;
	int ret;

	value_make(w->wbuf, len, w->id, k, gen);
	if (nth > 0 && fd_write_num(nth_fd, nth))
		return -EIO;
	ret = oh_insert(w->fd, key, klen, w->wbuf, len, flags, 0, &version);
	*injected = false;
	if (nth > 0) {
		long left = fd_read_num(nth_fd);

		*injected = left == 0;
		if (left)
			fd_write_num(nth_fd, 0);
		if (*injected)
			w->c.injected_nth++;
	}
	if (!ret) {
		w->c.inserts_ok++;
		m->present = true;
		m->len = len;
		m->gen = gen;
		m->version = version;
		return 0;
	}
	if (ret == -ENOMEM) {
		w->c.enomem++;
		if (nth > 0 && !*injected) {
			w->c.bad_errno++;
			note_error(&w->c, "INSERT: ENOMEM with no fault injected");
		}
		if (!key_check(w, k, "after ENOMEM"))
			w->c.half_stored++;
		return ret;
	}
	if (ret == -EFAULT && *injected) {
		/* a copy-in failed on purpose: nothing may have changed */
		w->c.efault++;
		if (!key_check(w, k, "after EFAULT"))
			w->c.half_stored++;
		return ret;
	}
	if (ret == -EEXIST && !(flags & OBJHASH_INSERT_REPLACE) && m->present)
		return ret;
	w->c.bad_errno++;
	note_error(&w->c, "INSERT key %u flags %#x: unexpected %s", k, flags,
		   strerror(-ret));
	return ret;
}

static void do_remove(struct worker *w, unsigned int k, bool lookup_delete)
{
	struct key_model *m = &w->keys[k];
	char key[64];
	unsigned int klen = key_make(w, k, key);
	__u32 len = VALUE_MAX;
	__u64 version = 0;
	int ret;

	if (lookup_delete) {
		w->c.lookups++;
		ret = oh_lookup(w->fd, key, klen, w->rbuf, &len,
				OBJHASH_LOOKUP_DELETE, &version);
		if (!ret)
			w->c.hits++;
	} else {
		ret = oh_delete(w->fd, key, klen, 0);
	}
	if ((ret == -ENOENT && !m->present) || (!ret && m->present)) {
		if (!ret) {
			w->c.deletes_ok++;
			if (lookup_delete) {
				value_make(w->cbuf, m->len, w->id, k, m->gen);
				if (len != m->len || version != m->version ||
				    memcmp(w->rbuf, w->cbuf, len)) {
					w->c.wrong_value++;
					note_error(&w->c, "LOOKUP_DELETE key %u: wrong value",
						   k);
				}
			}
		}
		m->present = false;
		return;
	}
	w->c.bad_errno++;
	note_error(&w->c, "%s key %u (%s): %s",
		   lookup_delete ? "LOOKUP_DELETE" : "DELETE", k,
		   m->present ? "present" : "absent", strerror(-ret));
	m->present = false;
}

/* One random operation on one of the worker's keys. */
static void worker_step(struct worker *w, int nth_fd)
{
	unsigned int k = rng_below(&w->rng, KEYS_PER_WORKER);
	unsigned int op = rng_below(&w->rng, 10);
	bool injected;
	long nth;

	w->c.ops++;
	if (op < 6) {
		__u32 flags = op < 4 ? OBJHASH_INSERT_REPLACE : 0;

		if (!w->nth_sweep) {
			do_insert(w, k, flags, -1, 0, &injected);
			return;
		}
		/* fail the 1st, 2nd, ... allocation until the call succeeds */
		for (nth = 1; nth < 64; nth++) {
			int ret = do_insert(w, k, flags, nth_fd, nth, &injected);

			/* go on while faults land: the next one may matter */
			if (!injected ||
			    (ret && ret != -ENOMEM && ret != -EFAULT))
				return;
		}
		return;
	}
	if (op < 8) {
		key_check(w, k, "LOOKUP");
		return;
	}
	do_remove(w, k, op == 9);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int mif = -1, nth_fd = -1;

	if (w->nth_sweep) {
		nth_fd = thread_file_open("fail-nth");
		if (nth_fd < 0) {
			note_error(&w->c, "open fail-nth: %s", strerror(errno));
			w->c.bad_errno++;
			return NULL;
		}
	} else {
		mif = thread_file_open("make-it-fail");
		if (mif < 0 || fd_write_num(mif, 1)) {
			note_error(&w->c, "make-it-fail: %s", strerror(errno));
			w->c.bad_errno++;
			return NULL;
		}
		w->armed = true;
	}
	while (!atomic_load(w->stop)) {
		worker_step(w, nth_fd);
		if (!atomic_load_explicit(&w->at_floor, memory_order_relaxed) &&
		    w->c.ops >= opt_ops && w->c.inserts_ok &&
		    (!w->need_enomem || w->c.enomem) &&
		    (!w->nth_sweep || w->c.injected_nth))
			atomic_store(&w->at_floor, true);
	}
	if (mif >= 0) {
		fd_write_num(mif, 0);
		close(mif);
	}
	if (nth_fd >= 0)
		close(nth_fd);
	return NULL;
}

/* ---- fixture ----------------------------------------------------------- */

FIXTURE(fault) {
	int fd;				/* O_RDWR, for checks and cleanup */
	bool kmemleak;			/* kmemleak usable, cleared at setup */
	struct attr_save slab, page, ucopy; /* attributes to put back */
	struct objhash_stats before;
};

FIXTURE_SETUP(fault)
{
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", OBJHASH_DEV,
				      strerror(errno));
	ASSERT_EQ(0, oh_purge_all(self->fd));
	attrs_save(FAILSLAB, &self->slab);
	attrs_save(FAILPAGE, &self->page);
	attrs_save(FAILUSERCOPY, &self->ucopy);
	self->kmemleak = oh_kmemleak_cmd("clear") == 0;
	ASSERT_EQ(0, oh_stats(self->fd, &self->before));
}

FIXTURE_TEARDOWN(fault)
{
	attrs_restore(FAILSLAB, &self->slab);
	attrs_restore(FAILPAGE, &self->page);
	attrs_restore(FAILUSERCOPY, &self->ucopy);
	EXPECT_EQ(0, oh_purge_all(self->fd));
	close(self->fd);
}

struct run_result {
	struct counts sum;
	unsigned long present;		/* keys the models hold at the end */
	double elapsed;
};

/*
 * Run @nr workers with values of [@len_min, @len_max] bytes until each has
 * reached its floor (opt_ops operations, a successful insert, with
 * @need_enomem an insert that failed ENOMEM, with @nth_sweep a fault that
 * fail-nth injected; with @arm_dir, a fault injected there) and @seconds
 * have passed, then check every key against its model with faults off.  A
 * worker still under its floor after opt_deadline seconds fails the test.
 */
static void run_workers(struct __test_metadata *_metadata, int fd,
			unsigned int id_base, unsigned int nr,
			unsigned int seconds, __u32 len_min,
			__u32 len_max, bool nth_sweep, bool need_enomem,
			const char *arm_dir, int probability,
			struct run_result *res)
{
	struct worker *w = calloc(nr, sizeof(*w));
	atomic_bool stop = false;
	unsigned int i, k, under;
	double t0 = oh_now_s(), now;
	bool injected;

	ASSERT_NE(NULL, w);
	memset(res, 0, sizeof(*res));
	/* no page faults (and their allocations) while faults are armed */
	ASSERT_EQ(0, mlockall(MCL_CURRENT | MCL_FUTURE))
		TH_LOG("mlockall: %s", strerror(errno));
	for (i = 0; i < nr; i++) {
		w[i].id = id_base + i;	/* keys of their own */
		w[i].fd = open(OBJHASH_DEV, O_RDWR);
		w[i].rng = (opt_seed + 1) * 0x9e3779b97f4a7c15ULL + i * 7919 + 1;
		w[i].len_min = len_min;
		w[i].len_max = len_max;
		w[i].stop = &stop;
		w[i].nth_sweep = nth_sweep;
		w[i].need_enomem = need_enomem;
		w[i].wbuf = malloc(VALUE_MAX);
		w[i].rbuf = malloc(VALUE_MAX);
		w[i].cbuf = malloc(VALUE_MAX);
		ASSERT_LE(0, w[i].fd);
		ASSERT_TRUE(w[i].wbuf && w[i].rbuf && w[i].cbuf);
		memset(w[i].wbuf, 0, VALUE_MAX);
		memset(w[i].rbuf, 0, VALUE_MAX);
		memset(w[i].cbuf, 0, VALUE_MAX);
	}
	if (arm_dir)
		ASSERT_EQ(0, attrs_arm(arm_dir, probability, 1000000));
	for (i = 0; i < nr; i++)
		ASSERT_EQ(0, pthread_create(&w[i].tid, NULL, worker_main, &w[i]));
	for (;;) {
		for (i = 0, under = 0; i < nr; i++)
			under += !atomic_load(&w[i].at_floor);
		injected = !arm_dir || attr_read(arm_dir, "times") < 1000000;
		now = oh_now_s();
		if ((!under && injected && now - t0 >= seconds) ||
		    now - t0 > opt_deadline)
			break;
		usleep(50000);
	}
	atomic_store(&stop, true);
	for (i = 0; i < nr; i++)
		ASSERT_EQ(0, pthread_join(w[i].tid, NULL));
	if (arm_dir)
		attr_write(arm_dir, "probability", "0");
	munlockall();
	res->elapsed = oh_now_s() - t0;
	EXPECT_TRUE(injected) {
		TH_LOG("no fault injected through %s in %u s", arm_dir,
		       opt_deadline);
	}

	/* faults off: the table must hold exactly the models */
	for (i = 0; i < nr; i++) {
		struct counts *c = &w[i].c;

		for (k = 0; k < KEYS_PER_WORKER; k++) {
			if (!key_check(&w[i], k, "final check"))
				c->half_stored++;
			res->present += w[i].keys[k].present;
		}
		if (c->first_error[0])
			TH_LOG("thread %u: first error: %s", i, c->first_error);
		EXPECT_TRUE(atomic_load(&w[i].at_floor)) {
			TH_LOG("thread %u under its floor after %u s: %lu ops, %lu inserts ok, %lu ENOMEM, %lu injected",
			       i, opt_deadline, c->ops, c->inserts_ok,
			       c->enomem, c->injected_nth);
		}
		res->sum.ops += c->ops;
		res->sum.inserts_ok += c->inserts_ok;
		res->sum.deletes_ok += c->deletes_ok;
		res->sum.lookups += c->lookups;
		res->sum.hits += c->hits;
		res->sum.enomem += c->enomem;
		res->sum.efault += c->efault;
		res->sum.injected_nth += c->injected_nth;
		res->sum.bad_errno += c->bad_errno;
		res->sum.half_stored += c->half_stored;
		res->sum.wrong_value += c->wrong_value;
		close(w[i].fd);
		free(w[i].wbuf);
		free(w[i].rbuf);
		free(w[i].cbuf);
	}
	free(w);
}

/* The checks every fault test ends with. */
static void check_after(struct __test_metadata *_metadata,
			FIXTURE_DATA(fault) *self, const struct run_result *res)
{
	struct objhash_stats mid, after;
	__u64 purged = 0;
	int leaks, total;

	EXPECT_EQ(0, res->sum.bad_errno);
	EXPECT_EQ(0, res->sum.half_stored);
	EXPECT_EQ(0, res->sum.wrong_value);

	/* the table holds what the models hold, no more */
	ASSERT_EQ(0, oh_stats(self->fd, &mid));
	EXPECT_EQ(res->present, mid.objects);
	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, &purged));
	EXPECT_EQ(res->present, purged);
	ASSERT_EQ(0, oh_stats(self->fd, &after));
	EXPECT_EQ(0, after.objects);
	EXPECT_EQ(0, after.bytes);
	EXPECT_EQ(0, after.pending_release);
	/* failed calls counted nothing, successful ones exactly once */
	EXPECT_EQ(res->sum.inserts_ok,
		  (after.inserts - self->before.inserts) +
		  (after.replaces - self->before.replaces));
	EXPECT_EQ(res->sum.inserts_ok, after.version - self->before.version);
	EXPECT_EQ(res->sum.deletes_ok, after.deletes - self->before.deletes);
	EXPECT_EQ(res->sum.lookups, after.lookups - self->before.lookups);
	EXPECT_EQ(res->sum.hits, after.hits - self->before.hits);

	if (!self->kmemleak) {
		printf("# kmemleak not available: leak scan skipped\n");
		return;
	}
	leaks = oh_kmemleak_objhash_leaks(&total);
	printf("# kmemleak: %d unreferenced objects, %d mention objhash\n",
	       total, leaks);
	EXPECT_EQ(0, leaks);
}

static void print_result(const char *name, const struct run_result *r,
			 long injected)
{
	printf("# %s: %.1f s: %lu ops, %lu inserts ok, %lu ENOMEM, %ld faults injected, %lu deletes ok, %lu lookups, %lu keys left\n",
	       name, r->elapsed, r->sum.ops, r->sum.inserts_ok, r->sum.enomem,
	       injected, r->sum.deletes_ok, r->sum.lookups, r->present);
}

/* fail-nth sweep over every allocation of each INSERT, all value classes. */
TEST_F(fault, nth_sweep)
{
	/* enomem: a failed allocation must reach the caller (no fallback) */
	static const struct {
		__u32 min, max;
		bool enomem;
		const char *what;
	} cls[] = {
		{ 0, 255, true, "small (copied under RCU)" },
		{ 256, 2048, true, "slab" },
		{ 4500, 8000, true, "paged: header and 2 pages" },
		{ 9000, VALUE_MAX, true, "paged: header and 3-4 pages" },
	};
	struct run_result res, all = { 0 };
	long t0, t1;
	size_t i;
	int fd;

	fd = open("/proc/self/fail-nth", O_RDWR);
	if (fd < 0 || access(FAILSLAB "times", W_OK))
		SKIP(return, "kernel without fail-nth/failslab (CONFIG_FAULT_INJECTION_DEBUG_FS, CONFIG_FAILSLAB)");
	close(fd);
	/* fail-nth needs no probability; it still obeys ignore-gfp-wait */
	ASSERT_EQ(0, attrs_arm(FAILSLAB, 0, -1));
	if (!access(FAILPAGE "times", W_OK)) {
		ASSERT_EQ(0, attrs_arm(FAILPAGE, 0, -1));
		/* values' pages are order 0 (user memory is highmem: ignored) */
		ASSERT_EQ(0, attr_write(FAILPAGE, "min-order", "0"));
	}
	/* usercopy faults from fail-nth: quietly (no stack dump each) */
	if (!access(FAILUSERCOPY "verbose", W_OK))
		ASSERT_EQ(0, attr_write(FAILUSERCOPY, "verbose", "0"));
	t0 = attr_read(FAILSLAB, "times");
	for (i = 0; i < ARRAY_SIZE(cls); i++) {
		/* each class on keys of its own: the models start empty */
		run_workers(_metadata, self->fd, i, 1,
			    opt_seconds / ARRAY_SIZE(cls) + 1, cls[i].min,
			    cls[i].max, true, cls[i].enomem, NULL, 0, &res);
		print_result(cls[i].what, &res, res.sum.injected_nth);
		EXPECT_LT(0, res.sum.injected_nth) TH_LOG("%s", cls[i].what);
		EXPECT_LT(0, res.sum.inserts_ok) TH_LOG("%s", cls[i].what);
		all.sum.ops += res.sum.ops;
		all.sum.inserts_ok += res.sum.inserts_ok;
		all.sum.deletes_ok += res.sum.deletes_ok;
		all.sum.lookups += res.sum.lookups;
		all.sum.hits += res.sum.hits;
		all.sum.enomem += res.sum.enomem;
		all.sum.efault += res.sum.efault;
		all.sum.injected_nth += res.sum.injected_nth;
		all.sum.bad_errno += res.sum.bad_errno;
		all.sum.half_stored += res.sum.half_stored;
		all.sum.wrong_value += res.sum.wrong_value;
		all.present += res.present;
		all.elapsed += res.elapsed;
	}
	t1 = attr_read(FAILSLAB, "times");
	if (!access(FAILPAGE "min-order", W_OK))
		attr_write(FAILPAGE, "min-order", "1");
	print_result("nth_sweep total", &all, all.sum.injected_nth);
	printf("# failslab times %ld -> %ld; %lu EFAULT from injected usercopy faults, table unchanged each time\n",
	       t0, t1, all.sum.efault);
	/* small and slab values: a failed kmalloc is the insert's ENOMEM */
	EXPECT_LT(0, all.sum.enomem);
	EXPECT_LE(all.sum.enomem, all.sum.injected_nth);
	check_after(_metadata, self, &all);
}

TEST_F(fault, random_failslab_small)
{
	struct run_result res;
	long t0, t1;

	if (access(FAILSLAB "probability", W_OK))
		SKIP(return, "kernel without failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)");
	ASSERT_EQ(0, attrs_arm(FAILSLAB, 0, 1000000));
	t0 = attr_read(FAILSLAB, "times");
	run_workers(_metadata, self->fd, 0, opt_threads, opt_seconds, 0, 2048,
		    false, true, FAILSLAB, 25, &res);
	t1 = attr_read(FAILSLAB, "times");
	print_result("random_failslab_small", &res, t0 - t1);
	EXPECT_LT(0, res.sum.enomem);
	EXPECT_LE(res.sum.enomem, t0 - t1);
	check_after(_metadata, self, &res);
}

TEST_F(fault, random_fail_page_alloc_large)
{
	struct run_result res;
	long t0, t1;

	if (access(FAILPAGE "probability", W_OK))
		SKIP(return, "kernel without fail_page_alloc (CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS)");
	ASSERT_EQ(0, attrs_arm(FAILPAGE, 0, 1000000));
	/*
	 * Order 0 too: the values' pages.  User memory (GFP_HIGHUSER) stays
	 * out of it, ignore-gfp-highmem being on by default.
	 */
	ASSERT_EQ(0, attr_write(FAILPAGE, "min-order", "0"));
	t0 = attr_read(FAILPAGE, "times");
	run_workers(_metadata, self->fd, 0, opt_threads, opt_seconds, 9000,
		    VALUE_MAX, false, true, FAILPAGE, 50, &res);
	t1 = attr_read(FAILPAGE, "times");
	attr_write(FAILPAGE, "min-order", "1");
	print_result("random_fail_page_alloc_large", &res, t0 - t1);
	EXPECT_LT(0, t0 - t1);
	EXPECT_LT(0, res.sum.enomem);
	EXPECT_LE(res.sum.enomem, t0 - t1);
	check_after(_metadata, self, &res);
}

/*
 * failslab on values above PAGE_SIZE: the header of a paged value (from
 * slab; its pages come from the page allocator) fails, which must be the
 * insert's ENOMEM with nothing half-stored and nothing printed (the
 * module allocates with __GFP_NOWARN).
 */
TEST_F(fault, random_failslab_paged)
{
	struct run_result res;
	long t0, t1;

	if (access(FAILSLAB "probability", W_OK))
		SKIP(return, "kernel without failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)");
	ASSERT_EQ(0, attrs_arm(FAILSLAB, 0, 1000000));
	t0 = attr_read(FAILSLAB, "times");
	run_workers(_metadata, self->fd, 0, opt_threads, opt_seconds, 4500,
		    VALUE_MAX, false, true, FAILSLAB, 50, &res);
	t1 = attr_read(FAILSLAB, "times");
	print_result("random_failslab_paged", &res, t0 - t1);
	EXPECT_LT(0, t0 - t1);
	EXPECT_LT(0, res.sum.inserts_ok);
	EXPECT_LE(res.sum.enomem, t0 - t1);
	check_after(_metadata, self, &res);
}

int main(int argc, char **argv)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	opt_seconds = oh_env_ulong("OBJHASH_FAULT_SECONDS", opt_seconds) ?: 1;
	opt_threads = oh_env_ulong("OBJHASH_FAULT_THREADS", opt_threads);
	opt_ops = oh_env_ulong("OBJHASH_FAULT_OPS", opt_ops);
	opt_deadline = oh_env_ulong("OBJHASH_FAULT_DEADLINE", opt_deadline);
	opt_seed = oh_env_ulong("OBJHASH_FAULT_SEED", time(NULL));
	if (!opt_threads || opt_threads > MAX_THREADS)
		opt_threads = 2;
	if (!oh_device_present())
		ksft_exit_skip(OBJHASH_DEV " not present: load objhash.ko first\n");
	printf("# seed %llu (OBJHASH_FAULT_SEED)\n", opt_seed);
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout = 2 * opt_seconds + 4 * opt_deadline + 240;
	return test_harness_run(argc, argv);
}
