// SPDX-License-Identifier: GPL-2.0
/*
 * objhash ABI: every command, flag and errno of ABI.md, one broken field
 * per case, plus EFAULT handling of key, value and buffer pointers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

/*
 * The layouts of the header, checked at build time for -m64 and -m32 (the
 * _32 build): every field where the header says, sizes as published.
 */
#define OFF(t, f, o) _Static_assert(offsetof(struct t, f) == (o), #t "." #f)
OFF(objhash_insert, key, 0); OFF(objhash_insert, value, 8);
OFF(objhash_insert, key_len, 16); OFF(objhash_insert, value_len, 20);
OFF(objhash_insert, flags, 24); OFF(objhash_insert, reserved, 28);
OFF(objhash_insert, expect_version, 32); OFF(objhash_insert, version, 40);
OFF(objhash_lookup, key, 0); OFF(objhash_lookup, value, 8);
OFF(objhash_lookup, key_len, 16); OFF(objhash_lookup, value_len, 20);
OFF(objhash_lookup, flags, 24); OFF(objhash_lookup, reserved, 28);
OFF(objhash_lookup, version, 32);
OFF(objhash_delete, key, 0); OFF(objhash_delete, key_len, 8);
OFF(objhash_delete, flags, 12); OFF(objhash_delete, expect_version, 16);
OFF(objhash_purge, flags, 0); OFF(objhash_purge, reserved, 4);
OFF(objhash_purge, max_version, 8); OFF(objhash_purge, purged, 16);
OFF(objhash_purge, prefix, 24); OFF(objhash_purge, prefix_len, 32);
OFF(objhash_purge, reserved2, 36);
OFF(objhash_stats, hits, 104); OFF(objhash_stats, min_buckets, 112);
OFF(objhash_stats, rehashes_deferred, 168);
OFF(objhash_stats, memory, 176); OFF(objhash_stats, pending_memory, 184);
OFF(objhash_stats, max_memory, 192); OFF(objhash_stats, throttled, 200);
OFF(objhash_dump_rec, version, 0); OFF(objhash_dump_rec, rec_len, 8);
OFF(objhash_dump_rec, flags, 12); OFF(objhash_dump_rec, key_len, 16);
OFF(objhash_dump_rec, value_len, 20);
OFF(objhash_dump, buf, 0); OFF(objhash_dump, buf_len, 8);
OFF(objhash_dump, flags, 12); OFF(objhash_dump, cursor, 16);
OFF(objhash_dump, min_version, 48); OFF(objhash_dump, max_version, 56);
OFF(objhash_dump, max_records, 64); OFF(objhash_dump, records, 68);
OFF(objhash_dump, bytes, 72); OFF(objhash_dump, needed, 76);
OFF(objhash_dump, status, 80); OFF(objhash_dump, skipped, 84);
OFF(objhash_dump, version, 88);
OFF(objhash_batch_op, key, 0); OFF(objhash_batch_op, value, 8);
OFF(objhash_batch_op, key_len, 16); OFF(objhash_batch_op, value_len, 20);
OFF(objhash_batch_op, op, 24); OFF(objhash_batch_op, flags, 28);
OFF(objhash_batch_op, expect_version, 32); OFF(objhash_batch_op, version, 40);
OFF(objhash_batch_op, result, 48); OFF(objhash_batch_op, reserved, 52);
OFF(objhash_batch, ops, 0); OFF(objhash_batch, count, 8);
OFF(objhash_batch, op_size, 12); OFF(objhash_batch, flags, 16);
OFF(objhash_batch, done, 20); OFF(objhash_batch, failed, 24);
OFF(objhash_batch, reserved, 28);
#undef OFF
_Static_assert(sizeof(struct objhash_insert) == OBJHASH_INSERT_SIZE_VER0, "insert");
_Static_assert(sizeof(struct objhash_lookup) == OBJHASH_LOOKUP_SIZE_VER0, "lookup");
_Static_assert(sizeof(struct objhash_delete) == OBJHASH_DELETE_SIZE_VER0, "delete");
_Static_assert(OBJHASH_PURGE_SIZE_VER0 == 24, "first PURGE size");
_Static_assert(sizeof(struct objhash_purge) == 40, "purge grew by 16");
_Static_assert(sizeof(struct objhash_stats) == 208, "stats");
_Static_assert(sizeof(struct objhash_dump_rec) == 24, "dump record header");
_Static_assert(sizeof(struct objhash_dump) == OBJHASH_DUMP_SIZE_VER0, "dump");
_Static_assert(sizeof(struct objhash_batch) == OBJHASH_BATCH_SIZE_VER0, "batch");
_Static_assert(sizeof(struct objhash_batch_op) == OBJHASH_BATCH_OP_SIZE_VER0,
	       "batch op");
_Static_assert(OBJHASH_BATCH_OP_SIZE_VER0 % 8 == 0, "ops are 8-aligned");
_Static_assert(_IOC_SIZE(OBJHASH_IOC_PURGE) == 40, "PURGE command size");
_Static_assert(_IOC_SIZE(OBJHASH_IOC_DUMP) == 96, "DUMP command size");
_Static_assert(_IOC_SIZE(OBJHASH_IOC_BATCH) == 32, "BATCH command size");
_Static_assert(_IOC_NR(OBJHASH_IOC_DUMP) == 6 && _IOC_NR(OBJHASH_IOC_BATCH) == 7,
	       "command numbers");
_Static_assert(_IOC_DIR(OBJHASH_IOC_DUMP) == (_IOC_READ | _IOC_WRITE) &&
	       _IOC_DIR(OBJHASH_IOC_BATCH) == (_IOC_READ | _IOC_WRITE),
	       "DUMP and BATCH are in/out");
_Static_assert(_Alignof(struct objhash_dump) == 8 || sizeof(void *) == 4,
	       "8-aligned on 64-bit");

FIXTURE(objhash)
{
	/* O_RDWR fd on /dev/objhash, emptied by a waiting PURGE */
	int fd;
	/* stats right after that purge: the base for counter deltas */
	struct objhash_stats st0;
};

FIXTURE_SETUP(objhash)
{
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", OBJHASH_DEV, strerror(errno));
	}
	ASSERT_EQ(0, oh_purge_all(self->fd)) {
		TH_LOG("PURGE_WAIT of the whole table failed");
	}
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	ASSERT_EQ(0, self->st0.objects);
	ASSERT_EQ(0, self->st0.bytes);
}

FIXTURE_TEARDOWN(objhash)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	EXPECT_EQ(0, close(self->fd));
}

/* Current stats, failing the test if STATS fails. */
#define STATS(st) ASSERT_EQ(0, oh_stats(self->fd, (st)))

/* Stored value of @key must be exactly @val with version @ver. */
static int value_is(int fd, const char *key, const char *val, __u64 ver)
{
	char buf[512];
	__u32 len = sizeof(buf);
	__u64 got = 0;
	int ret = oh_lookup(fd, key, strlen(key), buf, &len, 0, &got);

	if (ret)
		return ret;
	if (len != strlen(val) || memcmp(buf, val, len))
		return -EBADMSG;
	if (ver && got != ver)
		return -ESTALE;
	return 0;
}

/* ---- INSERT ---------------------------------------------------------- */

