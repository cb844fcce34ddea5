// SPDX-License-Identifier: GPL-2.0
/*
 * objhash's one documented exception to "a command that fails changes
 * nothing" (include/uapi/linux/objhash.h, objhash(4)): every command checks
 * that its struct (and LOOKUP_DELETE's buffer) is writable before it
 * changes the table, so a bad pointer changes nothing; only another thread
 * that write-protects them between that check and the write-back can make
 * a command that changed the table fail EFAULT: an INSERT's value is then
 * stored (its version not written), a PURGE's objects purged (the count
 * not written), a LOOKUP_DELETE's object unlinked (its value not copied).
 *
 * Here a second thread flips the protection of the pages the module writes
 * to, as fast as it can, while the test thread issues commands.  The test
 * thread fills and reads those pages through a second mapping of the same
 * memory that stays writable, so only the module's accesses see the flips.
 * Every EFAULT is classified by what the table and the struct show
 * afterwards, and must be one of the two documented outcomes: nothing done,
 * or exactly the documented partial result, never anything else.  Each test
 * runs until it has seen a success and both kinds of EFAULT (proof that the
 * flips landed on both sides of the check) and a floor of commands,
 * bounded by a deadline that fails it; no test runs for a fixed time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define EX_TIMEOUT	600	/* seconds per test: TCG guests are slow */
#define EX_DEADLINE	(EX_TIMEOUT - 120)
#define EX_FLOOR	200	/* commands per test, at least */
#define EX_BUF_LEN	(64 << 10)	/* LOOKUP_DELETE's value and buffer */
#define EX_PURGE_NR	4	/* objects per PURGE */
#define EX_SENTINEL	0x5a5a5a5a5a5a5a5aULL

/*
 * Memory the module writes to, mapped twice: @rw for the test thread,
 * @flip for the module, whose protection the flipper thread keeps
 * changing.
 */
struct ex_map {
	int memfd;
	size_t len;
	unsigned char *rw;
	unsigned char *flip;
	pthread_t flipper;
	volatile int stop;
	unsigned long flips;
};

static void *ex_flipper(void *arg)
{
	struct ex_map *m = arg;

	while (!m->stop) {
		mprotect(m->flip, m->len, PROT_READ);
		mprotect(m->flip, m->len, PROT_READ | PROT_WRITE);
		m->flips++;
	}
	return NULL;
}

static int ex_map_start(struct ex_map *m, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->len = len;
	m->memfd = memfd_create("objhash-exception", 0);
	if (m->memfd < 0 || ftruncate(m->memfd, len))
		return -errno;
	m->rw = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		     m->memfd, 0);
	m->flip = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       m->memfd, 0);
	if (m->rw == MAP_FAILED || m->flip == MAP_FAILED)
		return -errno;
	return -pthread_create(&m->flipper, NULL, ex_flipper, m);
}

static void ex_map_stop(struct ex_map *m)
{
	m->stop = 1;
	pthread_join(m->flipper, NULL);
	munmap(m->rw, m->len);
	munmap(m->flip, m->len);
	close(m->memfd);
}

/* What the commands of one test came to. */
struct ex_count {
	unsigned long ok;	/* succeeded */
	unsigned long none;	/* EFAULT, nothing done */
	unsigned long partial;	/* EFAULT, the documented partial result */
};

static bool ex_floor_met(const struct ex_count *c)
{
	return c->ok + c->none + c->partial >= EX_FLOOR && c->ok &&
	       c->none && c->partial;
}

static void ex_key(char *key, const char *what, unsigned long i)
{
	snprintf(key, 32, "ex-%s-%08lu", what, i);
}

static void ex_value(unsigned char *v, size_t len, unsigned long i)
{
	size_t j;

	for (j = 0; j < len; j++)
		v[j] = (unsigned char)(i * 131 + j * 7 + (j >> 8));
}

