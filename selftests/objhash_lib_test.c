// SPDX-License-Identifier: GPL-2.0
/*
 * libobjhash in the guest: every function of <objhash.h>, its results and
 * its error paths, against the loaded module.  The library's sources are
 * built into this program (selftests/Makefile), 64-bit and i386.
 *
 * The program is linked with -Wl,--wrap=ioctl: every ioctl the library (and
 * this file) makes goes through __wrap_ioctl() below, which passes it on
 * and, when a test arms it, grows a value between two LOOKUPs of an
 * allocating get, or answers ERANGE where the kernel would not.  That is
 * how the ERANGE retry is tested deterministically.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <objhash.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

/* ---- the ioctl hook ----------------------------------------------------- */

int __real_ioctl(int fd, unsigned long req, ...);

/*
 * What __wrap_ioctl() does to OBJHASH_IOC_LOOKUP while armed: count the
 * calls and, after each of the first @grows that fails ERANGE, replace the
 * key's value with one @step bytes longer than the kernel just reported
 * (so the retry sized from that report fails ERANGE again); with @lie, turn
 * a successful LOOKUP into ERANGE with the buffer size left as it was.
 */
static struct {
	bool armed;
	int lookups;
	int grows;
	size_t step;
	bool lie;
	char fill;
} hook;

/* REPLACE @key with @len bytes of @fill, by a raw ioctl on @fd. */
static int hook_grow(int fd, const struct objhash_lookup *arg, size_t len)
{
	struct objhash_insert ins = {
		.key = arg->key,
		.key_len = arg->key_len,
		.flags = OBJHASH_INSERT_REPLACE,
		.value_len = len,
	};
	char *v = malloc(len);
	int ret;

	if (!v)
		return -1;
	memset(v, hook.fill, len);
	ins.value = oh_ptr(v);
	ret = __real_ioctl(fd, OBJHASH_IOC_INSERT, &ins);
	free(v);
	return ret;
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	struct objhash_lookup *arg;
	va_list ap;
	int ret, err;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	ret = __real_ioctl(fd, req, arg);
	if (!hook.armed || req != OBJHASH_IOC_LOOKUP)
		return ret;
	err = errno;
	hook.lookups++;
	if (ret < 0 && err == ERANGE && hook.grows > 0) {
		hook.grows--;
		if (hook_grow(fd, arg, arg->value_len + hook.step))
			fprintf(stderr, "# hook: grow failed: %s\n",
				strerror(errno));
	} else if (ret == 0 && hook.lie) {
		ret = -1;
		err = ERANGE;
	}
	errno = err;
	return ret;
}

/* ---- fixture -------------------------------------------------------------- */

FIXTURE(lib)
{
	/* O_RDWR handle; the table emptied by a waiting purge in setup */
	struct objhash *h;
	/* O_RDONLY and O_WRONLY handles, for EBADF */
	struct objhash *ro, *wo;
	/* stats after the purge: the base for counter deltas */
	struct objhash_stats st0;
};

FIXTURE_SETUP(lib)
{
	memset(&hook, 0, sizeof(hook));
	ASSERT_EQ(0, objhash_open(NULL, O_RDWR, &self->h));
	ASSERT_EQ(0, objhash_open(OBJHASH_DEVICE, O_RDONLY, &self->ro));
	ASSERT_EQ(0, objhash_open(OBJHASH_DEVICE, O_WRONLY, &self->wo));
	ASSERT_EQ(0, objhash_purge(self->h, 0, OBJHASH_PURGE_WAIT, NULL));
	ASSERT_EQ(0, objhash_stats(self->h, &self->st0, sizeof(self->st0)));
	ASSERT_EQ(0, self->st0.objects);
}

FIXTURE_TEARDOWN(lib)
{
	EXPECT_EQ(0, objhash_purge(self->h, 0, OBJHASH_PURGE_WAIT, NULL));
	objhash_close(self->wo);
	objhash_close(self->ro);
	objhash_close(self->h);
}

#define STATS(st) ASSERT_EQ(0, objhash_stats(self->h, (st), sizeof(*(st))))

/* A value of @len bytes, byte i = (i * 7 + seed) & 0xff. */
static char *pattern(size_t len, int seed)
{
	char *v = malloc(len ? len : 1);
	size_t i;

	for (i = 0; v && i < len; i++)
		v[i] = (char)(i * 7 + seed);
	return v;
}

