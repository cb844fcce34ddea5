// SPDX-License-Identifier: GPL-2.0
/*
 * objhash BATCH: the guarantees of struct objhash_batch(_op) in the UAPI
 * header.  Every op kind fails in every documented way, mixed in one
 * batch, with and without OBJHASH_BATCH_STOP_ON_ERROR (later ops get
 * -ECANCELED and really do not run); done and failed; the call's own
 * errors (count, op_size, flags, reserved, an ops array that faults at
 * element k); per-op access (-EBADF); a nonzero op tail (-E2BIG); the
 * STATS counters; and a differential run: a random op list through BATCH
 * gives what the same ops give as single ioctls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define OPSZ	sizeof(struct objhash_batch_op)

FIXTURE(batch)
{
	int fd;
	struct objhash_stats st0;
	unsigned long long max_value_len;
	void *bad;		/* an address that faults */
	char *guard;		/* a page followed by two PROT_NONE ones */
};

FIXTURE_SETUP(batch)
{
	long psz = sysconf(_SC_PAGESIZE);

	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	ASSERT_EQ(0, oh_param_read("max_value_len", &self->max_value_len));
	/*
	 * PROT_NONE pages that stay mapped: a hole left by munmap() would be
	 * reused by the next mmap() of the test, and stop faulting.
	 */
	self->guard = mmap(NULL, 3 * psz, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->guard);
	ASSERT_EQ(0, mprotect(self->guard + psz, 2 * psz, PROT_NONE));
	self->bad = self->guard + 2 * psz;
}

FIXTURE_TEARDOWN(batch)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	close(self->fd);
	munmap(self->guard, 3 * sysconf(_SC_PAGESIZE));
}

static struct objhash_batch_op op_insert(const char *key, const char *val,
					 __u32 flags, __u64 expect)
{
	return (struct objhash_batch_op){
		.op = OBJHASH_BATCH_INSERT, .key = oh_ptr(key),
		.key_len = strlen(key), .value = oh_ptr(val),
		.value_len = val ? strlen(val) : 0, .flags = flags,
		.expect_version = expect, .result = 12345,
	};
}

static struct objhash_batch_op op_lookup(const char *key, void *buf,
					 __u32 len, __u32 flags)
{
	return (struct objhash_batch_op){
		.op = OBJHASH_BATCH_LOOKUP, .key = oh_ptr(key),
		.key_len = strlen(key), .value = oh_ptr(buf),
		.value_len = len, .flags = flags, .result = 12345,
	};
}

static struct objhash_batch_op op_delete(const char *key, __u64 expect)
{
	return (struct objhash_batch_op){
		.op = OBJHASH_BATCH_DELETE, .key = oh_ptr(key),
		.key_len = strlen(key), .expect_version = expect,
		.result = 12345,
	};
}

/* Stored value of @key is @val (NULL: absent); its version if asked. */
static int value_is(int fd, const char *key, const char *val, __u64 *ver)
{
	char buf[512];
	__u32 len = sizeof(buf);
	int ret = oh_lookup(fd, key, strlen(key), buf, &len, 0, ver);

	if (!val)
		return ret == -ENOENT ? 0 : -EEXIST;
	if (ret)
		return ret;
	return len == strlen(val) && !memcmp(buf, val, len) ? 0 : -EBADMSG;
}

/* Successful ops of each kind; out fields written; versions in order. */
TEST_F(batch, each_kind_succeeds)
{
	char buf[64] = { 0 };
	struct objhash_batch_op ops[6];
	struct objhash_stats st;
	__u32 done = 0, failed = 0;
	__u64 v0 = self->st0.version;
	int i;

	ops[0] = op_insert("b-one", "value-1", 0, 0);
	ops[1] = op_insert("b-two", "value-2", 0, 0);
	ops[2] = op_insert("b-one", "value-1b", OBJHASH_INSERT_REPLACE, v0 + 1);
	ops[3] = op_lookup("b-one", buf, sizeof(buf), 0);
	ops[4] = op_delete("b-two", v0 + 2);
	ops[5] = op_lookup("b-one", buf, sizeof(buf), OBJHASH_LOOKUP_DELETE);
	ASSERT_EQ(0, oh_batch(self->fd, ops, 6, 0, &done, &failed));
	EXPECT_EQ(6, done);
	EXPECT_EQ(0, failed);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(0, ops[i].result) TH_LOG("op %d", i);
	EXPECT_EQ(v0 + 1, ops[0].version);
	EXPECT_EQ(v0 + 2, ops[1].version);
	EXPECT_EQ(v0 + 3, ops[2].version);
	EXPECT_EQ(v0 + 3, ops[3].version);
	EXPECT_EQ(8, ops[3].value_len);
	EXPECT_EQ(v0 + 3, ops[5].version);
	EXPECT_EQ(8, ops[5].value_len);
	EXPECT_EQ(0, memcmp(buf, "value-1b", 8));
	EXPECT_EQ(0, buf[8]) TH_LOG("bytes past the value written");
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, value_is(self->fd, "b-one", NULL, NULL));
	EXPECT_EQ(0, value_is(self->fd, "b-two", NULL, NULL));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(v0 + 3, st.version);
	EXPECT_EQ(self->st0.inserts + 2, st.inserts);
	EXPECT_EQ(self->st0.replaces + 1, st.replaces);
	EXPECT_EQ(self->st0.deletes + 2, st.deletes);
	EXPECT_EQ(self->st0.lookups + 2, st.lookups);
	EXPECT_EQ(self->st0.hits + 2, st.hits);
}