static bool ex_value_ok(const unsigned char *v, size_t len, unsigned long i)
{
	size_t j;

	for (j = 0; j < len; j++)
		if (v[j] != (unsigned char)(i * 131 + j * 7 + (j >> 8)))
			return false;
	return true;
}

FIXTURE(ex)
{
	int fd;
	struct objhash_stats st0;
};

FIXTURE_SETUP(ex)
{
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
}

FIXTURE_TEARDOWN(ex)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	EXPECT_EQ(0, close(self->fd));
}

/*
 * INSERT with its struct on the flipping page: success writes the version;
 * EFAULT leaves the key absent (the struct was read-only at the check) or
 * stores the value whole with the version not written back.
 */
TEST_F_TIMEOUT(ex, insert, EX_TIMEOUT)
{
	struct objhash_insert *rw, *flip;
	unsigned char val[100], got[100];
	struct objhash_stats st;
	struct ex_count c = {};
	double t0 = oh_now_s();
	struct ex_map m;
	unsigned long i;
	char key[32];

	ASSERT_EQ(0, ex_map_start(&m, getpagesize()));
	rw = (struct objhash_insert *)m.rw;
	flip = (struct objhash_insert *)m.flip;
	for (i = 0; !ex_floor_met(&c) && oh_now_s() - t0 < EX_DEADLINE; i++) {
		__u32 len = sizeof(got);
		__u64 ver = 0;
		int ret, found;

		ex_key(key, "ins", i);
		ex_value(val, sizeof(val), i);
		*rw = (struct objhash_insert){
			.key = oh_ptr(key), .key_len = strlen(key),
			.value = oh_ptr(val), .value_len = sizeof(val),
			.version = EX_SENTINEL,
		};
		ret = oh_ioctl(self->fd, OBJHASH_IOC_INSERT, flip);
		found = oh_lookup(self->fd, key, strlen(key), got, &len, 0,
				  &ver);
		if (!ret) {
			ASSERT_EQ(0, found);
			ASSERT_EQ(ver, rw->version);
			c.ok++;
		} else {
			ASSERT_EQ(-EFAULT, ret);
			if (found == -ENOENT) {
				c.none++;
				continue;
			}
			ASSERT_EQ(0, found);
			/* stored whole, version not written back */
			ASSERT_EQ(EX_SENTINEL, rw->version);
			c.partial++;
		}
		ASSERT_EQ(sizeof(val), len);
		ASSERT_TRUE(ex_value_ok(got, len, i));
	}
	ex_map_stop(&m);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	TH_LOG("%lu inserts: %lu ok, %lu EFAULT with nothing done, %lu EFAULT with the value stored; %lu flips",
	       i, c.ok, c.none, c.partial, m.flips);
	ASSERT_TRUE(ex_floor_met(&c));
	EXPECT_EQ(c.ok + c.partial, st.objects);
	EXPECT_EQ(c.ok + c.partial, st.inserts - self->st0.inserts);
}

/*
 * PURGE with its struct on the flipping page: success writes the count;
 * EFAULT leaves every object (read-only at the check) or purges them all
 * with the count not written back.
 */