/*
 * 2^32 + @low as a size_t: a length that a cast to __u32 would turn into
 * @low.  Used only where size_t has 64 bits.
 */
static size_t over_u32(size_t low)
{
	return (size_t)((uint64_t)1 << 32 | low);
}

/* ---- open, close, fd ------------------------------------------------------ */

TEST(open_errors)
{
	struct objhash *h = (struct objhash *)0x1;
	struct objhash_stats st;

	EXPECT_EQ(-EINVAL, objhash_open(NULL, O_RDWR, NULL));
	EXPECT_EQ(-EINVAL, objhash_open(NULL, O_RDWR | O_CREAT, &h));
	EXPECT_EQ(-EINVAL, objhash_open(NULL, O_RDWR | O_NONBLOCK, &h));
	EXPECT_EQ(-EINVAL, objhash_open(NULL, O_ACCMODE, &h));
	EXPECT_EQ(-ENOENT, objhash_open("/nonexistent/objhash", O_RDONLY, &h));
	EXPECT_EQ((struct objhash *)0x1, h) {
		TH_LOG("a failed open must leave *hp alone");
	}
	/* a regular file opens; the first command tells it is no objhash */
	ASSERT_EQ(0, objhash_open("/proc/self/status", O_RDONLY, &h));
	EXPECT_EQ(-ENOTTY, objhash_stats(h, &st, sizeof(st)));
	objhash_close(h);
	objhash_close(NULL);
	EXPECT_EQ(-EINVAL, objhash_fd(NULL));
}

TEST(open_fd_cloexec)
{
	struct objhash *h;
	int fd, fl;

	ASSERT_EQ(0, objhash_open(NULL, O_RDONLY, &h));
	fd = objhash_fd(h);
	ASSERT_LE(0, fd);
	fl = fcntl(fd, F_GETFD);
	EXPECT_TRUE(fl & FD_CLOEXEC);
	EXPECT_EQ(O_RDONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
	objhash_close(h);
	EXPECT_EQ(-1, fcntl(fd, F_GETFD)) {
		TH_LOG("objhash_close() must close the fd");
	}
}

/* ---- insert, replace, replace_if, insert_flags ---------------------------- */

TEST_F(lib, insert)
{
	struct objhash_stats st;
	uint64_t v1 = 0, v2 = 7;
	char buf[16];
	size_t len = sizeof(buf);

	ASSERT_EQ(0, objhash_insert(self->h, "k", 1, "one", 3, &v1));
	EXPECT_EQ(self->st0.version + 1, v1);
	EXPECT_EQ(-EEXIST, objhash_insert(self->h, "k", 1, "two", 3, &v2));
	EXPECT_EQ(7, v2) {
		TH_LOG("a failed insert must not write *version");
	}
	ASSERT_EQ(0, objhash_get(self->h, "k", 1, buf, &len, &v2));
	EXPECT_EQ(3, len);
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	EXPECT_EQ(v1, v2);
	/* NULL version pointer, NULL empty value */
	EXPECT_EQ(0, objhash_insert(self->h, "e", 1, NULL, 0, NULL));
	STATS(&st);
	EXPECT_EQ(2, st.objects);
	EXPECT_EQ(self->st0.inserts + 2, st.inserts);
	EXPECT_EQ(v1 + 1, st.version);
}

TEST_F(lib, insert_errors)
{
	struct objhash_stats st;
	char key[OBJHASH_KEY_MAX + 1];

	memset(key, 'k', sizeof(key));
	EXPECT_EQ(-EINVAL, objhash_insert(NULL, "k", 1, "v", 1, NULL));
	EXPECT_EQ(-EINVAL, objhash_insert(self->h, "k", 0, "v", 1, NULL));
	EXPECT_EQ(-EINVAL, objhash_insert(self->h, key, sizeof(key), "v", 1,
					  NULL));
	EXPECT_EQ(-EFAULT, objhash_insert(self->h, NULL, 1, "v", 1, NULL));
	EXPECT_EQ(-EFAULT, objhash_insert(self->h, "k", 1, NULL, 1, NULL));
	EXPECT_EQ(-EBADF, objhash_insert(self->ro, "k", 1, "v", 1, NULL));
	EXPECT_EQ(-EINVAL, objhash_insert_flags(self->h, "k", 1, "v", 1,
						OBJHASH_INSERT_NOCREATE, 0,
						NULL));
	EXPECT_EQ(-EINVAL, objhash_insert_flags(self->h, "k", 1, "v", 1, 0, 5,
						NULL)) {
		TH_LOG("expect_version without REPLACE");
	}
	EXPECT_EQ(-EINVAL, objhash_insert_flags(self->h, "k", 1, "v", 1,
						1U << 31, 0, NULL));
	if (sizeof(size_t) > 4) {
		/* lengths that would wrap into valid __u32s */
		EXPECT_EQ(-EINVAL, objhash_insert(self->h, "k",
						  over_u32(1),
						  "v", 1, NULL));
		EXPECT_EQ(-EMSGSIZE, objhash_insert(self->h, "k", 1, "v",
						    over_u32(1), NULL));
	}
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.version, st.version);
}

