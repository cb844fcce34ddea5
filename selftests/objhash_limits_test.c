// SPDX-License-Identifier: GPL-2.0
/*
 * objhash limits: max_objects, max_bytes and max_value_len module
 * parameters, written at run time through sysfs, and bad parameter writes.
 * The fixture saves the parameters and puts them back, even on failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

FIXTURE(objhash_limits)
{
	/* O_RDWR fd on /dev/objhash, emptied by a waiting PURGE */
	int fd;
	/* parameters found at setup, restored at teardown */
	struct oh_limits saved;
	/* whether @saved holds real values */
	bool saved_ok;
};

FIXTURE_SETUP(objhash_limits)
{
	ASSERT_EQ(0, oh_limits_save(&self->saved)) {
		TH_LOG("cannot read " OBJHASH_PARAM_DIR);
	}
	self->saved_ok = true;
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", OBJHASH_DEV, strerror(errno));
	}
	ASSERT_EQ(0, oh_purge_all(self->fd));
}

FIXTURE_TEARDOWN(objhash_limits)
{
	if (self->saved_ok)
		EXPECT_EQ(0, oh_limits_restore(&self->saved));
	EXPECT_EQ(0, oh_purge_all(self->fd));
	EXPECT_EQ(0, close(self->fd));
}

/* Insert key "k<i>" with a @len byte value; returns 0 or -errno. */
static int insert_nth(int fd, int i, __u32 len, __u32 flags)
{
	char key[16], val[256];

	memset(val, 'v', sizeof(val));
	snprintf(key, sizeof(key), "k%d", i);
	return oh_insert(fd, key, strlen(key), val, len, flags, 0, NULL);
}

TEST_F(objhash_limits, max_objects)
{
	struct objhash_stats st, st1;
	int i;

	ASSERT_EQ(0, oh_param_write_num("max_objects", 5));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(5, st.max_objects);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, insert_nth(self->fd, i, 10, 0));
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 5, 10, 0));
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 5, 10,
				      OBJHASH_INSERT_REPLACE)) {
		TH_LOG("REPLACE of an absent key creates: ENOSPC too");
	}
	EXPECT_EQ(0, oh_present_str(self->fd, "k5"));
	ASSERT_EQ(0, oh_stats(self->fd, &st1));
	EXPECT_EQ(5, st1.objects);
	EXPECT_EQ(st.inserts + 5, st1.inserts);
	/* replacing at the limit is fine, same size and larger */
	EXPECT_EQ(0, insert_nth(self->fd, 0, 10, OBJHASH_INSERT_REPLACE));
	EXPECT_EQ(0, insert_nth(self->fd, 1, 20, OBJHASH_INSERT_REPLACE |
				OBJHASH_INSERT_NOCREATE));
	/* room again after a delete */
	ASSERT_EQ(0, oh_delete_str(self->fd, "k4"));
	EXPECT_EQ(0, insert_nth(self->fd, 5, 10, 0));
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 6, 10, 0));
}

TEST_F(objhash_limits, max_objects_lowered)
{
	struct objhash_stats st;
	int i;

	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, insert_nth(self->fd, i, 10, 0));
	ASSERT_EQ(0, oh_param_write_num("max_objects", 3));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(8, st.objects) {
		TH_LOG("lowering max_objects must keep what is there");
	}
	EXPECT_EQ(3, st.max_objects);
	EXPECT_EQ(1, oh_present_str(self->fd, "k7"));
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 8, 10, 0));
	EXPECT_EQ(0, insert_nth(self->fd, 2, 10, OBJHASH_INSERT_REPLACE));
	/* still above the limit after one delete */
	ASSERT_EQ(0, oh_delete_str(self->fd, "k7"));
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 8, 10, 0));
}

TEST_F(objhash_limits, max_bytes)
{
	struct objhash_stats st;

	/* "k0" + 48 and "k1" + 48: exactly 100 bytes */
	ASSERT_EQ(0, oh_param_write_num("max_bytes", 100));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(100, st.max_bytes);
	ASSERT_EQ(0, insert_nth(self->fd, 0, 48, 0));
	ASSERT_EQ(0, insert_nth(self->fd, 1, 48, 0)) {
		TH_LOG("filling max_bytes exactly must be allowed");
	}
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 2, 0, 0));
	EXPECT_EQ(0, oh_present_str(self->fd, "k2"));
	/* a replace that grows */
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 0, 49,
				      OBJHASH_INSERT_REPLACE));
	/* same size and shrinking are fine */
	EXPECT_EQ(0, insert_nth(self->fd, 0, 48, OBJHASH_INSERT_REPLACE));
	EXPECT_EQ(0, insert_nth(self->fd, 0, 30, OBJHASH_INSERT_REPLACE));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(82, st.bytes);
	/* and growing back into the freed room */
	EXPECT_EQ(0, insert_nth(self->fd, 0, 48, OBJHASH_INSERT_REPLACE));
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 1, 49,
				      OBJHASH_INSERT_REPLACE));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(100, st.bytes);
	EXPECT_EQ(2, st.objects);
}