TEST_F(objhash, insert_create)
{
	struct objhash_stats st;
	__u64 v = 0;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k1", "value-1", 0, &v));
	EXPECT_EQ(self->st0.version + 1, v) {
		TH_LOG("a create must take the next version");
	}
	EXPECT_EQ(0, value_is(self->fd, "k1", "value-1", v));
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(2 + 7, st.bytes);
	EXPECT_EQ(v, st.version);
	EXPECT_EQ(self->st0.inserts + 1, st.inserts);
	EXPECT_EQ(self->st0.replaces, st.replaces);
}

TEST_F(objhash, insert_exists)
{
	struct objhash_stats st;
	__u64 v1 = 0, v2 = 0;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "first", 0, &v1));
	EXPECT_EQ(-EEXIST, oh_insert_str(self->fd, "k", "second", 0, &v2));
	EXPECT_EQ(0, value_is(self->fd, "k", "first", v1)) {
		TH_LOG("EEXIST must leave the stored value alone");
	}
	STATS(&st);
	EXPECT_EQ(v1, st.version) {
		TH_LOG("a failed insert must not take a version");
	}
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(self->st0.inserts + 1, st.inserts);
	/* the next successful write takes exactly the next version */
	ASSERT_EQ(0, oh_insert_str(self->fd, "k2", "x", 0, &v2));
	EXPECT_EQ(v1 + 1, v2);
}

TEST_F(objhash, insert_replace)
{
	struct objhash_stats st;
	__u64 v1 = 0, v2 = 0, v3 = 0;

	/* REPLACE on an absent key creates it */
	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "one",
				   OBJHASH_INSERT_REPLACE, &v1));
	EXPECT_EQ(0, value_is(self->fd, "k", "one", v1));
	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "two-two",
				   OBJHASH_INSERT_REPLACE, &v2));
	EXPECT_EQ(v1 + 1, v2);
	EXPECT_EQ(0, value_is(self->fd, "k", "two-two", v2));
	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "3",
				   OBJHASH_INSERT_REPLACE |
				   OBJHASH_INSERT_NOCREATE, &v3));
	EXPECT_EQ(v2 + 1, v3);
	EXPECT_EQ(0, value_is(self->fd, "k", "3", v3));
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(1 + 1, st.bytes);
	EXPECT_EQ(v3, st.version);
	EXPECT_EQ(self->st0.inserts + 1, st.inserts);
	EXPECT_EQ(self->st0.replaces + 2, st.replaces);
}

TEST_F(objhash, insert_replace_nocreate_absent)
{
	struct objhash_stats st;

	EXPECT_EQ(-ENOENT, oh_insert_str(self->fd, "absent", "v",
					 OBJHASH_INSERT_REPLACE |
					 OBJHASH_INSERT_NOCREATE, NULL));
	EXPECT_EQ(0, oh_present_str(self->fd, "absent"));
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.version, st.version);
}

TEST_F(objhash, insert_nocreate_alone)
{
	struct objhash_stats st;
	__u64 v = 0;

	EXPECT_EQ(-EINVAL, oh_insert_str(self->fd, "absent", "v",
					 OBJHASH_INSERT_NOCREATE, NULL));
	ASSERT_EQ(0, oh_insert_str(self->fd, "present", "v", 0, &v));
	EXPECT_EQ(-EINVAL, oh_insert_str(self->fd, "present", "new",
					 OBJHASH_INSERT_NOCREATE, NULL));
	EXPECT_EQ(0, value_is(self->fd, "present", "v", v));
	EXPECT_EQ(0, oh_present_str(self->fd, "absent"));
	STATS(&st);
	EXPECT_EQ(v, st.version);
}

TEST_F(objhash, insert_expect_version)
{
	__u64 v1 = 0, v2 = 0, v3 = 0;
	const __u32 rep = OBJHASH_INSERT_REPLACE;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "a", 0, &v1));
	/* match */
	ASSERT_EQ(0, oh_insert(self->fd, "k", 1, "bb", 2, rep, v1, &v2));
	EXPECT_EQ(v1 + 1, v2);
	ASSERT_EQ(0, oh_insert(self->fd, "k", 1, "ccc", 3,
			       rep | OBJHASH_INSERT_NOCREATE, v2, &v3));
	EXPECT_EQ(v2 + 1, v3);
	/* stale: an older version */
	EXPECT_EQ(-ESTALE, oh_insert(self->fd, "k", 1, "dd", 2, rep, v1, NULL));
	/* stale: a newer one */
	EXPECT_EQ(-ESTALE, oh_insert(self->fd, "k", 1, "dd", 2, rep, v3 + 1,
				     NULL));
	EXPECT_EQ(0, value_is(self->fd, "k", "ccc", v3)) {
		TH_LOG("ESTALE must not replace the value");
	}
	/* absent key with a condition: ENOENT, nothing created */
	EXPECT_EQ(-ENOENT, oh_insert(self->fd, "z", 1, "dd", 2, rep, v3, NULL));
	EXPECT_EQ(0, oh_present_str(self->fd, "z"));
	/* expect_version without REPLACE */
	EXPECT_EQ(-EINVAL, oh_insert(self->fd, "k", 1, "dd", 2, 0, v3, NULL));
	EXPECT_EQ(-EINVAL, oh_insert(self->fd, "y", 1, "dd", 2, 0, v3, NULL));
	EXPECT_EQ(0, oh_present_str(self->fd, "y"));
	EXPECT_EQ(0, value_is(self->fd, "k", "ccc", v3));
}

TEST_F(objhash, insert_unknown_flags)
{
	struct objhash_stats st;
	int bit;

	for (bit = 2; bit < 32; bit++) {
		int ret = oh_insert_str(self->fd, "k", "v", 1U << bit, NULL);

		EXPECT_EQ(-EINVAL, ret) {
			TH_LOG("INSERT flag bit %d: got %d", bit, ret);
		}
	}
	EXPECT_EQ(-EINVAL, oh_insert_str(self->fd, "k", "v",
					 OBJHASH_INSERT_REPLACE | (1U << 31),
					 NULL));
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.version, st.version);
}

TEST_F(objhash, insert_reserved)
{
	struct objhash_insert arg = {
		.key = oh_ptr("k"), .key_len = 1,
		.value = oh_ptr("v"), .value_len = 1,
	};
	struct objhash_stats st;
	int ret;

	arg.reserved = 1;
	ret = oh_ioctl(self->fd, OBJHASH_IOC_INSERT, &arg);
	EXPECT_EQ(-EINVAL, ret);
	arg.reserved = 0x80000000;
	ret = oh_ioctl(self->fd, OBJHASH_IOC_INSERT, &arg);
	EXPECT_EQ(-EINVAL, ret);
	arg.reserved = 0;
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	ret = oh_ioctl(self->fd, OBJHASH_IOC_INSERT, &arg);
	EXPECT_EQ(0, ret);
}