/* count 0: nothing to do, even with no array. */
TEST_F(batch, count_zero)
{
	__u32 done = 1, failed = 1;

	EXPECT_EQ(0, oh_batch(self->fd, NULL, 0, 0, &done, &failed));
	EXPECT_EQ(0, done);
	EXPECT_EQ(0, failed);
	EXPECT_EQ(0, oh_batch(self->fd, NULL, 0, OBJHASH_BATCH_STOP_ON_ERROR,
			      &done, &failed));
}

/*
 * Every documented failure of every op kind in one batch, between ops
 * that succeed: each op's result is its single command's errno, failed
 * counts them, and only the successful ops changed the table.
 */
TEST_F(batch, every_failure_mixed)
{
	long psz = sysconf(_SC_PAGESIZE);
	char small[4], out[64], ro_key[8];
	char *big = malloc(self->max_value_len + 1);
	char *ro = mmap(NULL, psz, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char longkey[OBJHASH_KEY_MAX + 1];
	struct objhash_batch_op ops[40];
	int want[40];
	struct objhash_stats st;
	__u64 vx = 0, vy = 0;
	__u32 done = 0, failed = 0, n = 0, nfail = 0, i;

	ASSERT_NE(NULL, big);
	ASSERT_NE(MAP_FAILED, ro);
	memset(big, 'v', self->max_value_len + 1);
	memset(longkey, 'k', sizeof(longkey));
	strcpy(ro, "x");
	ASSERT_EQ(0, mprotect(ro, psz, PROT_READ));
	memcpy(ro_key, "x", 2);
	ASSERT_EQ(0, oh_insert_str(self->fd, "x", "xval", 0, &vx));
	ASSERT_EQ(0, oh_insert_str(self->fd, "y", "yval", 0, &vy));

#define ADD(o, err) do { ops[n] = (o); want[n] = (err); n++; } while (0)
	/* INSERT */
	ADD(op_insert("x", "dup", 0, 0), -EEXIST);
	ADD(op_insert("nx", "v", OBJHASH_INSERT_REPLACE |
		      OBJHASH_INSERT_NOCREATE, 0), -ENOENT);
	ADD(op_insert("x", "v", OBJHASH_INSERT_REPLACE, vx + 1000), -ESTALE);
	ADD(op_insert("nx", "v", OBJHASH_INSERT_REPLACE, vx), -ENOENT);
	ADD(op_insert("x", "v", 0, vx), -EINVAL);	/* expect without REPLACE */
	ADD(op_insert("nx", "v", OBJHASH_INSERT_NOCREATE, 0), -EINVAL);
	ADD(op_insert("nx", "v", 1U << 7, 0), -EINVAL);
	ADD(op_insert("new-1", "v1", 0, 0), 0);
	ops[n] = op_insert("nx", "v", 0, 0);
	ops[n].key_len = 0;
	want[n++] = -EINVAL;
	ops[n] = op_insert("nx", "v", 0, 0);
	ops[n].key = oh_ptr(longkey);
	ops[n].key_len = OBJHASH_KEY_MAX + 1;
	want[n++] = -EINVAL;
	ops[n] = op_insert("nx", "v", 0, 0);
	ops[n].reserved = 1;
	want[n++] = -EINVAL;
	ops[n] = op_insert("nx", NULL, 0, 0);
	ops[n].value = oh_ptr(big);
	ops[n].value_len = self->max_value_len + 1;
	want[n++] = -EMSGSIZE;
	ops[n] = op_insert("nx", "v", 0, 0);
	ops[n].key = oh_ptr(self->bad);
	want[n++] = -EFAULT;
	ops[n] = op_insert("nx", "v", 0, 0);
	ops[n].value = oh_ptr(self->bad);
	want[n++] = -EFAULT;
	/* a replace whose value faults keeps the old value */
	ops[n] = op_insert("y", "v", OBJHASH_INSERT_REPLACE, 0);
	ops[n].value = oh_ptr(self->guard + psz - 1);
	ops[n].value_len = 2;
	want[n++] = -EFAULT;
	/* LOOKUP */
	ADD(op_lookup("nx", out, sizeof(out), 0), -ENOENT);
	ADD(op_lookup("x", small, sizeof(small) - 1, 0), -ERANGE);
	ADD(op_lookup("x", small, sizeof(small) - 1, OBJHASH_LOOKUP_DELETE),
	    -ERANGE);
	ADD(op_lookup("x", out, sizeof(out), 1U << 9), -EINVAL);
	ADD(op_lookup("x", ro, 64, 0), -EFAULT);
	ADD(op_lookup("x", ro, 64, OBJHASH_LOOKUP_DELETE), -EFAULT);
	ADD(op_lookup("x", self->bad, 64, OBJHASH_LOOKUP_DELETE), -EFAULT);
	ops[n] = op_lookup("x", out, sizeof(out), 0);
	ops[n].key = oh_ptr(self->bad);
	want[n++] = -EFAULT;
	ops[n] = op_lookup("x", out, sizeof(out), 0);
	ops[n].expect_version = vx;		/* zero for LOOKUP */
	want[n++] = -EINVAL;
	ops[n] = op_lookup("x", out, sizeof(out), 0);
	ops[n].key_len = 0;
	want[n++] = -EINVAL;
	ops[n] = op_lookup("x", out, sizeof(out), 0);
	ops[n].reserved = 0x80000000;
	want[n++] = -EINVAL;
	ADD(op_lookup("x", out, sizeof(out), 0), 0);
	/* DELETE */
	ADD(op_delete("nx", 0), -ENOENT);
	ADD(op_delete("x", vx + 7), -ESTALE);
	ops[n] = op_delete("x", 0);
	ops[n].flags = 1;
	want[n++] = -EINVAL;
	ops[n] = op_delete("x", 0);
	ops[n].key = oh_ptr(self->guard + psz - 1);
	ops[n].key_len = 2;			/* into the hole */
	want[n++] = -EFAULT;
	ops[n] = op_delete("x", 0);
	ops[n].key_len = OBJHASH_KEY_MAX + 1;
	ops[n].key = oh_ptr(longkey);
	want[n++] = -EINVAL;
	/* op codes */
	ops[n] = op_delete("x", 0);
	ops[n].op = 0;
	want[n++] = -EINVAL;
	ops[n] = op_delete("x", 0);
	ops[n].op = 4;
	want[n++] = -EINVAL;
	ops[n] = op_delete("x", 0);
	ops[n].op = 0xffffffff;
	want[n++] = -EINVAL;
	ADD(op_delete("new-1", 0), 0);
	ADD(op_insert("new-2", "v2", 0, 0), 0);
#undef ADD
	ASSERT_GE(ARRAY_SIZE(ops), n);
	for (i = 0; i < n; i++)
		nfail += want[i] != 0;
	ASSERT_EQ(0, oh_batch(self->fd, ops, n, 0, &done, &failed));
	EXPECT_EQ(n, done);
	EXPECT_EQ(nfail, failed);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(want[i], ops[i].result) {
			TH_LOG("op %u (kind %u): want %d, got %d", i, ops[i].op,
			       want[i], ops[i].result);
		}
	}
	/* ERANGE writes back the stored length and version */
	EXPECT_EQ(4, ops[16].value_len);
	EXPECT_EQ(vx, ops[16].version);
	EXPECT_EQ(4, ops[17].value_len);
	/* the table: x and y as they were, new-1 gone, new-2 there */
	EXPECT_EQ(0, value_is(self->fd, "x", "xval", NULL));
	EXPECT_EQ(0, value_is(self->fd, "y", "yval", NULL));
	EXPECT_EQ(0, value_is(self->fd, "nx", NULL, NULL));
	EXPECT_EQ(0, value_is(self->fd, "new-1", NULL, NULL));
	EXPECT_EQ(0, value_is(self->fd, "new-2", "v2", NULL));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(3, st.objects);
	EXPECT_EQ(vy + 2, st.version) TH_LOG("failed ops took versions");
	EXPECT_EQ(self->st0.inserts + 4, st.inserts);
	EXPECT_EQ(self->st0.replaces, st.replaces);
	EXPECT_EQ(self->st0.deletes + 1, st.deletes);
	free(big);
	munmap(ro, psz);
}