TEST_F(objhash_limits, max_bytes_lowered)
{
	struct objhash_stats st;
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, insert_nth(self->fd, i, 100, 0));
	ASSERT_EQ(0, oh_param_write_num("max_bytes", 50));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(4, st.objects);
	EXPECT_EQ(4 * 102, st.bytes);
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 9, 1, 0));
	EXPECT_EQ(-ENOSPC, insert_nth(self->fd, 0, 101,
				      OBJHASH_INSERT_REPLACE));
	/* shrinking is always allowed */
	EXPECT_EQ(0, insert_nth(self->fd, 0, 10, OBJHASH_INSERT_REPLACE));
}

TEST_F(objhash_limits, max_value_len)
{
	struct objhash_stats st;
	char buf[64];
	__u32 len = sizeof(buf);

	ASSERT_EQ(0, insert_nth(self->fd, 0, 40, 0));
	ASSERT_EQ(0, oh_param_write_num("max_value_len", 10));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(10, st.max_value_len);
	EXPECT_EQ(-EMSGSIZE, insert_nth(self->fd, 1, 11, 0));
	EXPECT_EQ(0, insert_nth(self->fd, 1, 10, 0));
	EXPECT_EQ(-EMSGSIZE, insert_nth(self->fd, 0, 40,
					OBJHASH_INSERT_REPLACE));
	/* what is there stays readable */
	EXPECT_EQ(0, oh_lookup(self->fd, "k0", 2, buf, &len, 0, NULL));
	EXPECT_EQ(40, len);
	/* up to the hard cap */
	EXPECT_EQ(0, oh_param_write_num("max_value_len", OBJHASH_VALUE_MAX));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(OBJHASH_VALUE_MAX, st.max_value_len);
}

TEST_F(objhash_limits, large_value_at_cap)
{
	struct objhash_stats st;
	unsigned char *val, *out;
	__u32 len = OBJHASH_VALUE_MAX, i;

	ASSERT_EQ(0, oh_param_write_num("max_value_len", OBJHASH_VALUE_MAX));
	val = malloc(OBJHASH_VALUE_MAX);
	out = malloc(OBJHASH_VALUE_MAX);
	ASSERT_NE(NULL, val);
	ASSERT_NE(NULL, out);
	for (i = 0; i < OBJHASH_VALUE_MAX; i++)
		val[i] = (i * 131 + (i >> 8)) & 0xff;
	ASSERT_EQ(0, oh_insert(self->fd, "big", 3, val, OBJHASH_VALUE_MAX, 0,
			       0, NULL));
	ASSERT_EQ(0, oh_lookup(self->fd, "big", 3, out, &len, 0, NULL));
	EXPECT_EQ(OBJHASH_VALUE_MAX, len);
	EXPECT_EQ(0, memcmp(val, out, OBJHASH_VALUE_MAX));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(3 + OBJHASH_VALUE_MAX, st.bytes);
	free(val);
	free(out);
}

/* A bad write is refused with EINVAL and leaves the parameter alone. */
static void expect_refused(struct __test_metadata *_metadata,
			   const char *name, const char *text)
{
	unsigned long long before = 0, after = 0;
	int ret;

	ASSERT_EQ(0, oh_param_read(name, &before));
	ret = oh_param_write(name, text);
	EXPECT_EQ(-EINVAL, ret) {
		TH_LOG("writing \"%s\" to %s: got %d", text, name, ret);
	}
	ASSERT_EQ(0, oh_param_read(name, &after));
	EXPECT_EQ(before, after) {
		TH_LOG("writing \"%s\" to %s changed it", text, name);
	}
}