TEST_F(objhash, key_len_bounds)
{
	char key[OBJHASH_KEY_MAX + 1], buf[8];
	struct objhash_stats st;
	__u32 len;
	__u64 v = 0, ver = 0;

	memset(key, 'K', sizeof(key));
	EXPECT_EQ(-EINVAL, oh_insert(self->fd, key, 0, "v", 1, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, oh_insert(self->fd, key, OBJHASH_KEY_MAX + 1,
				     "v", 1, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, oh_insert(self->fd, key, 0xffffffff,
				     "v", 1, 0, 0, NULL));
	STATS(&st);
	EXPECT_EQ(0, st.objects);

	ASSERT_EQ(0, oh_insert(self->fd, key, OBJHASH_KEY_MAX, "v", 1, 0, 0,
			       &v));
	len = sizeof(buf);
	EXPECT_EQ(0, oh_lookup(self->fd, key, OBJHASH_KEY_MAX, buf, &len, 0,
			       &ver));
	EXPECT_EQ(1, len);
	EXPECT_EQ(v, ver);
	/* a prefix of the key is another key */
	EXPECT_EQ(0, oh_present(self->fd, key, OBJHASH_KEY_MAX - 1, NULL,
				NULL));

	len = sizeof(buf);
	EXPECT_EQ(-EINVAL, oh_lookup(self->fd, key, 0, buf, &len, 0, NULL));
	len = sizeof(buf);
	EXPECT_EQ(-EINVAL, oh_lookup(self->fd, key, OBJHASH_KEY_MAX + 1, buf,
				     &len, 0, NULL));
	EXPECT_EQ(-EINVAL, oh_delete(self->fd, key, 0, 0));
	EXPECT_EQ(-EINVAL, oh_delete(self->fd, key, OBJHASH_KEY_MAX + 1, 0));
	EXPECT_EQ(1, oh_present(self->fd, key, OBJHASH_KEY_MAX, NULL, NULL));
	EXPECT_EQ(0, oh_delete(self->fd, key, OBJHASH_KEY_MAX, 0));
}

TEST_F(objhash, binary_keys)
{
	const char k1[] = { 'a', 0, 'b' }, k2[] = { 'a', 0, 'c' };
	char buf[4];
	__u32 len = sizeof(buf);

	ASSERT_EQ(0, oh_insert(self->fd, k1, 3, "1", 1, 0, 0, NULL));
	ASSERT_EQ(0, oh_insert(self->fd, k2, 3, "2", 1, 0, 0, NULL)) {
		TH_LOG("keys are byte strings: bytes past a NUL count");
	}
	ASSERT_EQ(0, oh_lookup(self->fd, k2, 3, buf, &len, 0, NULL));
	EXPECT_EQ(1, len);
	EXPECT_EQ('2', buf[0]);
	EXPECT_EQ(0, oh_present(self->fd, "a", 1, NULL, NULL));
}

TEST_F(objhash, value_len_limit)
{
	unsigned long long max = 0;
	struct objhash_stats st;
	char *val;
	__u32 len = 0;

	ASSERT_EQ(0, oh_param_read("max_value_len", &max));
	STATS(&st);
	EXPECT_EQ(max, st.max_value_len);
	val = calloc(1, max + 1);
	ASSERT_NE(NULL, val);
	memset(val, 0x5a, max + 1);

	EXPECT_EQ(-EMSGSIZE, oh_insert(self->fd, "big", 3, val, max + 1, 0, 0,
				       NULL));
	EXPECT_EQ(-EMSGSIZE, oh_insert(self->fd, "big", 3, val, 0xffffffff,
				       0, 0, NULL));
	EXPECT_EQ(0, oh_present_str(self->fd, "big"));
	ASSERT_EQ(0, oh_insert(self->fd, "big", 3, val, max, 0, 0, NULL));
	EXPECT_EQ(1, oh_present(self->fd, "big", 3, &len, NULL));
	EXPECT_EQ(max, len);
	/* a replace above the limit fails too and keeps the old value */
	EXPECT_EQ(-EMSGSIZE, oh_insert(self->fd, "big", 3, val, max + 1,
				       OBJHASH_INSERT_REPLACE, 0, NULL));
	EXPECT_EQ(1, oh_present(self->fd, "big", 3, &len, NULL));
	EXPECT_EQ(max, len);
	free(val);
}

TEST_F(objhash, empty_value)
{
	char buf[4] = { 'x', 'x', 'x', 'x' };
	struct objhash_stats st;
	__u32 len = sizeof(buf);
	__u64 v = 0, ver = 0;

	ASSERT_EQ(0, oh_insert(self->fd, "e", 1, NULL, 0, 0, 0, &v));
	EXPECT_EQ(0, oh_lookup(self->fd, "e", 1, buf, &len, 0, &ver));
	EXPECT_EQ(0, len);
	EXPECT_EQ(v, ver);
	EXPECT_EQ('x', buf[0]);
	/* value pointer 0 and length 0 for the lookup too */
	len = 0;
	EXPECT_EQ(0, oh_lookup(self->fd, "e", 1, NULL, &len, 0, &ver));
	EXPECT_EQ(0, len);
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(1, st.bytes);
}

TEST_F(objhash, versions_increase)
{
	struct objhash_stats st;
	char key[16];
	__u64 last = self->st0.version, v;
	int i;

	for (i = 0; i < 32; i++) {
		__u32 fl = (i % 3) ? OBJHASH_INSERT_REPLACE : 0;

		snprintf(key, sizeof(key), "k%d", i % 8);
		if (!fl && oh_present_str(self->fd, key) == 1)
			fl = OBJHASH_INSERT_REPLACE;
		v = 0;
		ASSERT_EQ(0, oh_insert_str(self->fd, key, "v", fl, &v));
		EXPECT_EQ(last + 1, v) {
			TH_LOG("write %d to %s", i, key);
		}
		last = v;
		STATS(&st);
		EXPECT_EQ(last, st.version);
	}
	/* lookups, deletes and failures take no version */
	EXPECT_EQ(0, oh_delete_str(self->fd, "k0"));
	EXPECT_EQ(-EEXIST, oh_insert_str(self->fd, "k1", "v", 0, NULL));
	EXPECT_EQ(1, oh_present_str(self->fd, "k1"));
	STATS(&st);
	EXPECT_EQ(last, st.version);
}

/* ---- LOOKUP ---------------------------------------------------------- */

TEST_F(objhash, lookup_hit_miss)
{
	struct objhash_stats st;
	char buf[32];
	__u32 len = sizeof(buf);
	__u64 v = 0, ver = 0;

	ASSERT_EQ(0, oh_insert_str(self->fd, "hit", "payload", 0, &v));
	EXPECT_EQ(0, oh_lookup(self->fd, "hit", 3, buf, &len, 0, &ver));
	EXPECT_EQ(7, len);
	EXPECT_EQ(0, memcmp(buf, "payload", 7));
	EXPECT_EQ(v, ver);
	len = sizeof(buf);
	EXPECT_EQ(-ENOENT, oh_lookup(self->fd, "miss", 4, buf, &len, 0, NULL));
	STATS(&st);
	EXPECT_EQ(self->st0.lookups + 2, st.lookups);
	EXPECT_EQ(self->st0.hits + 1, st.hits);
}

TEST_F(objhash, lookup_probe)
{
	struct objhash_stats st;
	__u32 len;
	__u64 v = 0, ver;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "0123456789", 0, &v));
	len = 0;
	ver = 0;
	EXPECT_EQ(-ERANGE, oh_lookup(self->fd, "k", 1, NULL, &len, 0, &ver));
	EXPECT_EQ(10, len);
	EXPECT_EQ(v, ver);
	/* the probe deletes nothing, even with LOOKUP_DELETE */
	len = 0;
	ver = 0;
	EXPECT_EQ(-ERANGE, oh_lookup(self->fd, "k", 1, NULL, &len,
				     OBJHASH_LOOKUP_DELETE, &ver));
	EXPECT_EQ(10, len);
	EXPECT_EQ(v, ver);
	EXPECT_EQ(0, value_is(self->fd, "k", "0123456789", v));
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(self->st0.deletes, st.deletes);
	EXPECT_EQ(self->st0.lookups + 3, st.lookups);
	EXPECT_EQ(self->st0.hits + 3, st.hits) {
		TH_LOG("hits count ERANGE lookups too");
	}
}