/* ok, ok, the op that fails with @err, then three that would succeed */
static void soe_build(struct objhash_batch_op *ops, int err, __u64 vk,
		      char *out, char *small, char *big, __u32 vmax, void *bad)
{
	ops[0] = op_insert("a", "1", 0, 0);
	ops[1] = op_lookup("keep", out, 64, 0);
	switch (err) {
	case -EEXIST: ops[2] = op_insert("a", "2", 0, 0); break;
	case -ENOENT: ops[2] = op_delete("zz", 0); break;
	case -ESTALE: ops[2] = op_delete("keep", vk + 1); break;
	case -EINVAL: ops[2] = op_delete("keep", 0);
		ops[2].op = 99; break;
	case -EFAULT: ops[2] = op_insert("f", "x", 0, 0);
		ops[2].key = oh_ptr(bad); break;
	case -ERANGE: ops[2] = op_lookup("keep", small, 1, 0); break;
	case -EMSGSIZE: ops[2] = op_insert("m", NULL, 0, 0);
		ops[2].value = oh_ptr(big);
		ops[2].value_len = vmax + 1; break;
	}
	ops[3] = op_insert("b", "3", 0, 0);
	ops[4] = op_delete("keep", 0);
	ops[5] = op_lookup("keep", out, 64, OBJHASH_LOOKUP_DELETE);
}