TEST_F(lib, insert_wo_handle)
{
	uint64_t v = 0;

	EXPECT_EQ(0, objhash_insert(self->wo, "k", 1, "v", 1, &v));
	EXPECT_EQ(self->st0.version + 1, v);
}

TEST_F(lib, replace)
{
	struct objhash_stats st;
	uint64_t v1 = 0, v2 = 0, got = 0;
	char buf[16];
	size_t len = sizeof(buf);

	/* creates when absent, replaces when present */
	ASSERT_EQ(0, objhash_replace(self->h, "k", 1, "one", 3, &v1));
	ASSERT_EQ(0, objhash_replace(self->h, "k", 1, "three", 5, &v2));
	EXPECT_EQ(v1 + 1, v2);
	ASSERT_EQ(0, objhash_get(self->h, "k", 1, buf, &len, &got));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(buf, "three", 5));
	EXPECT_EQ(v2, got);
	EXPECT_EQ(-EBADF, objhash_replace(self->ro, "k", 1, "x", 1, NULL));
	EXPECT_EQ(-EINVAL, objhash_replace(NULL, "k", 1, "x", 1, NULL));
	STATS(&st);
	EXPECT_EQ(self->st0.inserts + 1, st.inserts);
	EXPECT_EQ(self->st0.replaces + 1, st.replaces);
}

TEST_F(lib, replace_if)
{
	struct objhash_stats st;
	uint64_t v1 = 0, v2 = 0, v3 = 0, keep = 99;

	EXPECT_EQ(-ENOENT, objhash_replace_if(self->h, "k", 1, "x", 1, 0, NULL))
	{
		TH_LOG("replace_if never creates");
	}
	EXPECT_EQ(-ENOENT, objhash_replace_if(self->h, "k", 1, "x", 1, 1, NULL));
	ASSERT_EQ(0, objhash_insert(self->h, "k", 1, "one", 3, &v1));
	EXPECT_EQ(-ESTALE, objhash_replace_if(self->h, "k", 1, "x", 1, v1 + 1,
					      &keep));
	EXPECT_EQ(99, keep);
	ASSERT_EQ(0, objhash_replace_if(self->h, "k", 1, "two", 3, v1, &v2));
	EXPECT_EQ(v1 + 1, v2);
	/* the old version is stale now */
	EXPECT_EQ(-ESTALE, objhash_replace_if(self->h, "k", 1, "x", 1, v1,
					      NULL));
	/* 0: whatever the version */
	ASSERT_EQ(0, objhash_replace_if(self->h, "k", 1, "3", 1, 0, &v3));
	EXPECT_EQ(v2 + 1, v3);
	EXPECT_EQ(-EBADF, objhash_replace_if(self->ro, "k", 1, "x", 1, v3,
					     NULL));
	STATS(&st);
	EXPECT_EQ(self->st0.inserts + 1, st.inserts);
	EXPECT_EQ(self->st0.replaces + 2, st.replaces);
}

TEST_F(lib, insert_flags)
{
	uint64_t v1 = 0, v2 = 0;

	EXPECT_EQ(-ENOENT, objhash_insert_flags(self->h, "k", 1, "x", 1,
						OBJHASH_INSERT_REPLACE |
						OBJHASH_INSERT_NOCREATE, 0,
						NULL));
	ASSERT_EQ(0, objhash_insert_flags(self->h, "k", 1, "x", 1, 0, 0, &v1));
	ASSERT_EQ(0, objhash_insert_flags(self->h, "k", 1, "y", 1,
					  OBJHASH_INSERT_REPLACE, v1, &v2));
	EXPECT_EQ(v1 + 1, v2);
	EXPECT_EQ(-ESTALE, objhash_insert_flags(self->h, "k", 1, "z", 1,
						OBJHASH_INSERT_REPLACE, v1,
						NULL));
}