TEST_F(objhash, lookup_small_buffer)
{
	char buf[16];
	__u32 len = 9;
	__u64 v = 0, ver = 0;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "0123456789", 0, &v));
	memset(buf, 0xa5, sizeof(buf));
	EXPECT_EQ(-ERANGE, oh_lookup(self->fd, "k", 1, buf, &len,
				     OBJHASH_LOOKUP_DELETE, &ver));
	EXPECT_EQ(10, len);
	EXPECT_EQ(v, ver);
	for (len = 0; len < sizeof(buf); len++)
		EXPECT_EQ(0xa5, (unsigned char)buf[len]) {
			TH_LOG("ERANGE copied byte %u", len);
		}
	EXPECT_EQ(1, oh_present_str(self->fd, "k"));
}

TEST_F(objhash, lookup_buffer_sizes)
{
	unsigned char buf[64];
	__u32 len, i;
	__u64 v = 0, ver = 0;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "0123456789", 0, &v));
	/* exact size */
	memset(buf, 0xa5, sizeof(buf));
	len = 10;
	EXPECT_EQ(0, oh_lookup(self->fd, "k", 1, buf, &len, 0, &ver));
	EXPECT_EQ(10, len);
	EXPECT_EQ(v, ver);
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
	EXPECT_EQ(0xa5, buf[10]);
	/* larger buffer: bytes past the value untouched */
	memset(buf, 0xa5, sizeof(buf));
	len = sizeof(buf);
	EXPECT_EQ(0, oh_lookup(self->fd, "k", 1, buf, &len, 0, &ver));
	EXPECT_EQ(10, len);
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
	for (i = 10; i < sizeof(buf); i++)
		EXPECT_EQ(0xa5, buf[i]) {
			TH_LOG("byte %u past the value was written", i);
		}
}

TEST_F(objhash, lookup_delete)
{
	struct objhash_stats st;
	char buf[32];
	__u32 len = sizeof(buf);
	__u64 v = 0, ver = 0;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "taken", 0, &v));
	ASSERT_EQ(0, oh_insert_str(self->fd, "other", "stays", 0, NULL));
	EXPECT_EQ(0, oh_lookup(self->fd, "k", 1, buf, &len,
			       OBJHASH_LOOKUP_DELETE, &ver));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(buf, "taken", 5));
	EXPECT_EQ(v, ver);
	len = sizeof(buf);
	EXPECT_EQ(-ENOENT, oh_lookup(self->fd, "k", 1, buf, &len,
				     OBJHASH_LOOKUP_DELETE, NULL));
	len = sizeof(buf);
	EXPECT_EQ(-ENOENT, oh_lookup(self->fd, "k", 1, buf, &len, 0, NULL));
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(5 + 5, st.bytes);
	EXPECT_EQ(self->st0.deletes + 1, st.deletes);
	EXPECT_EQ(1, oh_present_str(self->fd, "other"));
}

TEST_F(objhash, lookup_bad_flags)
{
	struct objhash_lookup arg;
	char buf[8];
	int bit, ret;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "v", 0, NULL));
	memset(&arg, 0, sizeof(arg));
	arg.key = oh_ptr("k");
	arg.key_len = 1;
	arg.value = oh_ptr(buf);
	arg.value_len = sizeof(buf);
	for (bit = 1; bit < 32; bit++) {
		arg.flags = 1U << bit;
		ret = oh_ioctl(self->fd, OBJHASH_IOC_LOOKUP, &arg);
		EXPECT_EQ(-EINVAL, ret) {
			TH_LOG("LOOKUP flag bit %d: got %d", bit, ret);
		}
	}
	arg.flags = OBJHASH_LOOKUP_DELETE | (1U << 31);
	EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_LOOKUP, &arg));
	arg.flags = OBJHASH_LOOKUP_DELETE;
	arg.reserved = 1;
	EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_LOOKUP, &arg));
	arg.reserved = 0;
	EXPECT_EQ(1, oh_present_str(self->fd, "k"));
	arg.flags = 0;
	EXPECT_EQ(0, oh_ioctl(self->fd, OBJHASH_IOC_LOOKUP, &arg));
}

/* ---- DELETE ---------------------------------------------------------- */

TEST_F(objhash, delete)
{
	struct objhash_stats st;
	__u64 v = 0;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "v", 0, &v));
	EXPECT_EQ(-ENOENT, oh_delete_str(self->fd, "missing"));
	EXPECT_EQ(-ESTALE, oh_delete(self->fd, "k", 1, v + 1));
	EXPECT_EQ(1, oh_present_str(self->fd, "k")) {
		TH_LOG("ESTALE must not remove the object");
	}
	EXPECT_EQ(-ENOENT, oh_delete(self->fd, "missing", 7, v));
	STATS(&st);
	EXPECT_EQ(self->st0.deletes, st.deletes);
	EXPECT_EQ(0, oh_delete(self->fd, "k", 1, v));
	EXPECT_EQ(0, oh_present_str(self->fd, "k"));
	EXPECT_EQ(-ENOENT, oh_delete_str(self->fd, "k"));
	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "v", 0, &v));
	EXPECT_EQ(0, oh_delete(self->fd, "k", 1, 0));
	STATS(&st);
	EXPECT_EQ(self->st0.deletes + 2, st.deletes);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.bytes);
}

TEST_F(objhash, delete_flags)
{
	struct objhash_delete arg = { .key = oh_ptr("k"), .key_len = 1 };
	int bit, ret;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "v", 0, NULL));
	for (bit = 0; bit < 32; bit++) {
		arg.flags = 1U << bit;
		ret = oh_ioctl(self->fd, OBJHASH_IOC_DELETE, &arg);
		EXPECT_EQ(-EINVAL, ret) {
			TH_LOG("DELETE flag bit %d: got %d", bit, ret);
		}
	}
	arg.flags = 0;
	EXPECT_EQ(1, oh_present_str(self->fd, "k"));
	EXPECT_EQ(0, oh_ioctl(self->fd, OBJHASH_IOC_DELETE, &arg));
}

/* ---- PURGE ----------------------------------------------------------- */

/* Insert "p0".."p<n-1>", recording their versions. */
static int insert_keys(int fd, int n, __u64 *vers)
{
	char key[16];
	int i, ret;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "p%d", i);
		ret = oh_insert_str(fd, key, "value", 0, &vers[i]);
		if (ret)
			return ret;
	}
	return 0;
}