/*
 * STOP_ON_ERROR: the first failing op ends the batch; every later op is
 * -ECANCELED and did not run (the table shows it), done counts the ops
 * run, failed is one.  Without the flag the same batch runs every op.
 */
TEST_F(batch, stop_on_error)
{
	static const int fails[] = { -EEXIST, -ENOENT, -ESTALE, -EINVAL,
				     -EFAULT, -ERANGE, -EMSGSIZE };
	char out[64], small[2];
	char *big = malloc(self->max_value_len + 1);
	unsigned int f;

	ASSERT_NE(NULL, big);
	memset(big, 'b', self->max_value_len + 1);
	for (f = 0; f < ARRAY_SIZE(fails); f++) {
		struct objhash_batch_op ops[6];
		struct objhash_stats st;
		__u64 vk = 0, v0;
		__u32 done = 0, failed = 0, i;

		ASSERT_EQ(0, oh_purge_all(self->fd));
		ASSERT_EQ(0, oh_insert_str(self->fd, "keep", "kv", 0, &vk));
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		v0 = st.version;
		soe_build(ops, fails[f], vk, out, small, big,
			  self->max_value_len, self->bad);
		ASSERT_EQ(0, oh_batch(self->fd, ops, 6,
				      OBJHASH_BATCH_STOP_ON_ERROR, &done,
				      &failed));
		EXPECT_EQ(3, done) TH_LOG("%s", strerror(-fails[f]));
		EXPECT_EQ(1, failed);
		EXPECT_EQ(0, ops[0].result);
		EXPECT_EQ(0, ops[1].result);
		EXPECT_EQ(fails[f], ops[2].result);
		for (i = 3; i < 6; i++) {
			EXPECT_EQ(-ECANCELED, ops[i].result) TH_LOG("op %u", i);
			EXPECT_EQ(0, ops[i].version) TH_LOG("op %u ran", i);
		}
		/* really not run */
		EXPECT_EQ(0, value_is(self->fd, "b", NULL, NULL));
		EXPECT_EQ(0, value_is(self->fd, "keep", "kv", NULL));
		EXPECT_EQ(0, value_is(self->fd, "a", "1", NULL));
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		EXPECT_EQ(v0 + 1, st.version);
		EXPECT_EQ(2, st.objects);

		/* the same without the flag: everything runs */
		ASSERT_EQ(0, oh_delete_str(self->fd, "a"));
		soe_build(ops, fails[f], vk, out, small, big,
			  self->max_value_len, self->bad);
		ASSERT_EQ(0, oh_batch(self->fd, ops, 6, 0, &done, &failed));
		EXPECT_EQ(6, done);
		EXPECT_EQ(2, failed);	/* ops[2] again, and ops[5]: keep gone */
		EXPECT_EQ(fails[f], ops[2].result);
		EXPECT_EQ(0, ops[3].result);
		EXPECT_EQ(0, ops[4].result);
		EXPECT_EQ(-ENOENT, ops[5].result);
		EXPECT_EQ(0, value_is(self->fd, "b", "3", NULL));
		EXPECT_EQ(0, value_is(self->fd, "keep", NULL, NULL));
	}
	/* a batch that does not fail stops nowhere */
	{
		struct objhash_batch_op ops[2] = {
			op_insert("s1", "1", 0, 0), op_insert("s2", "2", 0, 0),
		};
		__u32 done = 0, failed = 0;

		ASSERT_EQ(0, oh_batch(self->fd, ops, 2,
				      OBJHASH_BATCH_STOP_ON_ERROR, &done,
				      &failed));
		EXPECT_EQ(2, done);
		EXPECT_EQ(0, failed);
	}
	free(big);
}

/* Per-op access: each op needs what its command needs. */
TEST_F(batch, access_per_op)
{
	int ro = open(OBJHASH_DEV, O_RDONLY), wo = open(OBJHASH_DEV, O_WRONLY);
	char out[64];
	struct objhash_batch_op ops[4];
	__u32 done = 0, failed = 0;
	__u64 vk = 0;

	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "kv", 0, &vk));
	/* read-only: LOOKUP only */
	ops[0] = op_insert("n", "v", 0, 0);
	ops[1] = op_lookup("k", out, sizeof(out), 0);
	ops[2] = op_delete("k", 0);
	ops[3] = op_lookup("k", out, sizeof(out), OBJHASH_LOOKUP_DELETE);
	ASSERT_EQ(0, oh_batch(ro, ops, 4, 0, &done, &failed));
	EXPECT_EQ(4, done);
	EXPECT_EQ(3, failed);
	EXPECT_EQ(-EBADF, ops[0].result);
	EXPECT_EQ(0, ops[1].result);
	EXPECT_EQ(vk, ops[1].version);
	EXPECT_EQ(-EBADF, ops[2].result);
	EXPECT_EQ(-EBADF, ops[3].result);
	EXPECT_EQ(0, value_is(self->fd, "n", NULL, NULL));
	EXPECT_EQ(0, value_is(self->fd, "k", "kv", NULL));
	/* write-only: INSERT and DELETE, no LOOKUP */
	ops[0] = op_insert("n", "v", 0, 0);
	ops[1] = op_lookup("k", out, sizeof(out), 0);
	ops[2] = op_lookup("k", out, sizeof(out), OBJHASH_LOOKUP_DELETE);
	ops[3] = op_delete("k", 0);
	ASSERT_EQ(0, oh_batch(wo, ops, 4, 0, &done, &failed));
	EXPECT_EQ(4, done);
	EXPECT_EQ(2, failed);
	EXPECT_EQ(0, ops[0].result);
	EXPECT_EQ(-EBADF, ops[1].result);
	EXPECT_EQ(-EBADF, ops[2].result);
	EXPECT_EQ(0, ops[3].result);
	EXPECT_EQ(0, value_is(self->fd, "n", "v", NULL));
	EXPECT_EQ(0, value_is(self->fd, "k", NULL, NULL));
	/* STOP_ON_ERROR stops on -EBADF too */
	ops[0] = op_lookup("n", out, sizeof(out), 0);
	ops[1] = op_insert("n2", "v", 0, 0);
	ops[2] = op_insert("n3", "v", 0, 0);
	ASSERT_EQ(0, oh_batch(ro, ops, 3, OBJHASH_BATCH_STOP_ON_ERROR, &done,
			      &failed));
	EXPECT_EQ(2, done);
	EXPECT_EQ(1, failed);
	EXPECT_EQ(-EBADF, ops[1].result);
	EXPECT_EQ(-ECANCELED, ops[2].result);
	EXPECT_EQ(0, value_is(self->fd, "n3", NULL, NULL));
	close(ro);
	close(wo);
}