TEST_F(objhash_limits, bad_param_writes)
{
	expect_refused(_metadata, "max_objects", "abc");
	expect_refused(_metadata, "max_objects", "12abc");
	expect_refused(_metadata, "max_objects", "-1");
	expect_refused(_metadata, "max_bytes", "lots");
	expect_refused(_metadata, "max_bytes", "-5");
	expect_refused(_metadata, "max_memory", "lots");
	expect_refused(_metadata, "max_memory", "-5");
	expect_refused(_metadata, "max_value_len", "abc");
	expect_refused(_metadata, "max_value_len", "1048577");
	/* a good write right after is taken */
	EXPECT_EQ(0, oh_param_write("max_value_len", "1048576"));
	EXPECT_EQ(0, oh_param_write("max_value_len", "4096\n"));
}

TEST_F(objhash_limits, hash_bits_read_only)
{
	int fd = open(OBJHASH_PARAM_DIR "hash_bits", O_WRONLY);
	int err = errno;

	EXPECT_GT(0, fd) {
		TH_LOG("hash_bits (0444) opened for writing");
	}
	if (fd >= 0)
		close(fd);
	else
		EXPECT_EQ(EACCES, err);
}

/* ---- inserts that do not fit must not make others fail ---------------- */

#define SP_LIMIT	256		/* max_bytes for the test */
#define SP_BIG		300		/* never fits: fails at once, cheaply */
#define SP_SMALL	40		/* always fits */
#define SP_FLOOR	20000		/* ops per side */
#define SP_DEADLINE	300

struct sp_side {
	pthread_t th;
	int fd;
	bool big;
	atomic_bool *stop;
	atomic_ulong ops;
	unsigned long wrong;	/* small: ENOSPC; big: anything but ENOSPC */
	int first;
};

static void *sp_main(void *arg)
{
	struct sp_side *s = arg;
	char *val = calloc(1, SP_BIG), key[16];
	unsigned long i = 0;

	snprintf(key, sizeof(key), s->big ? "sp-big" : "sp-small");
	while (val && !atomic_load(s->stop)) {
		int ret = oh_insert(s->fd, key, strlen(key), val,
				    s->big ? SP_BIG : SP_SMALL, 0, 0, NULL);

		if (s->big ? ret != -ENOSPC : ret != 0) {
			if (!s->wrong++)
				s->first = ret;
		}
		if (!s->big && !ret && oh_delete(s->fd, key, strlen(key), 0))
			s->wrong++;
		atomic_store(&s->ops, ++i);
	}
	free(val);
	return NULL;
}

/*
 * An insert that can never fit max_bytes races small inserts that always
 * fit: the small ones never fail ENOSPC, because a charge that does not
 * fit is never added, not even for an instant (add-then-undo would show
 * the big one's bytes to the small ones).  Values are short so both sides
 * run fast and the charges meet often.
 */
TEST_F_TIMEOUT(objhash_limits, no_spurious_enospc, SP_DEADLINE + 60)
{
	struct sp_side side[2] = {
		{ .big = true }, { .big = false },
	};
	atomic_bool stop = false;
	double deadline = oh_now_s() + SP_DEADLINE;
	struct objhash_stats st;
	int i;

	ASSERT_EQ(0, oh_param_write_num("max_bytes", SP_LIMIT));
	for (i = 0; i < 2; i++) {
		side[i].fd = open(OBJHASH_DEV, O_RDWR);
		side[i].stop = &stop;
		ASSERT_LE(0, side[i].fd);
		ASSERT_EQ(0, pthread_create(&side[i].th, NULL, sp_main,
					    &side[i]));
	}
	/* until both sides did their floor: they overlapped that long */
	while ((atomic_load(&side[0].ops) < SP_FLOOR ||
		atomic_load(&side[1].ops) < SP_FLOOR) && oh_now_s() < deadline) {
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		EXPECT_GE(SP_LIMIT, st.bytes) TH_LOG("bytes past the limit");
		usleep(1000);
	}
	atomic_store(&stop, true);
	for (i = 0; i < 2; i++) {
		pthread_join(side[i].th, NULL);
		close(side[i].fd);
		EXPECT_LE(SP_FLOOR, atomic_load(&side[i].ops));
		EXPECT_EQ(0, side[i].wrong) {
			TH_LOG("%s inserts: %lu wrong results, first %s",
			       side[i].big ? "big" : "small", side[i].wrong,
			       strerror(-side[i].first));
		}
	}
	TH_LOG("%lu big, %lu small inserts", atomic_load(&side[0].ops),
	       atomic_load(&side[1].ops));
}

OBJHASH_TEST_MAIN