TEST_F(objhash, purge_all)
{
	struct objhash_stats st;
	__u64 vers[20], purged = 99;

	ASSERT_EQ(0, insert_keys(self->fd, 20, vers));
	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, &purged));
	EXPECT_EQ(20, purged);
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.bytes);
	EXPECT_EQ(0, st.pending_release) {
		TH_LOG("PURGE_WAIT returned with objects still pending");
	}
	EXPECT_EQ(self->st0.purged + 20, st.purged);
	EXPECT_EQ(vers[19], st.version) {
		TH_LOG("purge must not take or reset versions");
	}
	EXPECT_EQ(0, oh_present_str(self->fd, "p7"));
	/* an empty table purges nothing */
	purged = 99;
	ASSERT_EQ(0, oh_purge(self->fd, 0, 0, &purged));
	EXPECT_EQ(0, purged);
}

TEST_F(objhash, purge_max_version)
{
	struct objhash_stats st;
	__u64 vers[10], purged = 0, v = 0;
	char key[16];
	int i;

	ASSERT_EQ(0, insert_keys(self->fd, 10, vers));
	/* p2 replaced after the cut: it survives */
	ASSERT_EQ(0, oh_insert_str(self->fd, "p2", "newer",
				   OBJHASH_INSERT_REPLACE, &v));
	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, vers[4],
			      &purged));
	EXPECT_EQ(4, purged);
	for (i = 0; i < 10; i++) {
		snprintf(key, sizeof(key), "p%d", i);
		EXPECT_EQ(i > 4 || i == 2, oh_present_str(self->fd, key)) {
			TH_LOG("%s (version %llu) after a purge at %llu",
			       key, (unsigned long long)vers[i],
			       (unsigned long long)vers[4]);
		}
	}
	STATS(&st);
	EXPECT_EQ(6, st.objects);
	EXPECT_EQ(0, st.pending_release);
	EXPECT_EQ(self->st0.purged + 4, st.purged);
	/* a cut below every version purges nothing */
	ASSERT_EQ(0, oh_purge(self->fd, 0, vers[4], &purged));
	EXPECT_EQ(0, purged);
	/* a cut above every version purges everything */
	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, ~0ULL, &purged));
	EXPECT_EQ(6, purged);
}

TEST_F(objhash, purge_bad_args)
{
	struct objhash_purge arg = { 0 };
	struct objhash_stats st;
	int bit, ret;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "v", 0, NULL));
	arg.reserved = 1;
	EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_PURGE, &arg));
	arg.reserved = 0;
	for (bit = 1; bit < 32; bit++) {
		arg.flags = 1U << bit;
		ret = oh_ioctl(self->fd, OBJHASH_IOC_PURGE, &arg);
		EXPECT_EQ(-EINVAL, ret) {
			TH_LOG("PURGE flag bit %d: got %d", bit, ret);
		}
	}
	arg.flags = 0;
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(self->st0.purged, st.purged);
	EXPECT_EQ(1, oh_present_str(self->fd, "k"));
}

/* ---- PURGE by prefix, and the first published layout ------------------ */

/*
 * The PURGE struct as first published (OBJHASH_PURGE_SIZE_VER0 bytes) and
 * the command a program built against that header sends.
 */
struct objhash_purge_v0 {
	__u32 flags;
	__u32 reserved;
	__u64 max_version;
	__u64 purged;
};
#define OBJHASH_IOC_PURGE_V0	_IOWR(OBJHASH_IOC_MAGIC, 4, struct objhash_purge_v0)

_Static_assert(sizeof(struct objhash_purge_v0) == OBJHASH_PURGE_SIZE_VER0,
	       "first PURGE layout");

static const char *const prefix_keys[] = {
	"a", "a-1", "a-2", "ab", "ab-1", "b-1", "b", "xa-1", "A-1", "a\0z",
};
#define NPREFIX_KEYS	ARRAY_SIZE(prefix_keys)

/* Lengths: "a\0z" is three bytes, the others NUL-terminated. */
static __u32 prefix_key_len(unsigned int i)
{
	return i == 9 ? 3 : strlen(prefix_keys[i]);
}

static int insert_prefix_keys(int fd, __u64 *vers)
{
	unsigned int i;
	int ret;

	for (i = 0; i < NPREFIX_KEYS; i++) {
		ret = oh_insert(fd, prefix_keys[i], prefix_key_len(i), "v", 1,
				0, 0, &vers[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Does key i start with @prefix (@len bytes)? */
static bool has_prefix(unsigned int i, const char *prefix, __u32 len)
{
	return prefix_key_len(i) >= len && !memcmp(prefix_keys[i], prefix, len);
}

/* Only keys with the prefix go, however long, binary or case-different. */
TEST_F(objhash, purge_prefix)
{
	static const struct {
		const char *p;
		__u32 len;
	} cases[] = {
		{ "a-", 2 }, { "a", 1 }, { "ab-1", 4 }, { "ab-12", 5 },
		{ "a\0", 2 }, { "b", 1 }, { "x", 1 }, { "A", 1 },
	};
	unsigned int c, i;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		__u64 vers[NPREFIX_KEYS], purged = 99, want = 0;
		struct objhash_stats st;

		ASSERT_EQ(0, oh_purge_all(self->fd));
		ASSERT_EQ(0, insert_prefix_keys(self->fd, vers));
		for (i = 0; i < NPREFIX_KEYS; i++)
			want += has_prefix(i, cases[c].p, cases[c].len);
		ASSERT_EQ(0, oh_purge_prefix(self->fd, OBJHASH_PURGE_WAIT, 0,
					     cases[c].p, cases[c].len, &purged));
		EXPECT_EQ(want, purged) TH_LOG("prefix %u", c);
		for (i = 0; i < NPREFIX_KEYS; i++) {
			int p = oh_present(self->fd, prefix_keys[i],
					   prefix_key_len(i), NULL, NULL);

			EXPECT_EQ(!has_prefix(i, cases[c].p, cases[c].len), p) {
				TH_LOG("prefix %u: key %u present %d", c, i, p);
			}
		}
		STATS(&st);
		EXPECT_EQ(NPREFIX_KEYS - want, st.objects);
		EXPECT_EQ(0, st.pending_release);
	}
}

/* A prefix as long as the longest key: only that key. */
TEST_F(objhash, purge_prefix_key_max)
{
	char key[OBJHASH_KEY_MAX];
	__u64 purged = 0;

	memset(key, 'm', sizeof(key));
	ASSERT_EQ(0, oh_insert(self->fd, key, OBJHASH_KEY_MAX, "v", 1, 0, 0,
			       NULL));
	ASSERT_EQ(0, oh_insert(self->fd, key, OBJHASH_KEY_MAX - 1, "v", 1, 0,
			       0, NULL));
	ASSERT_EQ(0, oh_purge_prefix(self->fd, 0, 0, key, OBJHASH_KEY_MAX,
				     &purged));
	EXPECT_EQ(1, purged);
	EXPECT_EQ(0, oh_present(self->fd, key, OBJHASH_KEY_MAX, NULL, NULL));
	EXPECT_EQ(1, oh_present(self->fd, key, OBJHASH_KEY_MAX - 1, NULL, NULL));
}

/* The prefix and the version cut together: both must hold. */
TEST_F(objhash, purge_prefix_version_cut)
{
	__u64 vers[NPREFIX_KEYS], purged = 0, cut, vnew = 0;
	unsigned int i;

	ASSERT_EQ(0, insert_prefix_keys(self->fd, vers));
	cut = vers[4];		/* keys 0..4 at or below the cut */
	/* "a-1" rewritten after the cut: it survives */
	ASSERT_EQ(0, oh_insert(self->fd, "a-1", 3, "w", 1,
			       OBJHASH_INSERT_REPLACE, 0, &vnew));
	ASSERT_EQ(0, oh_purge_prefix(self->fd, 0, cut, "a", 1, &purged));
	/* "a", "a-2", "ab", "ab-1" (a-1 is newer, "a\0z" is above the cut) */
	EXPECT_EQ(4, purged);
	for (i = 0; i < NPREFIX_KEYS; i++) {
		bool gone = has_prefix(i, "a", 1) && vers[i] <= cut && i != 1;

		EXPECT_EQ(!gone, oh_present(self->fd, prefix_keys[i],
					    prefix_key_len(i), NULL, NULL))
			TH_LOG("key %u", i);
	}
}

/* Bad prefixes: EINVAL or EFAULT, and nothing purged. */
TEST_F(objhash, purge_prefix_bad)
{
	long psz = sysconf(_SC_PAGESIZE);
	char *two = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char big[OBJHASH_KEY_MAX + 8];
	struct objhash_purge arg = { 0 };
	__u64 vers[NPREFIX_KEYS];
	struct objhash_stats st;

	ASSERT_NE(MAP_FAILED, two);
	ASSERT_EQ(0, mprotect(two + psz, psz, PROT_NONE));
	memset(big, 'a', sizeof(big));
	ASSERT_EQ(0, insert_prefix_keys(self->fd, vers));
	arg.prefix = oh_ptr(big);
	arg.prefix_len = OBJHASH_KEY_MAX + 1;
	EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_PURGE, &arg));
	arg.prefix_len = 0xffffffff;
	EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_PURGE, &arg));
	arg.prefix_len = 1;
	arg.reserved2 = 1;
	EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_PURGE, &arg));
	arg.reserved2 = 0;
	/* unreadable prefixes */
	arg.prefix = 0;
	EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_PURGE, &arg));
	arg.prefix = oh_ptr(two + psz);
	EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_PURGE, &arg));
	two[psz - 1] = 'a';
	arg.prefix = oh_ptr(two + psz - 1);
	arg.prefix_len = 2;
	EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_PURGE, &arg));
	STATS(&st);
	EXPECT_EQ(NPREFIX_KEYS, st.objects) TH_LOG("a failed purge purged");
	EXPECT_EQ(self->st0.purged, st.purged);
	/* the last readable byte alone is fine */
	arg.prefix_len = 1;
	arg.purged = 0;
	EXPECT_EQ(0, oh_ioctl(self->fd, OBJHASH_IOC_PURGE, &arg));
	EXPECT_EQ(6, arg.purged);
	munmap(two, 2 * psz);
}