/* The call's own errors: nothing runs. */
TEST_F(batch, call_errors)
{
	struct objhash_batch_op ops[2] = {
		op_insert("c1", "1", 0, 0), op_insert("c2", "2", 0, 0),
	};
	static const __u32 bad_sizes[] = { 0, 8, 48, OPSZ - 1, OPSZ + 1,
					   OPSZ + 4, 4097, 4104, 8192,
					   0xffffffff };
	struct objhash_batch b = { .ops = oh_ptr(ops), .count = 2,
				   .op_size = OPSZ };
	struct objhash_stats st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_sizes); i++) {
		b.op_size = bad_sizes[i];
		EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, &b))
			TH_LOG("op_size %u", bad_sizes[i]);
	}
	b.op_size = OPSZ;
	for (i = 1; i < 32; i++) {
		b.flags = 1U << i;
		EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, &b))
			TH_LOG("flag bit %u", i);
	}
	b.flags = 0;
	b.reserved = 1;
	EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, &b));
	b.reserved = 0;
	b.count = OBJHASH_BATCH_MAX + 1;
	EXPECT_EQ(-E2BIG, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, &b));
	b.count = 0xffffffff;
	EXPECT_EQ(-E2BIG, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, &b));
	EXPECT_EQ(12345, ops[0].result);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.version, st.version);
	/* the struct unreadable */
	EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, NULL));
	EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, self->bad));
}

/* op_size 64 and 4096: a zero tail runs, a nonzero tail is that op's -E2BIG. */
TEST_F(batch, op_size_and_tail)
{
	static const __u32 sizes[] = { 64, 4096 };
	unsigned int s;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		__u32 sz = sizes[s], done = 0, failed = 0;
		unsigned char *arr = calloc(3, sz);
		struct objhash_batch b = { .ops = oh_ptr(arr), .count = 3,
					   .op_size = sz };
		struct objhash_batch_op o[3] = {
			op_insert("t0", "0", 0, 0), op_insert("t1", "1", 0, 0),
			op_insert("t2", "2", 0, 0),
		};
		struct objhash_batch_op back;

		ASSERT_NE(NULL, arr);
		ASSERT_EQ(0, oh_purge_all(self->fd));
		memcpy(arr, &o[0], OPSZ);
		memcpy(arr + sz, &o[1], OPSZ);
		memcpy(arr + 2 * sz, &o[2], OPSZ);
		arr[sz + sz - 1] = 1;		/* op 1's last byte */
		ASSERT_EQ(0, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, &b));
		done = b.done;
		failed = b.failed;
		EXPECT_EQ(3, done);
		EXPECT_EQ(1, failed);
		memcpy(&back, arr, OPSZ);
		EXPECT_EQ(0, back.result);
		memcpy(&back, arr + sz, OPSZ);
		EXPECT_EQ(-E2BIG, back.result) TH_LOG("op_size %u", sz);
		memcpy(&back, arr + 2 * sz, OPSZ);
		EXPECT_EQ(0, back.result);
		/* the tail is not the module's to write */
		EXPECT_EQ(1, arr[sz + sz - 1]);
		EXPECT_EQ(0, arr[sz - 1]);
		EXPECT_EQ(0, value_is(self->fd, "t0", "0", NULL));
		EXPECT_EQ(0, value_is(self->fd, "t1", NULL, NULL));
		EXPECT_EQ(0, value_is(self->fd, "t2", "2", NULL));
		/* first tail byte */
		memset(arr, 0, 3 * sz);
		memcpy(arr, &o[1], OPSZ);
		arr[OPSZ] = 0x80;
		b.count = 1;
		ASSERT_EQ(0, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, &b));
		memcpy(&back, arr, OPSZ);
		EXPECT_EQ(-E2BIG, back.result);
		EXPECT_EQ(0, value_is(self->fd, "t1", NULL, NULL));
		free(arr);
	}
}