/* ---- get, get_alloc -------------------------------------------------------- */

TEST_F(lib, get)
{
	struct objhash_stats st;
	char buf[8];
	size_t len;
	uint64_t v = 0, got;

	ASSERT_EQ(0, objhash_insert(self->h, "key", 3, "value", 5, &v));
	/* exact fit; bytes past the value untouched */
	memset(buf, '#', sizeof(buf));
	len = sizeof(buf);
	got = 0;
	ASSERT_EQ(0, objhash_get(self->h, "key", 3, buf, &len, &got));
	EXPECT_EQ(5, len);
	EXPECT_EQ(v, got);
	EXPECT_EQ(0, memcmp(buf, "value##", 7));
	/* read-only handle, NULL version */
	len = 5;
	EXPECT_EQ(0, objhash_get(self->ro, "key", 3, buf, &len, NULL));
	/* too small: ERANGE with the size and version, nothing copied */
	memset(buf, '#', sizeof(buf));
	len = 4;
	got = 0;
	EXPECT_EQ(-ERANGE, objhash_get(self->h, "key", 3, buf, &len, &got));
	EXPECT_EQ(5, len);
	EXPECT_EQ(v, got);
	EXPECT_EQ('#', buf[0]);
	/* the size probe */
	len = 0;
	EXPECT_EQ(-ERANGE, objhash_get(self->h, "key", 3, NULL, &len, NULL));
	EXPECT_EQ(5, len);
	/* absent */
	len = sizeof(buf);
	EXPECT_EQ(-ENOENT, objhash_get(self->h, "nokey", 5, buf, &len, NULL));
	EXPECT_EQ(sizeof(buf), len) {
		TH_LOG("ENOENT must leave *value_len alone");
	}
	STATS(&st);
	EXPECT_EQ(self->st0.lookups + 5, st.lookups);
	EXPECT_EQ(self->st0.hits + 4, st.hits);
}

TEST_F(lib, get_errors)
{
	char buf[8];
	size_t len = sizeof(buf);

	ASSERT_EQ(0, objhash_insert(self->h, "k", 1, "v", 1, NULL));
	EXPECT_EQ(-EINVAL, objhash_get(NULL, "k", 1, buf, &len, NULL));
	EXPECT_EQ(-EINVAL, objhash_get(self->h, "k", 1, buf, NULL, NULL));
	EXPECT_EQ(-EINVAL, objhash_get(self->h, "k", 0, buf, &len, NULL));
	EXPECT_EQ(-EBADF, objhash_get(self->wo, "k", 1, buf, &len, NULL));
	EXPECT_EQ(-EFAULT, objhash_get(self->h, NULL, 1, buf, &len, NULL));
	EXPECT_EQ(-EFAULT, objhash_get(self->h, "k", 1, oh_unmapped_addr(),
				       &len, NULL));
	if (sizeof(size_t) > 4) {
		EXPECT_EQ(-EINVAL, objhash_get(self->h, "k",
					       over_u32(1), buf,
					       &len, NULL));
	}
}

#if SIZE_MAX > UINT32_MAX
/* A buffer size beyond 32 bits is clamped, not truncated to a small one. */
TEST_F(lib, get_huge_buffer_size)
{
	char buf[8];
	size_t len;

	ASSERT_EQ(0, objhash_insert(self->h, "k", 1, "value", 5, NULL));
	/* (1 << 32) + 2 would truncate to 2, an ERANGE */
	len = over_u32(2);
	EXPECT_EQ(0, objhash_get(self->h, "k", 1, buf, &len, NULL));
	EXPECT_EQ(5, len);
}
#endif