/*
 * A program built against the first header sends a 24-byte PURGE: it
 * still purges every key (and the cut), and the module reads no byte
 * past those 24 (the struct ends at a PROT_NONE page).
 */
TEST_F(objhash, purge_first_layout)
{
	long psz = sysconf(_SC_PAGESIZE);
	char *two = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct objhash_purge_v0 *old;
	__u64 vers[NPREFIX_KEYS];
	struct objhash_stats st;

	ASSERT_NE(MAP_FAILED, two);
	ASSERT_EQ(0, mprotect(two + psz, psz, PROT_NONE));
	old = (void *)(two + psz - sizeof(*old));
	ASSERT_EQ(24, _IOC_SIZE(OBJHASH_IOC_PURGE_V0));
	ASSERT_EQ(0, insert_prefix_keys(self->fd, vers));
	memset(old, 0, sizeof(*old));
	old->max_version = vers[4];
	old->purged = 99;
	EXPECT_EQ(0, oh_ioctl(self->fd, OBJHASH_IOC_PURGE_V0, old));
	EXPECT_EQ(5, old->purged);
	memset(old, 0, sizeof(*old));
	old->flags = OBJHASH_PURGE_WAIT;
	EXPECT_EQ(0, oh_ioctl(self->fd, OBJHASH_IOC_PURGE_V0, old));
	EXPECT_EQ(NPREFIX_KEYS - 5, old->purged);
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.pending_release);
	EXPECT_EQ(self->st0.purged + NPREFIX_KEYS, st.purged);
	munmap(two, 2 * psz);
}

/* ---- STATS ----------------------------------------------------------- */

TEST_F(objhash, stats_consistent)
{
	unsigned long long hb = 0, mo = 0, mb = 0, mv = 0;
	struct objhash_stats st;
	__u64 bytes = 0;
	char key[32], val[300];
	int i;

	ASSERT_EQ(0, oh_param_read("hash_bits", &hb));
	ASSERT_EQ(0, oh_param_read("max_objects", &mo));
	ASSERT_EQ(0, oh_param_read("max_bytes", &mb));
	ASSERT_EQ(0, oh_param_read("max_value_len", &mv));
	memset(val, 'v', sizeof(val));
	for (i = 0; i < 40; i++) {
		int kl = snprintf(key, sizeof(key), "stats-key-%d", i);

		ASSERT_EQ(0, oh_insert(self->fd, key, kl, val, i * 7, 0, 0,
				       NULL));
		bytes += kl + i * 7;
	}
	/* replace one value with a shorter one */
	ASSERT_EQ(0, oh_insert(self->fd, "stats-key-39", 12, val, 1,
			       OBJHASH_INSERT_REPLACE, 0, NULL));
	bytes -= 39 * 7 - 1;
	ASSERT_EQ(0, oh_delete_str(self->fd, "stats-key-20"));
	bytes -= 12 + 20 * 7;
	STATS(&st);
	EXPECT_EQ(39, st.objects);
	EXPECT_EQ(bytes, st.bytes);
	EXPECT_EQ(1ULL << hb, st.buckets);
	EXPECT_EQ(mo, st.max_objects);
	EXPECT_EQ(mb, st.max_bytes);
	EXPECT_EQ(mv, st.max_value_len);
	EXPECT_EQ(self->st0.inserts + 40, st.inserts);
	EXPECT_EQ(self->st0.replaces + 1, st.replaces);
	EXPECT_EQ(self->st0.deletes + 1, st.deletes);
	EXPECT_EQ(self->st0.purged, st.purged);
	EXPECT_EQ(self->st0.lookups, st.lookups);
	EXPECT_EQ(self->st0.hits, st.hits);
	EXPECT_EQ(self->st0.version + 41, st.version);
}

/* ---- unknown commands ------------------------------------------------ */