/*
 * The ops array faults at element k (unmapped from there, or element k
 * straddling into the hole): EFAULT, done == k, ops before k ran with
 * their results written, op k and later did not run.
 */
TEST_F(batch, ops_array_faults_at_k)
{
	long psz = sysconf(_SC_PAGESIZE);
	unsigned int k, straddle;

	for (straddle = 0; straddle < 2; straddle++) {
		for (k = 0; k < 5; k++) {
			unsigned char *end = (unsigned char *)self->guard + psz;
			struct objhash_batch_op *ops = (void *)(end - k * OPSZ -
							(straddle ? 8 : 0));
			static char keys[8][8];
			struct objhash_batch b = { .ops = oh_ptr(ops),
						   .count = 8,
						   .op_size = OPSZ };
			struct objhash_stats st;
			unsigned int i;

			ASSERT_EQ(0, oh_purge_all(self->fd));
			for (i = 0; i < 8; i++)
				snprintf(keys[i], sizeof(keys[i]), "f%u", i);
			for (i = 0; i < k; i++) {
				struct objhash_batch_op o =
					op_insert(keys[i], "v", 0, 0);

				memcpy(&ops[i], &o, OPSZ);
			}
			/* op k's readable part: an insert of keys[k] */
			if (straddle) {
				struct objhash_batch_op o =
					op_insert(keys[k], "v", 0, 0);

				memcpy(&ops[k], &o, 8);
			}
			EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_BATCH,
						    &b)) TH_LOG("k %u", k);
			EXPECT_EQ(k, b.done) TH_LOG("k %u, straddle %u", k,
						    straddle);
			EXPECT_EQ(0, b.failed);
			for (i = 0; i < k; i++) {
				EXPECT_EQ(0, ops[i].result);
				EXPECT_NE(0, ops[i].version);
				EXPECT_EQ(0, value_is(self->fd, keys[i], "v",
						      NULL));
			}
			EXPECT_EQ(0, value_is(self->fd, keys[k], NULL, NULL));
			ASSERT_EQ(0, oh_stats(self->fd, &st));
			EXPECT_EQ(k, st.objects);
		}
	}
}

/* An ops array that can be read but not written: nothing runs. */
TEST_F(batch, ops_array_read_only)
{
	long psz = sysconf(_SC_PAGESIZE);
	struct objhash_batch_op *ops = mmap(NULL, psz, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct objhash_batch b = { .ops = oh_ptr(ops), .count = 2,
				   .op_size = OPSZ };
	struct objhash_stats st;

	ASSERT_NE(MAP_FAILED, ops);
	ops[0] = op_insert("r0", "v", 0, 0);
	ops[1] = op_insert("r1", "v", 0, 0);
	ASSERT_EQ(0, mprotect(ops, psz, PROT_READ));
	EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_BATCH, &b));
	EXPECT_EQ(0, b.done);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.version, st.version);
	munmap(ops, psz);
}

/* OBJHASH_BATCH_MAX ops are accepted, one more is not. */
TEST_F(batch, count_max)
{
	struct objhash_batch_op *ops = calloc(OBJHASH_BATCH_MAX, OPSZ);
	struct objhash_stats st;
	__u32 done = 0, failed = 0, i, bad = 0;

	ASSERT_NE(NULL, ops);
	ASSERT_EQ(0, oh_insert_str(self->fd, "hit", "h", 0, NULL));
	for (i = 0; i < OBJHASH_BATCH_MAX; i++)
		ops[i] = op_lookup(i % 2 ? "hit" : "miss", NULL, 0, 0);
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	ASSERT_EQ(0, oh_batch(self->fd, ops, OBJHASH_BATCH_MAX, 0, &done,
			      &failed));
	EXPECT_EQ(OBJHASH_BATCH_MAX, done);
	EXPECT_EQ(OBJHASH_BATCH_MAX, failed);
	for (i = 0; i < OBJHASH_BATCH_MAX; i++)
		bad += ops[i].result != (i % 2 ? -ERANGE : -ENOENT);
	EXPECT_EQ(0, bad);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(self->st0.lookups + OBJHASH_BATCH_MAX, st.lookups);
	EXPECT_EQ(self->st0.hits + OBJHASH_BATCH_MAX / 2, st.hits);
	EXPECT_EQ(-E2BIG, oh_batch(self->fd, ops, OBJHASH_BATCH_MAX + 1, 0,
				   &done, &failed));
	free(ops);
}

/*
 * STATS: each LOOKUP op that reaches the table counts one lookup, a hit
 * unless ENOENT (ERANGE included); one with a bad key_len counts nothing.
 */