TEST_F(lib, get_alloc)
{
	size_t sizes[] = { 0, 1, 255, 256, 257, 5000, 65536 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		char *want = pattern(sizes[i], i), *got = NULL;
		size_t len = 12345;
		uint64_t v = 0, gv = 0;

		ASSERT_NE(NULL, want);
		ASSERT_EQ(0, objhash_replace(self->h, "k", 1, want, sizes[i],
					     &v));
		hook.armed = true;
		hook.lookups = 0;
		ASSERT_EQ(0, objhash_get_alloc(self->h, "k", 1, (void **)&got,
					       &len, &gv));
		hook.armed = false;
		ASSERT_NE(NULL, got);
		EXPECT_EQ(sizes[i], len);
		EXPECT_EQ(0, memcmp(want, got, len));
		EXPECT_EQ(0, got[len]) {
			TH_LOG("value of %zu bytes not NUL-terminated", len);
		}
		EXPECT_EQ(v, gv);
		/* one LOOKUP up to the first buffer, two past it */
		EXPECT_EQ(sizes[i] <= 256 ? 1 : 2, hook.lookups) {
			TH_LOG("%zu bytes: %d LOOKUPs", sizes[i],
			       hook.lookups);
		}
		free(got);
		free(want);
	}
}

TEST_F(lib, get_alloc_errors)
{
	void *got = (void *)0x1;
	size_t len = 77;

	EXPECT_EQ(-ENOENT, objhash_get_alloc(self->h, "k", 1, &got, &len,
					     NULL));
	EXPECT_EQ((void *)0x1, got);
	EXPECT_EQ(77, len);
	ASSERT_EQ(0, objhash_insert(self->h, "k", 1, "v", 1, NULL));
	EXPECT_EQ(-EBADF, objhash_get_alloc(self->wo, "k", 1, &got, &len,
					    NULL));
	EXPECT_EQ(-EINVAL, objhash_get_alloc(NULL, "k", 1, &got, &len, NULL));
	EXPECT_EQ(-EINVAL, objhash_get_alloc(self->h, "k", 1, NULL, &len,
					     NULL));
	EXPECT_EQ(-EINVAL, objhash_get_alloc(self->h, "k", 1, &got, NULL,
					     NULL));
	EXPECT_EQ(-EINVAL, objhash_get_alloc(self->h, "k", 0, &got, &len,
					     NULL));
	EXPECT_EQ((void *)0x1, got);
}

/*
 * The value grows between the library's LOOKUPs, twice: each retry sized
 * from the last ERANGE is too small again.  The call must still return one
 * whole value, the last one, with its version.
 */
TEST_F(lib, get_alloc_value_grows)
{
	struct objhash_stats st;
	char *got = NULL;
	size_t len = 0, i;
	uint64_t v0 = 0, gv = 0;

	ASSERT_EQ(0, objhash_insert(self->h, "g", 1, pattern(1000, 1), 1000,
				    &v0));
	hook.armed = true;
	hook.grows = 2;
	hook.step = 3000;
	hook.fill = 'G';
	ASSERT_EQ(0, objhash_get_alloc(self->h, "g", 1, (void **)&got, &len,
				       &gv));
	hook.armed = false;
	/* 256 -> ERANGE(1000), grown to 4000; 1000 -> ERANGE(4000), grown
	 * to 7000; 4000 -> ERANGE(7000); 7000 -> the value */
	EXPECT_EQ(4, hook.lookups);
	EXPECT_EQ(7000, len);
	for (i = 0; i < len && got[i] == 'G'; i++)
		;
	EXPECT_EQ(len, i) {
		TH_LOG("byte %zu is not the grown value's", i);
	}
	EXPECT_EQ(0, got[len]);
	EXPECT_EQ(v0 + 2, gv) {
		TH_LOG("the version must be the last replace's");
	}
	free(got);
	STATS(&st);
	EXPECT_EQ(self->st0.replaces + 2, st.replaces);
}

/* An ERANGE for a buffer that was big enough is the kernel's bug: -EIO. */
TEST_F(lib, get_alloc_bogus_erange)
{
	void *got = NULL;
	size_t len = 0;

	ASSERT_EQ(0, objhash_insert(self->h, "k", 1, "v", 1, NULL));
	hook.armed = true;
	hook.lie = true;
	EXPECT_EQ(-EIO, objhash_get_alloc(self->h, "k", 1, &got, &len, NULL));
	EXPECT_EQ(-EIO, objhash_take_alloc(self->h, "k", 1, &got, &len, NULL));
	hook.armed = false;
	EXPECT_EQ(NULL, got);
}

/* ---- take, take_alloc ------------------------------------------------------- */

