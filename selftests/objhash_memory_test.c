// SPDX-License-Identifier: GPL-2.0
/*
 * objhash's memory limit and its backpressure (no cgroup needed; the
 * memory cgroup side is objhash_memcg_test):
 *  - max_memory counts what objects take, not their payload: lowered to
 *    what would fit by bytes, an INSERT fails ENOSPC and changes nothing;
 *  - a replace storm cannot queue unbounded memory behind RCU: INSERTs
 *    wait for grace periods (STATS throttled) and pending_memory stays
 *    within max_memory.
 * Both restore the limits they change.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define MT_VALUE	(64U << 10)
#define MT_STORM_MAX	4000	/* replaces before the storm gives up */

FIXTURE(memory)
{
	int fd;				/* O_RDWR, emptied by PURGE_WAIT */
	unsigned long long max_memory;	/* the limits found, put back */
	unsigned long long max_bytes;
	unsigned char *val;		/* MT_VALUE bytes */
};

FIXTURE_SETUP(memory)
{
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_param_read("max_memory", &self->max_memory))
		TH_LOG("no max_memory parameter");
	ASSERT_EQ(0, oh_param_read("max_bytes", &self->max_bytes));
	self->val = malloc(MT_VALUE);
	ASSERT_NE(NULL, self->val);
	memset(self->val, 0x6b, MT_VALUE);
}

FIXTURE_TEARDOWN(memory)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	EXPECT_EQ(0, oh_param_write_num("max_memory", self->max_memory));
	EXPECT_EQ(0, oh_param_write_num("max_bytes", self->max_bytes));
	free(self->val);
	close(self->fd);
}

/*
 * A 64 KiB value takes its 16 pages and a header: with max_memory (and
 * max_bytes) set to fit one more object's payload exactly, the INSERT
 * fails ENOSPC with STATS unchanged; with room for one more object's
 * memory it goes in, and STATS memory grows by exactly that.
 */
TEST_F_TIMEOUT(memory, max_memory_enospc, OH_SLOW_TIMEOUT)
{
	struct objhash_stats st0, st1, st;
	__u64 mem;

	ASSERT_EQ(0, oh_stats(self->fd, &st0));
	ASSERT_EQ(0, oh_insert(self->fd, "a", 1, self->val, MT_VALUE, 0, 0,
			       NULL));
	ASSERT_EQ(0, oh_stats(self->fd, &st1));
	mem = st1.memory - st0.memory;
	TH_LOG("a %u-byte value takes %llu bytes", MT_VALUE,
	       (unsigned long long)mem);
	ASSERT_LT(MT_VALUE + 1, mem);
	ASSERT_GE(MT_VALUE + 4096, mem);

	/* fits by bytes, not by memory */
	ASSERT_EQ(0, oh_param_write_num("max_bytes", st1.bytes + MT_VALUE + 1));
	ASSERT_EQ(0, oh_param_write_num("max_memory",
					st1.memory + MT_VALUE + 1));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(st1.memory + MT_VALUE + 1, st.max_memory);
	EXPECT_EQ(-ENOSPC, oh_insert(self->fd, "b", 1, self->val, MT_VALUE,
				     0, 0, NULL));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(st1.objects, st.objects);
	EXPECT_EQ(st1.bytes, st.bytes);
	EXPECT_EQ(st1.memory, st.memory);
	EXPECT_EQ(st1.version, st.version);
	EXPECT_EQ(st1.inserts, st.inserts);
	EXPECT_EQ(0, oh_present_str(self->fd, "b"));

	/* one object's memory more: it goes in, charged exactly */
	ASSERT_EQ(0, oh_param_write_num("max_memory", st1.memory + mem));
	ASSERT_EQ(0, oh_insert(self->fd, "b", 1, self->val, MT_VALUE, 0, 0,
			       NULL));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(st1.memory + mem, st.memory);
	EXPECT_EQ(st1.memory + mem, st.max_memory);

	/* at the limit, a replace that shrinks still fits */
	EXPECT_EQ(0, oh_insert(self->fd, "a", 1, self->val, 100,
			       OBJHASH_INSERT_REPLACE, 0, NULL));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_GT(st1.memory + mem, st.memory - st.pending_memory);

	/* all of it goes back */
	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, NULL));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.memory);
	EXPECT_EQ(0, st.pending_memory);
}

/*
 * Replacing one key's 64 KiB value as fast as one thread can queues a
 * value's memory behind RCU per replace.  With max_memory at 4 MiB, once
 * more than half of it is pending, INSERTs wait for a grace period
 * (throttled counts them) and what is pending stays within max_memory
 * (the bound is half of it; callbacks run a little after the grace
 * period, hence the margin).
 */
TEST_F_TIMEOUT(memory, replace_storm_bounded, OH_SLOW_TIMEOUT)
{
	const unsigned long long limit = 4ULL << 20;
	unsigned long long peak = 0;
	struct objhash_stats st0, st;
	unsigned int n;

	ASSERT_EQ(0, oh_param_write_num("max_memory", limit));
	ASSERT_EQ(0, oh_stats(self->fd, &st0));
	for (n = 0; n < MT_STORM_MAX; n++) {
		self->val[0] = n;
		ASSERT_EQ(0, oh_insert(self->fd, "storm", 5, self->val,
				       MT_VALUE, OBJHASH_INSERT_REPLACE, 0,
				       NULL));
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		if (st.pending_memory > peak)
			peak = st.pending_memory;
		if (st.throttled - st0.throttled >= 20)
			break;
	}
	TH_LOG("%u replaces, %llu throttled, pending_memory peaked at %llu (max_memory %llu)",
	       n, (unsigned long long)(st.throttled - st0.throttled), peak,
	       limit);
	EXPECT_LT(0, st.throttled - st0.throttled);
	EXPECT_GE(limit, peak);
	EXPECT_LT(limit / 4, peak);

	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, NULL));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.memory);
	EXPECT_EQ(0, st.pending_memory);
}

OBJHASH_TEST_MAIN