TEST_F(batch, stats_per_lookup_op)
{
	char out[64], small[1];
	struct objhash_batch_op ops[5];
	struct objhash_stats st;

	ASSERT_EQ(0, oh_insert_str(self->fd, "s", "sval", 0, NULL));
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	ops[0] = op_lookup("s", out, sizeof(out), 0);
	ops[1] = op_lookup("nope", out, sizeof(out), 0);
	ops[2] = op_lookup("s", small, sizeof(small), 0);
	ops[3] = op_lookup("s", out, sizeof(out), 0);
	ops[3].key_len = 0;
	ops[4] = op_lookup("s", out, sizeof(out), 0);
	ASSERT_EQ(0, oh_batch(self->fd, ops, 5, 0, NULL, NULL));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(self->st0.lookups + 4, st.lookups);
	EXPECT_EQ(self->st0.hits + 3, st.hits);
}

/* ---- differential: BATCH against single ioctls -------------------------- */

#define DF_OPS		600
#define DF_KEYS		12

struct df_op {
	struct objhash_batch_op o;
	char key[24];
	char val[300];
	char out[300];
};

/*
 * A random op list over a few keys with every kind of mistake mixed in;
 * expect_version is relative to the run's base version (@base added
 * later), so both runs see the same conditions.
 */
static void df_make(struct df_op *d, unsigned int n, unsigned int seed,
		    void *bad)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct objhash_batch_op *o = &d[i].o;
		unsigned int r = rand_r(&seed) % 100, vl;

		memset(&d[i], 0, sizeof(d[i]));
		snprintf(d[i].key, sizeof(d[i].key), "df-%u",
			 rand_r(&seed) % DF_KEYS);
		vl = rand_r(&seed) % sizeof(d[i].val);
		memset(d[i].val, 'a' + i % 26, vl);
		o->key = oh_ptr(d[i].key);
		o->key_len = strlen(d[i].key);
		if (r < 40) {
			o->op = OBJHASH_BATCH_INSERT;
			o->value = oh_ptr(d[i].val);
			o->value_len = vl;
			o->flags = rand_r(&seed) % 4;	/* NOCREATE alone: EINVAL */
			if (o->flags & OBJHASH_INSERT_REPLACE &&
			    rand_r(&seed) % 2)
				o->expect_version = 1 + rand_r(&seed) % (i + 1);
		} else if (r < 75) {
			o->op = OBJHASH_BATCH_LOOKUP;
			o->value = oh_ptr(d[i].out);
			o->value_len = rand_r(&seed) % 4 ? sizeof(d[i].out) :
				       rand_r(&seed) % 20;
			o->flags = rand_r(&seed) % 5 ? 0 : OBJHASH_LOOKUP_DELETE;
		} else if (r < 92) {
			o->op = OBJHASH_BATCH_DELETE;
			if (rand_r(&seed) % 2)
				o->expect_version = 1 + rand_r(&seed) % (i + 1);
		} else {
			/* a mistake */
			o->op = 1 + rand_r(&seed) % 3;
			o->value = oh_ptr(d[i].out);
			o->value_len = 10;
			switch (rand_r(&seed) % 6) {
			case 0: o->key_len = 0; break;
			case 1: o->key = oh_ptr(bad); break;
			case 2: o->reserved = 1; break;
			case 3: o->flags = 1U << 20; break;
			case 4: o->op = 77; break;
			case 5: o->value = oh_ptr(bad); break;
			}
		}
		o->result = 12345;
	}
}

/* Run op @o as its single ioctl on @fd; the result and out fields into @o. */
static void df_single(int fd, struct objhash_batch_op *o)
{
	int ret;

	switch (o->op) {
	case OBJHASH_BATCH_INSERT: {
		struct objhash_insert a = {
			.key = o->key, .value = o->value, .key_len = o->key_len,
			.value_len = o->value_len, .flags = o->flags,
			.reserved = o->reserved,
			.expect_version = o->expect_version,
		};

		ret = oh_ioctl(fd, OBJHASH_IOC_INSERT, &a);
		if (!ret)
			o->version = a.version;
		break;
	}
	case OBJHASH_BATCH_LOOKUP: {
		struct objhash_lookup a = {
			.key = o->key, .value = o->value, .key_len = o->key_len,
			.value_len = o->value_len, .flags = o->flags,
			.reserved = o->reserved,
		};

		ret = oh_ioctl(fd, OBJHASH_IOC_LOOKUP, &a);
		if (!ret || ret == -ERANGE) {
			o->value_len = a.value_len;
			o->version = a.version;
		}
		break;
	}
	case OBJHASH_BATCH_DELETE: {
		struct objhash_delete a = {
			.key = o->key, .key_len = o->key_len,
			.flags = o->flags, .expect_version = o->expect_version,
		};

		/* no reserved field: a nonzero one is the op's EINVAL */
		ret = o->reserved ? -EINVAL :
		      oh_ioctl(fd, OBJHASH_IOC_DELETE, &a);
		break;
	}
	default:
		ret = -EINVAL;
	}
	o->result = ret;
}

/* The stats a run changes. */
struct df_counts {
	__u64 objects, bytes, version, inserts, replaces, deletes, lookups,
	      hits;
};