TEST_F(lib, take)
{
	struct objhash_stats st;
	char buf[8];
	size_t len;
	uint64_t v = 0, got = 0;

	ASSERT_EQ(0, objhash_insert(self->h, "t", 1, "taken", 5, &v));
	EXPECT_EQ(-EBADF, objhash_take(self->ro, "t", 1, buf, &len, NULL));
	EXPECT_EQ(-EBADF, objhash_take(self->wo, "t", 1, buf, &len, NULL));
	/* ERANGE deletes nothing */
	len = 2;
	EXPECT_EQ(-ERANGE, objhash_take(self->h, "t", 1, buf, &len, &got));
	EXPECT_EQ(5, len);
	EXPECT_EQ(v, got);
	len = sizeof(buf);
	ASSERT_EQ(0, objhash_take(self->h, "t", 1, buf, &len, &got));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(buf, "taken", 5));
	len = sizeof(buf);
	EXPECT_EQ(-ENOENT, objhash_take(self->h, "t", 1, buf, &len, NULL));
	EXPECT_EQ(-ENOENT, objhash_get(self->h, "t", 1, buf, &len, NULL));
	EXPECT_EQ(-EINVAL, objhash_take(NULL, "t", 1, buf, &len, NULL));
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.deletes + 1, st.deletes);
}

TEST_F(lib, take_alloc)
{
	struct objhash_stats st;
	char *want = pattern(3000, 3), *got = NULL;
	size_t len = 0;
	uint64_t v = 0, gv = 0;

	ASSERT_NE(NULL, want);
	ASSERT_EQ(0, objhash_insert(self->h, "t", 1, want, 3000, &v));
	EXPECT_EQ(-EBADF, objhash_take_alloc(self->ro, "t", 1, (void **)&got,
					     &len, NULL));
	ASSERT_EQ(0, objhash_take_alloc(self->h, "t", 1, (void **)&got, &len,
					&gv));
	EXPECT_EQ(3000, len);
	EXPECT_EQ(0, memcmp(want, got, len));
	EXPECT_EQ(v, gv);
	free(got);
	got = NULL;
	EXPECT_EQ(-ENOENT, objhash_take_alloc(self->h, "t", 1, (void **)&got,
					      &len, NULL));
	EXPECT_EQ(NULL, got);
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.deletes + 1, st.deletes) {
		TH_LOG("the ERANGE round must not delete");
	}
	free(want);
}

TEST_F(lib, take_alloc_value_grows)
{
	char *got = NULL;
	size_t len = 0;
	uint64_t gv = 0;

	ASSERT_EQ(0, objhash_insert(self->h, "g", 1, pattern(500, 2), 500,
				    NULL));
	hook.armed = true;
	hook.grows = 1;
	hook.step = 100;
	hook.fill = 'T';
	ASSERT_EQ(0, objhash_take_alloc(self->h, "g", 1, (void **)&got, &len,
					&gv));
	hook.armed = false;
	EXPECT_EQ(3, hook.lookups);
	EXPECT_EQ(600, len);
	EXPECT_EQ('T', got[0]);
	EXPECT_EQ('T', got[599]);
	free(got);
	len = 0;
	EXPECT_EQ(-ENOENT, objhash_get(self->h, "g", 1, NULL, &len, NULL));
}

/* ---- delete, purge ----------------------------------------------------------- */

TEST_F(lib, delete)
{
	struct objhash_stats st;
	uint64_t v = 0;

	EXPECT_EQ(-ENOENT, objhash_delete(self->h, "d", 1, 0));
	ASSERT_EQ(0, objhash_insert(self->h, "d", 1, "v", 1, &v));
	EXPECT_EQ(-ESTALE, objhash_delete(self->h, "d", 1, v + 1));
	EXPECT_EQ(-EBADF, objhash_delete(self->ro, "d", 1, 0));
	EXPECT_EQ(-EINVAL, objhash_delete(NULL, "d", 1, 0));
	EXPECT_EQ(-EINVAL, objhash_delete(self->h, "d", 0, 0));
	EXPECT_EQ(-EFAULT, objhash_delete(self->h, NULL, 1, 0));
	if (sizeof(size_t) > 4)
		EXPECT_EQ(-EINVAL, objhash_delete(self->h, "d",
						  over_u32(1), 0));
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(0, objhash_delete(self->h, "d", 1, v));
	EXPECT_EQ(-ENOENT, objhash_delete(self->h, "d", 1, 0));
	ASSERT_EQ(0, objhash_insert(self->h, "d", 1, "v", 1, NULL));
	EXPECT_EQ(0, objhash_delete(self->wo, "d", 1, 0));
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.deletes + 2, st.deletes);
}