TEST_F_TIMEOUT(ex, purge, EX_TIMEOUT)
{
	unsigned long i, purged = 0;
	struct objhash_purge *rw, *flip;
	struct objhash_stats st;
	struct ex_count c = {};
	double t0 = oh_now_s();
	struct ex_map m;
	char key[32];

	ASSERT_EQ(0, ex_map_start(&m, getpagesize()));
	rw = (struct objhash_purge *)m.rw;
	flip = (struct objhash_purge *)m.flip;
	for (i = 0; !ex_floor_met(&c) && oh_now_s() - t0 < EX_DEADLINE; i++) {
		unsigned int j;
		int ret;

		for (j = 0; j < EX_PURGE_NR; j++) {
			ex_key(key, "purge", i * EX_PURGE_NR + j);
			ASSERT_EQ(0, oh_insert_str(self->fd, key, "v", 0,
						   NULL));
		}
		*rw = (struct objhash_purge){ .purged = EX_SENTINEL };
		ret = oh_ioctl(self->fd, OBJHASH_IOC_PURGE, flip);
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		if (!ret) {
			ASSERT_EQ(EX_PURGE_NR, rw->purged);
			ASSERT_EQ(0, st.objects);
			c.ok++;
			purged += EX_PURGE_NR;
			continue;
		}
		ASSERT_EQ(-EFAULT, ret);
		if (st.objects == EX_PURGE_NR) {
			c.none++;
			ASSERT_EQ(0, oh_purge(self->fd, 0, 0, NULL));
		} else {
			/* all purged, count not written back */
			ASSERT_EQ(0, st.objects);
			ASSERT_EQ(EX_SENTINEL, rw->purged);
			c.partial++;
		}
		purged += EX_PURGE_NR;
	}
	ex_map_stop(&m);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	TH_LOG("%lu purges of %u: %lu ok, %lu EFAULT with nothing done, %lu EFAULT with the objects purged; %lu flips",
	       i, EX_PURGE_NR, c.ok, c.none, c.partial, m.flips);
	ASSERT_TRUE(ex_floor_met(&c));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(purged, st.purged - self->st0.purged);
}

/*
 * LOOKUP_DELETE into a 64 KiB buffer on the flipping pages: success copies
 * the value and unlinks it; EFAULT leaves the object linked, same version
 * (the buffer was read-only at the check), or unlinks it with the value
 * not copied whole.
 */
TEST_F_TIMEOUT(ex, lookup_delete, EX_TIMEOUT)
{
	unsigned char *val = malloc(EX_BUF_LEN);
	struct objhash_stats st;
	struct ex_count c = {};
	double t0 = oh_now_s();
	unsigned long i, gone = 0;
	struct ex_map m;
	char key[32];

	ASSERT_NE(NULL, val);
	ASSERT_EQ(0, ex_map_start(&m, EX_BUF_LEN));
	for (i = 0; !ex_floor_met(&c) && oh_now_s() - t0 < EX_DEADLINE; i++) {
		__u32 len = EX_BUF_LEN, vlen = 0;
		__u64 ver = 0, ver2 = 0;
		int ret, found;

		ex_key(key, "take", i);
		ex_value(val, EX_BUF_LEN, i);
		ASSERT_EQ(0, oh_insert(self->fd, key, strlen(key), val,
				       EX_BUF_LEN, 0, 0, &ver));
		memset(m.rw, 0, EX_BUF_LEN);
		ret = oh_lookup(self->fd, key, strlen(key), m.flip, &len,
				OBJHASH_LOOKUP_DELETE, NULL);
		found = oh_present(self->fd, key, strlen(key), &vlen, &ver2);
		if (!ret) {
			ASSERT_EQ(0, found);
			ASSERT_EQ(EX_BUF_LEN, len);
			ASSERT_TRUE(ex_value_ok(m.rw, len, i));
			c.ok++;
			gone++;
			continue;
		}
		ASSERT_EQ(-EFAULT, ret);
		if (found == 1) {
			/* nothing done: the same object is still there */
			ASSERT_EQ(ver, ver2);
			ASSERT_EQ(EX_BUF_LEN, vlen);
			ASSERT_EQ(0, oh_delete(self->fd, key, strlen(key), 0));
			c.none++;
		} else {
			ASSERT_EQ(0, found);
			c.partial++;
		}
		gone++;
	}
	ex_map_stop(&m);
	free(val);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	TH_LOG("%lu LOOKUP_DELETEs of 64 KiB: %lu ok, %lu EFAULT with nothing done, %lu EFAULT with the object unlinked; %lu flips",
	       i, c.ok, c.none, c.partial, m.flips);
	ASSERT_TRUE(ex_floor_met(&c));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(gone, st.deletes - self->st0.deletes);
}

OBJHASH_TEST_MAIN