static struct df_counts df_delta(const struct objhash_stats *a,
				 const struct objhash_stats *b)
{
	return (struct df_counts){
		.objects = b->objects, .bytes = b->bytes,
		.version = b->version - a->version,
		.inserts = b->inserts - a->inserts,
		.replaces = b->replaces - a->replaces,
		.deletes = b->deletes - a->deletes,
		.lookups = b->lookups - a->lookups,
		.hits = b->hits - a->hits,
	};
}

TEST_F(batch, differential)
{
	struct df_op *one = calloc(DF_OPS, sizeof(*one));
	struct df_op *bat = calloc(DF_OPS, sizeof(*bat));
	struct objhash_batch_op *arr = calloc(DF_OPS, OPSZ);
	unsigned int seeds[] = { 1, 2, 3, 42 }, s;

	ASSERT_NE(NULL, one);
	ASSERT_NE(NULL, bat);
	ASSERT_NE(NULL, arr);
	for (s = 0; s < ARRAY_SIZE(seeds); s++) {
		struct objhash_stats a, b;
		struct df_counts c1, c2;
		__u64 base1, base2;
		unsigned int i, pos, diffs = 0, errs = 0;

		/* run 1: single ioctls */
		df_make(one, DF_OPS, seeds[s], self->bad);
		ASSERT_EQ(0, oh_purge_all(self->fd));
		ASSERT_EQ(0, oh_stats(self->fd, &a));
		base1 = a.version;
		for (i = 0; i < DF_OPS; i++) {
			if (one[i].o.expect_version)
				one[i].o.expect_version += base1;
			df_single(self->fd, &one[i].o);
			errs += one[i].o.result != 0;
		}
		ASSERT_EQ(0, oh_stats(self->fd, &b));
		c1 = df_delta(&a, &b);

		/* run 2: the same ops in batches of random sizes */
		df_make(bat, DF_OPS, seeds[s], self->bad);
		ASSERT_EQ(0, oh_purge_all(self->fd));
		ASSERT_EQ(0, oh_stats(self->fd, &a));
		base2 = a.version;
		for (i = 0; i < DF_OPS; i++) {
			if (bat[i].o.expect_version)
				bat[i].o.expect_version += base2;
			arr[i] = bat[i].o;
		}
		for (pos = 0; pos < DF_OPS;) {
			unsigned int cnt = 1 + (pos * 7 + s) % 90;
			__u32 done = 0, failed = 0, f = 0;

			if (cnt > DF_OPS - pos)
				cnt = DF_OPS - pos;
			ASSERT_EQ(0, oh_batch(self->fd, arr + pos, cnt, 0,
					      &done, &failed));
			EXPECT_EQ(cnt, done);
			for (i = pos; i < pos + cnt; i++)
				f += arr[i].result != 0;
			EXPECT_EQ(f, failed);
			pos += cnt;
		}
		ASSERT_EQ(0, oh_stats(self->fd, &b));
		c2 = df_delta(&a, &b);

		for (i = 0; i < DF_OPS; i++) {
			const struct objhash_batch_op *x = &one[i].o, *y = &arr[i];
			bool same = x->result == y->result;

			/* out fields, versions relative to each run's base */
			if (x->op == OBJHASH_BATCH_LOOKUP &&
			    (!x->result || x->result == -ERANGE))
				same &= x->value_len == y->value_len &&
					x->version - base1 == y->version - base2;
			if (x->op == OBJHASH_BATCH_INSERT && !x->result)
				same &= x->version - base1 == y->version - base2;
			if (x->op == OBJHASH_BATCH_LOOKUP && !x->result)
				same &= !memcmp(one[i].out, bat[i].out,
						x->value_len);
			if (!same && !diffs++)
				TH_LOG("seed %u op %u (kind %u): single %d len %u, batch %d len %u",
				       seeds[s], i, x->op, x->result,
				       x->value_len, y->result, y->value_len);
		}
		EXPECT_EQ(0, diffs);
		EXPECT_EQ(0, memcmp(&c1, &c2, sizeof(c1))) {
			TH_LOG("seed %u: stats differ: objects %llu/%llu version +%llu/+%llu inserts %llu/%llu replaces %llu/%llu deletes %llu/%llu lookups %llu/%llu hits %llu/%llu",
			       seeds[s],
			       (unsigned long long)c1.objects, (unsigned long long)c2.objects,
			       (unsigned long long)c1.version, (unsigned long long)c2.version,
			       (unsigned long long)c1.inserts, (unsigned long long)c2.inserts,
			       (unsigned long long)c1.replaces, (unsigned long long)c2.replaces,
			       (unsigned long long)c1.deletes, (unsigned long long)c2.deletes,
			       (unsigned long long)c1.lookups, (unsigned long long)c2.lookups,
			       (unsigned long long)c1.hits, (unsigned long long)c2.hits);
		}
		TH_LOG("seed %u: %u ops, %u failed, %llu inserts, %llu lookups",
		       seeds[s], DF_OPS, errs, (unsigned long long)c1.inserts,
		       (unsigned long long)c1.lookups);
	}
	free(one);
	free(bat);
	free(arr);
}

OBJHASH_TEST_MAIN