TEST_F(lib, purge)
{
	struct objhash_stats st;
	uint64_t va = 0, vb = 0, purged = 99;

	ASSERT_EQ(0, objhash_insert(self->h, "a", 1, "v", 1, &va));
	ASSERT_EQ(0, objhash_insert(self->h, "b", 1, "v", 1, &vb));
	ASSERT_EQ(0, objhash_insert(self->h, "c", 1, "v", 1, NULL));
	EXPECT_EQ(-EBADF, objhash_purge(self->ro, 0, 0, &purged));
	EXPECT_EQ(99, purged);
	EXPECT_EQ(-EINVAL, objhash_purge(self->h, 0, 1U << 31, &purged));
	EXPECT_EQ(-EINVAL, objhash_purge(NULL, 0, 0, &purged));
	ASSERT_EQ(0, objhash_purge(self->h, vb, 0, &purged));
	EXPECT_EQ(2, purged);
	ASSERT_EQ(0, objhash_purge(self->wo, 0, OBJHASH_PURGE_WAIT, &purged));
	EXPECT_EQ(1, purged);
	EXPECT_EQ(0, objhash_purge(self->h, 0, 0, NULL));
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.pending_release);
	EXPECT_EQ(self->st0.purged + 3, st.purged);
}

/* ---- stats ---------------------------------------------------------------------- */

TEST_F(lib, stats)
{
	struct objhash_stats st;

	ASSERT_EQ(0, objhash_insert(self->h, "s", 1, "12345", 5, NULL));
	memset(&st, 0xff, sizeof(st));
	ASSERT_EQ(0, objhash_stats(self->ro, &st, sizeof(st)));
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(6, st.bytes);
	EXPECT_EQ(self->st0.inserts + 1, st.inserts);
	EXPECT_EQ(-EBADF, objhash_stats(self->wo, &st, sizeof(st)));
	EXPECT_EQ(-EINVAL, objhash_stats(NULL, &st, sizeof(st)));
	EXPECT_EQ(-EFAULT, objhash_stats(self->h, oh_unmapped_addr(),
					 sizeof(st)));
}

/*
 * The caller's size reaches the kernel: a struct larger than this header's
 * (a program built against a newer header) is zero-filled past what the
 * module knows; a smaller one than the first layout is refused.
 */
TEST_F(lib, stats_size_passed_through)
{
	size_t big = sizeof(struct objhash_stats) + 64, i;
	unsigned char *buf = malloc(big);
	struct objhash_stats st;

	ASSERT_NE(NULL, buf);
	memset(buf, 0xa5, big);
	ASSERT_EQ(0, objhash_stats(self->h, (struct objhash_stats *)buf, big));
	for (i = sizeof(struct objhash_stats); i < big && !buf[i]; i++)
		;
	EXPECT_EQ(big, i) {
		TH_LOG("byte %zu past the struct is 0x%02x, not zero-filled",
		       i, buf[i]);
	}
	memcpy(&st, buf, sizeof(st));
	EXPECT_EQ(self->st0.buckets, st.buckets);
	free(buf);
	/* the first layout, as a program built against it passes */
	memset(&st, 0, sizeof(st));
	EXPECT_EQ(0, objhash_stats(self->h, &st, OH_STATS_SIZE0));
	EXPECT_EQ(self->st0.buckets, st.buckets);
	EXPECT_EQ(-EINVAL, objhash_stats(self->h, &st, 8));
	EXPECT_EQ(-EINVAL, objhash_stats(self->h, &st, 0));
	EXPECT_EQ(-E2BIG, objhash_stats(self->h, &st, 1 << 14)) {
		TH_LOG("beyond what _IOC_SIZE encodes");
	}
}

/* ---- limits: ENOSPC and EMSGSIZE through the module's parameters ------------ */

FIXTURE(limits)
{
	/* O_RDWR handle on the emptied table */
	struct objhash *h;
	/* the limits before the test, put back in teardown */
	struct oh_limits saved;
	bool saved_ok;
};

FIXTURE_SETUP(limits)
{
	ASSERT_EQ(0, objhash_open(NULL, O_RDWR, &self->h));
	ASSERT_EQ(0, objhash_purge(self->h, 0, OBJHASH_PURGE_WAIT, NULL));
	ASSERT_EQ(0, oh_limits_save(&self->saved));
	self->saved_ok = true;
}