TEST_F(objhash, unknown_commands)
{
	char arg[4096] = { 0 };
	const unsigned long cmds[] = {
		_IO(OBJHASH_IOC_MAGIC, 0),
		_IOWR(OBJHASH_IOC_MAGIC, 0, struct objhash_insert),
		_IOWR(OBJHASH_IOC_MAGIC, 99, struct objhash_insert),
		_IOWR(OBJHASH_IOC_MAGIC, 0xff, struct objhash_stats),
		_IOWR('a', 1, struct objhash_insert),
		_IOR(OBJHASH_IOC_MAGIC + 1, 5, struct objhash_stats),
		/* right number, wrong direction bits */
		_IO(OBJHASH_IOC_MAGIC, 1),
		_IOR(OBJHASH_IOC_MAGIC, 1, struct objhash_insert),
		_IOW(OBJHASH_IOC_MAGIC, 1, struct objhash_insert),
		_IOR(OBJHASH_IOC_MAGIC, 2, struct objhash_lookup),
		_IOWR(OBJHASH_IOC_MAGIC, 3, struct objhash_delete),
		_IOR(OBJHASH_IOC_MAGIC, 3, struct objhash_delete),
		_IOW(OBJHASH_IOC_MAGIC, 4, struct objhash_purge),
		_IOW(OBJHASH_IOC_MAGIC, 5, struct objhash_stats),
		_IOWR(OBJHASH_IOC_MAGIC, 5, struct objhash_stats),
		_IO(OBJHASH_IOC_MAGIC, 5),
	};
	struct objhash_stats st;
	size_t i;

	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "v", 0, NULL));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		int ret = oh_ioctl(self->fd, cmds[i], arg);

		EXPECT_EQ(-ENOTTY, ret) {
			TH_LOG("cmd %#lx (nr %lu): got %d", cmds[i],
			       (unsigned long)_IOC_NR(cmds[i]), ret);
		}
	}
	STATS(&st);
	EXPECT_EQ(1, st.objects);
}

/* ---- order of checks (header): EBADF, size, struct, EINVAL, EMSGSIZE, EFAULT */

TEST_F(objhash, check_order)
{
	void *bad = oh_unmapped_addr();
	unsigned long long max = 0;
	struct objhash_delete del = { .key = oh_ptr(bad), .key_len = 1 };
	struct objhash_stats st;
	__u32 len = 8;
	int rdonly;

	ASSERT_NE(NULL, bad);
	ASSERT_EQ(0, oh_param_read("max_value_len", &max));
	/* EINVAL for flags, reserved and key_len before the key is read */
	EXPECT_EQ(-EINVAL, oh_insert(self->fd, bad, 1, "v", 1, 1U << 7, 0,
				     NULL));
	EXPECT_EQ(-EINVAL, oh_insert(self->fd, bad, 0, "v", 1, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, oh_insert(self->fd, bad, OBJHASH_KEY_MAX + 1, "v",
				     1, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, oh_lookup(self->fd, bad, 1, bad, &len, 1U << 9,
				     NULL));
	del.flags = 1;
	EXPECT_EQ(-EINVAL, oh_ioctl(self->fd, OBJHASH_IOC_DELETE, &del));
	/* EINVAL before EMSGSIZE */
	EXPECT_EQ(-EINVAL, oh_insert(self->fd, "k", 1, bad, max + 1,
				     OBJHASH_INSERT_NOCREATE, 0, NULL));
	/* EMSGSIZE before the key and value are read */
	EXPECT_EQ(-EMSGSIZE, oh_insert(self->fd, bad, 1, bad, max + 1, 0, 0,
				       NULL));
	/* EBADF before anything in the struct */
	rdonly = open(OBJHASH_DEV, O_RDONLY);
	ASSERT_LE(0, rdonly);
	EXPECT_EQ(-EBADF, oh_insert(rdonly, bad, 0, bad, max + 1, 1U << 7, 0,
				    NULL));
	EXPECT_EQ(-EBADF, oh_ioctl(rdonly, OBJHASH_IOC_DELETE, &del));
	close(rdonly);
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.version, st.version);
}

/* ---- EFAULT: key, value and buffer pointers --------------------------- */

TEST_F(objhash, efault_insert_key)
{
	struct objhash_stats st;
	void *bad = oh_unmapped_addr();
	char *page = oh_map_guarded_page();
	long psz = sysconf(_SC_PAGESIZE);

	ASSERT_NE(NULL, bad);
	ASSERT_NE(NULL, page);
	EXPECT_EQ(-EFAULT, oh_insert(self->fd, NULL, 4, "v", 1, 0, 0, NULL));
	EXPECT_EQ(-EFAULT, oh_insert(self->fd, bad, 4, "v", 1, 0, 0, NULL));
	/* key straddling into the unmapped page: first 8 bytes readable */
	memset(page + psz - 8, 'k', 8);
	EXPECT_EQ(-EFAULT, oh_insert(self->fd, page + psz - 8, 16, "v", 1, 0,
				     0, NULL));
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.inserts, st.inserts);
	EXPECT_EQ(self->st0.version, st.version);
	/* the readable 8 bytes alone are a fine key */
	EXPECT_EQ(0, oh_insert(self->fd, page + psz - 8, 8, "v", 1, 0, 0,
			       NULL));
	munmap(page, psz);
}

TEST_F(objhash, efault_insert_value)
{
	struct objhash_stats st;
	void *bad = oh_unmapped_addr();
	char *page = oh_map_guarded_page();
	long psz = sysconf(_SC_PAGESIZE);
	__u64 v = 0;

	ASSERT_NE(NULL, bad);
	ASSERT_NE(NULL, page);
	EXPECT_EQ(-EFAULT, oh_insert(self->fd, "k", 1, NULL, 10, 0, 0, NULL));
	EXPECT_EQ(-EFAULT, oh_insert(self->fd, "k", 1, bad, 10, 0, 0, NULL));
	EXPECT_EQ(-EFAULT, oh_insert(self->fd, "k", 1, page + psz - 100, 200,
				     0, 0, NULL));
	EXPECT_EQ(0, oh_present_str(self->fd, "k"));
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.bytes);
	EXPECT_EQ(self->st0.inserts, st.inserts);
	EXPECT_EQ(self->st0.version, st.version);
	/* a faulting replace keeps the old value */
	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "old", 0, &v));
	EXPECT_EQ(-EFAULT, oh_insert(self->fd, "k", 1, page + psz - 100, 200,
				     OBJHASH_INSERT_REPLACE, 0, NULL));
	EXPECT_EQ(0, value_is(self->fd, "k", "old", v));
	STATS(&st);
	EXPECT_EQ(self->st0.replaces, st.replaces);
	EXPECT_EQ(v, st.version);
	munmap(page, psz);
}

TEST_F(objhash, efault_lookup)
{
	void *bad = oh_unmapped_addr();
	char *page = oh_map_guarded_page();
	long psz = sysconf(_SC_PAGESIZE);
	struct objhash_stats st;
	char val[200];
	__u32 len;
	__u64 v = 0;

	ASSERT_NE(NULL, bad);
	ASSERT_NE(NULL, page);
	memset(val, 'q', sizeof(val));
	ASSERT_EQ(0, oh_insert(self->fd, "k", 1, val, sizeof(val), 0, 0, &v));
	len = sizeof(val);
	EXPECT_EQ(-EFAULT, oh_lookup(self->fd, bad, 1, val, &len, 0, NULL));
	len = sizeof(val);
	EXPECT_EQ(-EFAULT, oh_lookup(self->fd, NULL, 1, val, &len,
				     OBJHASH_LOOKUP_DELETE, NULL));
	len = sizeof(val);
	EXPECT_EQ(-EFAULT, oh_lookup(self->fd, "k", 1, bad, &len, 0, NULL));
	len = sizeof(val);
	EXPECT_EQ(-EFAULT, oh_lookup(self->fd, "k", 1, bad, &len,
				     OBJHASH_LOOKUP_DELETE, NULL));
	EXPECT_EQ(1, oh_present_str(self->fd, "k")) {
		TH_LOG("LOOKUP_DELETE into a bad buffer removed the object");
	}
	/* buffer straddling into the unmapped page */
	len = sizeof(val);
	EXPECT_EQ(-EFAULT, oh_lookup(self->fd, "k", 1, page + psz - 100, &len,
				     OBJHASH_LOOKUP_DELETE, NULL));
	EXPECT_EQ(1, oh_present_str(self->fd, "k")) {
		TH_LOG("LOOKUP_DELETE into a half-mapped buffer removed it");
	}
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(self->st0.deletes, st.deletes);
	EXPECT_EQ(0, oh_delete(self->fd, "k", 1, v));
	munmap(page, psz);
}