FIXTURE_TEARDOWN(limits)
{
	if (self->saved_ok)
		EXPECT_EQ(0, oh_limits_restore(&self->saved));
	EXPECT_EQ(0, objhash_purge(self->h, 0, OBJHASH_PURGE_WAIT, NULL));
	objhash_close(self->h);
}

TEST_F(limits, enospc_objects)
{
	uint64_t v = 0;

	ASSERT_EQ(0, oh_param_write_num("max_objects", 2));
	EXPECT_EQ(0, objhash_insert(self->h, "a", 1, "v", 1, NULL));
	EXPECT_EQ(0, objhash_insert(self->h, "b", 1, "v", 1, &v));
	EXPECT_EQ(-ENOSPC, objhash_insert(self->h, "c", 1, "v", 1, NULL));
	EXPECT_EQ(-ENOSPC, objhash_replace(self->h, "c", 1, "v", 1, NULL));
	/* a replace that does not grow still goes through */
	EXPECT_EQ(0, objhash_replace_if(self->h, "b", 1, "w", 1, v, NULL));
}

TEST_F(limits, enospc_bytes)
{
	ASSERT_EQ(0, oh_param_write_num("max_bytes", 10));
	EXPECT_EQ(0, objhash_insert(self->h, "a", 1, "12345", 5, NULL));
	EXPECT_EQ(-ENOSPC, objhash_insert(self->h, "b", 1, "12345", 5, NULL));
	EXPECT_EQ(-ENOSPC, objhash_replace(self->h, "a", 1, "1234567890", 10,
					   NULL));
}

TEST_F(limits, emsgsize)
{
	char *v = pattern(101, 0);

	ASSERT_NE(NULL, v);
	ASSERT_EQ(0, oh_param_write_num("max_value_len", 100));
	EXPECT_EQ(0, objhash_insert(self->h, "a", 1, v, 100, NULL));
	EXPECT_EQ(-EMSGSIZE, objhash_insert(self->h, "b", 1, v, 101, NULL));
	EXPECT_EQ(-EMSGSIZE, objhash_replace(self->h, "a", 1, v, 101, NULL));
	free(v);
}

/* ---- one handle, many threads ---------------------------------------------- */

#define MT_THREADS	4
#define MT_KEYS		200

struct mt_arg {
	struct objhash *h;
	int id;
	int errors;
};

/* Insert, read back (both ways) and take this thread's own keys. */
static void *mt_worker(void *p)
{
	struct mt_arg *a = p;
	char key[32], val[32], buf[32], *got;
	size_t len;
	int i, n;

	for (i = 0; i < MT_KEYS; i++) {
		n = snprintf(key, sizeof(key), "t%d-%d", a->id, i);
		snprintf(val, sizeof(val), "value %d of %d", i, a->id);
		if (objhash_insert(a->h, key, n, val, strlen(val), NULL))
			a->errors++;
		len = sizeof(buf);
		if (objhash_get(a->h, key, n, buf, &len, NULL) ||
		    len != strlen(val) || memcmp(buf, val, len))
			a->errors++;
		if (objhash_take_alloc(a->h, key, n, (void **)&got, &len,
				       NULL)) {
			a->errors++;
			continue;
		}
		if (strcmp(got, val))
			a->errors++;
		free(got);
	}
	return NULL;
}

TEST_F(lib, threads_share_a_handle)
{
	struct mt_arg args[MT_THREADS];
	pthread_t tid[MT_THREADS];
	struct objhash_stats st;
	int i;

	for (i = 0; i < MT_THREADS; i++) {
		args[i] = (struct mt_arg){ .h = self->h, .id = i };
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, mt_worker,
					    &args[i]));
	}
	for (i = 0; i < MT_THREADS; i++) {
		ASSERT_EQ(0, pthread_join(tid[i], NULL));
		EXPECT_EQ(0, args[i].errors) {
			TH_LOG("thread %d: %d errors", i, args[i].errors);
		}
	}
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.inserts + MT_THREADS * MT_KEYS, st.inserts);
	EXPECT_EQ(self->st0.deletes + MT_THREADS * MT_KEYS, st.deletes);
}

OBJHASH_TEST_MAIN