TEST_F(objhash, efault_delete)
{
	void *bad = oh_unmapped_addr();

	ASSERT_NE(NULL, bad);
	ASSERT_EQ(0, oh_insert_str(self->fd, "k", "v", 0, NULL));
	EXPECT_EQ(-EFAULT, oh_delete(self->fd, NULL, 1, 0));
	EXPECT_EQ(-EFAULT, oh_delete(self->fd, bad, 1, 0));
	EXPECT_EQ(1, oh_present_str(self->fd, "k"));
}

/*
 * Key and value pointers are __u64 in every struct, so a 32-bit caller's
 * pointer is the low half only if the high half is zero: any bit set above
 * the address must fail EFAULT with nothing done, never be cut off (which
 * would reach the caller's real buffer).  Bit 63 makes the address
 * non-canonical for 64-bit callers too; bit 32 is the one a truncation to
 * 32 bits would lose.
 */
static const __u64 high_bits[] = {
	1ULL << 63,
#if __SIZEOF_POINTER__ == 4
	1ULL << 32,
	0xffffffff00000000ULL,
#endif
};

TEST_F(objhash, high_pointer_bits)
{
	char key[] = "hi-key", val[64] = "value", out[64];
	struct objhash_stats st;
	size_t i;

	ASSERT_EQ(0, oh_insert_str(self->fd, "hi-present", "v", 0, NULL));
	for (i = 0; i < ARRAY_SIZE(high_bits); i++) {
		__u64 hb = high_bits[i];
		struct objhash_insert ins = {
			.key = oh_ptr(key) | hb, .value = oh_ptr(val),
			.key_len = 6, .value_len = 5,
		};
		struct objhash_lookup lk = {
			.key = oh_ptr("hi-present"), .value = oh_ptr(out) | hb,
			.key_len = 10, .value_len = sizeof(out),
			.flags = OBJHASH_LOOKUP_DELETE,
		};
		struct objhash_delete del = {
			.key = oh_ptr("hi-present") | hb, .key_len = 10,
		};

		EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_INSERT, &ins)) {
			TH_LOG("INSERT key pointer with high bits %#llx",
			       (unsigned long long)hb);
		}
		ins.key = oh_ptr(key);
		ins.value = oh_ptr(val) | hb;
		EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_INSERT, &ins)) {
			TH_LOG("INSERT value pointer with high bits %#llx",
			       (unsigned long long)hb);
		}
		memset(out, 'x', sizeof(out));
		EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_LOOKUP, &lk)) {
			TH_LOG("LOOKUP_DELETE buffer with high bits %#llx",
			       (unsigned long long)hb);
		}
		EXPECT_EQ('x', out[0]);
		lk.value = oh_ptr(out);
		lk.key |= hb;
		lk.flags = 0;
		EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_LOOKUP, &lk));
		EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, OBJHASH_IOC_DELETE, &del)) {
			TH_LOG("DELETE key pointer with high bits %#llx",
			       (unsigned long long)hb);
		}
		EXPECT_EQ(0, oh_present_str(self->fd, "hi-key"));
		EXPECT_EQ(1, oh_present_str(self->fd, "hi-present"));
	}
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(self->st0.inserts + 1, st.inserts);
	EXPECT_EQ(self->st0.deletes, st.deletes);
}

/* The node: a character device of the misc major, 0600, owned by root. */
TEST_F(objhash, device_node)
{
	struct stat sb;

	ASSERT_EQ(0, stat(OBJHASH_DEV, &sb));
	EXPECT_TRUE(S_ISCHR(sb.st_mode));
	EXPECT_EQ(0600, sb.st_mode & 07777) {
		TH_LOG("mode %#o", sb.st_mode & 07777);
	}
	EXPECT_EQ(0, sb.st_uid);
	EXPECT_EQ(0, sb.st_gid);
	EXPECT_EQ(10, major(sb.st_rdev));	/* MISC_MAJOR */
}

#define OH_DEBUGFS	"/sys/kernel/debug/objhash/"

/* Value of "@name N" in a debugfs file's text, or -1. */
static long long debugfs_field(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 10);
	return -1;
}

static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/*
 * debugfs stats says what STATS says on a quiet table, field by field;
 * chains' histogram covers every bucket and every object.
 */
TEST_F(objhash, debugfs_files)
{
	static const char *const names[] = {
		"objects", "bytes", "pending_release", "buckets", "version",
		"max_objects", "max_bytes", "max_value_len", "inserts",
		"replaces", "deletes", "purged", "lookups", "hits",
		"min_buckets", "max_buckets", "grows", "shrinks",
		"resize_failed", "max_chain", "rehashes", "rehashes_deferred",
		"memory", "pending_memory", "max_memory", "throttled",
	};
	char text[4096], key[32], *p;
	unsigned long long nbuckets = 0, nobjects = 0, overflow = 0;
	struct objhash_stats st;
	struct stat sb;
	__u64 *field = (__u64 *)&st;
	size_t i;

	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "dbg-%zu", i);
		ASSERT_EQ(0, oh_insert_str(self->fd, key, "value", 0, NULL));
	}
	ASSERT_EQ(0, stat(OH_DEBUGFS "stats", &sb)) {
		TH_LOG("debugfs stats: %s (debugfs mounted?)", strerror(errno));
	}
	EXPECT_EQ(0400, sb.st_mode & 07777);
	ASSERT_EQ(0, read_text(OH_DEBUGFS "stats", text, sizeof(text)));
	STATS(&st);
	ASSERT_EQ(sizeof(st), sizeof(names) / sizeof(names[0]) * 8);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const char *name = names[i];

		EXPECT_EQ((long long)field[i], debugfs_field(text, name)) {
			TH_LOG("debugfs field %zu differs from STATS", i);
		}
	}
	EXPECT_EQ(100, debugfs_field(text, "objects"));

	ASSERT_EQ(0, read_text(OH_DEBUGFS "chains", text, sizeof(text)));
	/* "LEN COUNT" lines, the last one "LEN+ COUNT" */
	for (p = text; *p; p = strchr(p, '\n') + 1) {
		unsigned long long len, count;
		char plus = 0;

		ASSERT_EQ(3, sscanf(p, "%llu%c %llu", &len, &plus, &count)) {
			TH_LOG("chains line: %.40s", p);
		}
		if (plus == '+')
			overflow += count;
		else
			nobjects += len * count;
		nbuckets += count;
		if (!strchr(p, '\n'))
			break;
	}
	EXPECT_EQ(st.buckets, nbuckets);
	if (!overflow)
		EXPECT_EQ(st.objects, nobjects);
}

OBJHASH_TEST_MAIN
