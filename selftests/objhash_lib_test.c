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

/* ---- purge_prefix (LIBOBJHASH_1.1) ------------------------------------------ */

TEST_F(lib, purge_prefix)
{
	static const char bin[] = { 'p', 0, (char)0xff };
	struct objhash_stats st;
	uint64_t purged = 99, v = 0;
	char buf[8];
	size_t len;

	ASSERT_EQ(0, objhash_insert(self->h, "a/1", 3, "v", 1, NULL));
	ASSERT_EQ(0, objhash_insert(self->h, "a/2", 3, "v", 1, &v));
	ASSERT_EQ(0, objhash_insert(self->h, "a/3", 3, "v", 1, NULL));
	ASSERT_EQ(0, objhash_insert(self->h, "a", 1, "v", 1, NULL));
	ASSERT_EQ(0, objhash_insert(self->h, "b/1", 3, "v", 1, NULL));
	ASSERT_EQ(0, objhash_insert(self->h, bin, 3, "v", 1, NULL));
	ASSERT_EQ(0, objhash_insert(self->h, bin, 2, "v", 1, NULL));
	/* errors first: nothing purged */
	EXPECT_EQ(-EINVAL, objhash_purge_prefix(NULL, "a", 1, 0, 0, &purged));
	EXPECT_EQ(-EBADF, objhash_purge_prefix(self->ro, "a", 1, 0, 0,
					       &purged));
	EXPECT_EQ(-EINVAL, objhash_purge_prefix(self->h, "a", 1, 0, 1U << 31,
						&purged));
	EXPECT_EQ(-EINVAL, objhash_purge_prefix(self->h, buf,
						OBJHASH_KEY_MAX + 1, 0, 0,
						&purged));
	EXPECT_EQ(-EFAULT, objhash_purge_prefix(self->h, NULL, 1, 0, 0,
						&purged));
	EXPECT_EQ(-EFAULT, objhash_purge_prefix(self->h, oh_unmapped_addr(), 1,
						0, 0, &purged));
	if (sizeof(size_t) > 4)
		EXPECT_EQ(-EINVAL, objhash_purge_prefix(self->h, "a",
							over_u32(1), 0, 0,
							&purged));
	EXPECT_EQ(99, purged);
	STATS(&st);
	ASSERT_EQ(7, st.objects);
	/* "a/" up to a/2's version: a/1 and a/2, not a/3, a or b/1 */
	ASSERT_EQ(0, objhash_purge_prefix(self->h, "a/", 2, v, 0, &purged));
	EXPECT_EQ(2, purged);
	len = sizeof(buf);
	EXPECT_EQ(0, objhash_get(self->h, "a/3", 3, buf, &len, NULL));
	/* a prefix with a NUL byte in it, and one that is a whole key */
	ASSERT_EQ(0, objhash_purge_prefix(self->h, bin, 2, 0,
					  OBJHASH_PURGE_WAIT, &purged));
	EXPECT_EQ(2, purged);
	ASSERT_EQ(0, objhash_purge_prefix(self->wo, "a", 1, 0, 0, &purged));
	EXPECT_EQ(2, purged);	/* a/3 and a */
	ASSERT_EQ(0, objhash_purge_prefix(self->h, "zz", 2, 0, 0, NULL));
	/* no prefix: everything, as objhash_purge() */
	ASSERT_EQ(0, objhash_purge_prefix(self->h, NULL, 0, 0,
					  OBJHASH_PURGE_WAIT, &purged));
	EXPECT_EQ(1, purged);	/* b/1 */
	STATS(&st);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.purged + 7, st.purged);
}

/* ---- dump_next: parsing a buffer, no kernel involved ---------------------- */

/* Append a record to @buf at *@off; @pad extra zero bytes before rounding. */
static void put_rec(unsigned char *buf, size_t *off, const char *key,
		    const char *val, uint32_t vlen, uint32_t flags, size_t pad)
{
	struct objhash_dump_rec r = {
		.version = 100 + *off,
		.flags = flags,
		.key_len = strlen(key),
		.value_len = vlen,
	};
	size_t n = sizeof(r) + r.key_len, vbytes = 0;

	if (!(flags & OBJHASH_REC_VALUE_OMITTED))
		vbytes = vlen;
	n += vbytes + pad;
	r.rec_len = (n + 7) & ~(size_t)7;
	memset(buf + *off, 0, r.rec_len);
	memcpy(buf + *off, &r, sizeof(r));
	memcpy(buf + *off + sizeof(r), key, r.key_len);
	if (vbytes)
		memcpy(buf + *off + sizeof(r) + r.key_len, val, vbytes);
	*off += r.rec_len;
}

TEST(dump_next_parses_by_rec_len)
{
	/* + 8: the records start 8 bytes off an 8-byte boundary + 1 */
	static unsigned char mem[1024 + 9];
	unsigned char *buf = mem + 1;	/* not aligned: allowed */
	struct objhash_record rec;
	size_t off = 0, end = 0;

	put_rec(buf, &end, "one", "1", 1, 0, 0);
	put_rec(buf, &end, "two", "22", 2, OBJHASH_REC_VALUE_OMITTED, 0);
	put_rec(buf, &end, "three", "", 0, 0, 0);
	put_rec(buf, &end, "four", "4444", 4, 0, 40);	/* a longer record */
	ASSERT_EQ(1, objhash_dump_next(buf, end, &off, &rec));
	EXPECT_EQ(3, rec.key_len);
	EXPECT_EQ(0, memcmp(rec.key, "one", 3));
	ASSERT_NE(NULL, rec.value);
	EXPECT_EQ(1, rec.value_len);
	EXPECT_EQ('1', *(const char *)rec.value);
	EXPECT_EQ(100, rec.version);
	EXPECT_EQ(32, off);
	ASSERT_EQ(1, objhash_dump_next(buf, end, &off, &rec));
	EXPECT_EQ(0, memcmp(rec.key, "two", 3));
	EXPECT_EQ(NULL, rec.value);
	EXPECT_EQ(2, rec.value_len) {
		TH_LOG("an omitted value keeps its stored length");
	}
	EXPECT_EQ(OBJHASH_REC_VALUE_OMITTED, rec.flags);
	ASSERT_EQ(1, objhash_dump_next(buf, end, &off, &rec));
	EXPECT_EQ(5, rec.key_len);
	EXPECT_NE(NULL, rec.value);
	EXPECT_EQ(0, rec.value_len);
	ASSERT_EQ(1, objhash_dump_next(buf, end, &off, &rec));
	EXPECT_EQ(0, memcmp(rec.key, "four", 4));
	EXPECT_EQ(0, memcmp(rec.value, "4444", 4));
	EXPECT_EQ(end, off);
	EXPECT_EQ(0, objhash_dump_next(buf, end, &off, &rec));
	EXPECT_EQ(0, objhash_dump_next(buf, 0, &(size_t){ 0 }, &rec));
}

TEST(dump_next_malformed)
{
	static unsigned char buf[256];
	struct objhash_dump_rec *r = (struct objhash_dump_rec *)buf;
	struct objhash_record rec = { .key_len = 77 };
	size_t off, end = 0;

	put_rec(buf, &end, "key", "value", 5, 0, 0);	/* 24 + 8 = 32 */
	ASSERT_EQ(32, end);
	off = 0;
	EXPECT_EQ(-EINVAL, objhash_dump_next(NULL, end, &off, &rec));
	EXPECT_EQ(-EINVAL, objhash_dump_next(buf, end, NULL, &rec));
	EXPECT_EQ(-EINVAL, objhash_dump_next(buf, end, &off, NULL));
	off = 4;
	EXPECT_EQ(-EINVAL, objhash_dump_next(buf, end, &off, &rec));
	off = 40;
	EXPECT_EQ(-EINVAL, objhash_dump_next(buf, end, &off, &rec));
	off = 0;
	EXPECT_EQ(-EBADMSG, objhash_dump_next(buf, 16, &off, &rec)) {
		TH_LOG("half a header");
	}
	EXPECT_EQ(-EBADMSG, objhash_dump_next(buf, 24, &off, &rec)) {
		TH_LOG("a record running past the bytes");
	}
	r->rec_len = 36;	/* room for it all, but not a multiple of 8 */
	EXPECT_EQ(-EBADMSG, objhash_dump_next(buf, end + 8, &off, &rec)) {
		TH_LOG("rec_len not a multiple of 8");
	}
	r->rec_len = 40;	/* a longer record is fine */
	EXPECT_EQ(1, objhash_dump_next(buf, end + 8, &off, &rec));
	EXPECT_EQ(end + 8, off);
	off = 0;
	r->rec_len = 24;
	EXPECT_EQ(-EBADMSG, objhash_dump_next(buf, end, &off, &rec)) {
		TH_LOG("rec_len shorter than header + key + value");
	}
	r->rec_len = 32;
	r->value_len = 0xfffffff0;
	EXPECT_EQ(-EBADMSG, objhash_dump_next(buf, end, &off, &rec));
	r->flags = OBJHASH_REC_VALUE_OMITTED;	/* now it is fine */
	EXPECT_EQ(1, objhash_dump_next(buf, end, &off, &rec));
	EXPECT_EQ(0xfffffff0, rec.value_len);
	off = 0;
	r->flags = 0;
	r->key_len = 0xfffffff0;
	r->value_len = 0x20;
	rec.key_len = 77;
	EXPECT_EQ(-EBADMSG, objhash_dump_next(buf, end, &off, &rec));
	EXPECT_EQ(0, off);
	EXPECT_EQ(77, rec.key_len) {
		TH_LOG("a malformed record must leave *rec alone");
	}
}

/* ---- dump (LIBOBJHASH_1.1) ------------------------------------------------- */

#define DUMP_KEYS	300

/* Key i of the dump tests: "d<i>" then byte 0 and 0xff; value i*13 bytes. */
static size_t dump_key(int i, char *key)
{
	int n = sprintf(key, "d%d", i);

	key[n] = 0;
	key[n + 1] = (char)0xff;
	return n + 2;
}

/* Fill the table with DUMP_KEYS keys; versions[i] gets key i's version. */
static int dump_fill(struct objhash *h, uint64_t *versions)
{
	char key[32], *val;
	int i, ret = 0;

	for (i = 0; i < DUMP_KEYS && !ret; i++) {
		val = pattern(i * 13, i);
		if (!val)
			return -ENOMEM;
		ret = objhash_insert(h, key, dump_key(i, key), val, i * 13,
				     &versions[i]);
		free(val);
	}
	return ret;
}

/* Which key a record is (-1: none of dump_fill's). */
static int dump_which(const struct objhash_record *rec)
{
	char key[32];
	int i;

	if (rec->key_len < 3 || ((const char *)rec->key)[0] != 'd')
		return -1;
	i = atoi((const char *)rec->key + 1);
	if (i < 0 || i >= DUMP_KEYS || dump_key(i, key) != rec->key_len ||
	    memcmp(key, rec->key, rec->key_len))
		return -1;
	return i;
}

/*
 * Dump the whole table with @flags through a @buf_len buffer, checking
 * each record against dump_fill()'s keys; seen[i] counts key i.  Returns
 * the number of calls, or -1 on a failure already logged.
 */
static int dump_all(struct __test_metadata *_metadata, struct objhash *h,
		    uint32_t flags, size_t buf_len, int *seen,
		    const uint64_t *versions)
{
	struct objhash_dump d = { .flags = flags };
	struct objhash_record rec;
	unsigned char *buf = malloc(buf_len);
	int calls = 0, r, i;
	size_t off;
	char *want;

	if (!buf)
		return -1;
	d.buf = oh_ptr(buf);
	d.buf_len = buf_len;
	do {
		r = objhash_dump(h, &d, sizeof(d));
		calls++;
		if (r || calls > 100000) {
			TH_LOG("call %d: %d (%s)", calls, r, strerror(-r));
			free(buf);
			return -1;
		}
		off = 0;
		while ((r = objhash_dump_next(buf, d.bytes, &off, &rec)) > 0) {
			i = dump_which(&rec);
			if (i < 0 || versions[i] != rec.version ||
			    rec.value_len != (size_t)i * 13) {
				TH_LOG("record of key %d, version %llu", i,
				       (unsigned long long)rec.version);
				free(buf);
				return -1;
			}
			seen[i]++;
			if (flags & OBJHASH_DUMP_KEYS_ONLY) {
				if (rec.value || !(rec.flags &
						   OBJHASH_REC_VALUE_OMITTED))
					TH_LOG("key %d: value not omitted", i);
				continue;
			}
			want = pattern(i * 13, i);
			if (!rec.value || memcmp(want, rec.value, i * 13)) {
				TH_LOG("key %d: wrong value", i);
				seen[i] += 1000;
			}
			free(want);
		}
		if (r < 0) {
			TH_LOG("malformed record at %zu: %d", off, r);
			free(buf);
			return -1;
		}
		EXPECT_EQ(off, d.bytes);
	} while (!(d.status & OBJHASH_DUMP_DONE));
	free(buf);
	return calls;
}

/* How many of dump_fill()'s keys were not seen exactly once (first logged). */
static int dump_not_once(struct __test_metadata *_metadata, const int *seen)
{
	int i, bad = 0;

	for (i = 0; i < DUMP_KEYS; i++) {
		if (seen[i] == 1)
			continue;
		if (!bad++)
			TH_LOG("key %d seen %d times", i, seen[i]);
	}
	return bad;
}

TEST_F(lib, dump_every_key_once)
{
	uint64_t versions[DUMP_KEYS];
	int seen[DUMP_KEYS] = { 0 }, calls;

	ASSERT_EQ(0, dump_fill(self->h, versions));
	/* 8 KiB: many calls; the longest record (3887 + 24 + 6) fits */
	calls = dump_all(_metadata, self->ro, 0, 8192, seen, versions);
	ASSERT_LT(1, calls);
	EXPECT_EQ(0, dump_not_once(_metadata, seen));
}

TEST_F(lib, dump_keys_only)
{
	uint64_t versions[DUMP_KEYS];
	int seen[DUMP_KEYS] = { 0 };

	ASSERT_EQ(0, dump_fill(self->h, versions));
	/* keys only: the whole table fits one 16 KiB buffer (300 * 40) */
	EXPECT_EQ(1, dump_all(_metadata, self->h, OBJHASH_DUMP_KEYS_ONLY,
			      16384, seen, versions));
	EXPECT_EQ(0, dump_not_once(_metadata, seen));
}

TEST_F(lib, dump_empty_table)
{
	struct objhash_dump d = { 0 };
	char buf[64];

	d.buf = oh_ptr(buf);
	d.buf_len = sizeof(buf);
	d.records = 5;	/* the library zeroes the outputs */
	do {
		ASSERT_EQ(0, objhash_dump(self->h, &d, sizeof(d)));
		EXPECT_EQ(0, d.records);
		EXPECT_EQ(0, d.bytes);
	} while (!(d.status & OBJHASH_DUMP_DONE));
	/* done stays done */
	ASSERT_EQ(0, objhash_dump(self->h, &d, sizeof(d)));
	EXPECT_EQ(OBJHASH_DUMP_DONE, d.status);
	EXPECT_EQ(0, d.records);
}

TEST_F(lib, dump_erange_needed)
{
	uint64_t cursor[OBJHASH_CURSOR_WORDS];
	struct objhash_dump d = { 0 };
	struct objhash_record rec;
	char *want = pattern(5000, 9);
	unsigned char *buf = malloc(8192);
	size_t off = 0, need;
	int r;

	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, objhash_insert(self->h, "big", 3, want, 5000, NULL));
	need = (sizeof(struct objhash_dump_rec) + 3 + 5000 + 7) & ~(size_t)7;
	d.buf = oh_ptr(buf);
	d.buf_len = 64;
	/* walk to the record: calls over empty slices return nothing */
	do {
		memcpy(cursor, d.cursor, sizeof(cursor));
		r = objhash_dump(self->h, &d, sizeof(d));
		EXPECT_EQ(0, d.records);
	} while (!r && !(d.status & OBJHASH_DUMP_DONE));
	ASSERT_EQ(-ERANGE, r);
	EXPECT_EQ(need, d.needed);
	EXPECT_EQ(0, memcmp(cursor, d.cursor, sizeof(cursor))) {
		TH_LOG("ERANGE must leave the cursor as it was");
	}
	/* keys only: the same record fits */
	d.flags = OBJHASH_DUMP_KEYS_ONLY;
	ASSERT_EQ(0, objhash_dump(self->h, &d, sizeof(d)));
	EXPECT_EQ(1, d.records);
	memcpy(d.cursor, cursor, sizeof(cursor));
	d.flags = 0;
	d.buf_len = need;
	ASSERT_EQ(0, objhash_dump(self->h, &d, sizeof(d)));
	ASSERT_EQ(1, d.records);
	EXPECT_EQ(need, d.bytes);
	ASSERT_EQ(1, objhash_dump_next(buf, d.bytes, &off, &rec));
	EXPECT_EQ(5000, rec.value_len);
	EXPECT_EQ(0, memcmp(want, rec.value, 5000));
	free(buf);
	free(want);
}

TEST_F(lib, dump_versions_and_max_records)
{
	struct objhash_dump d = { 0 };
	unsigned char buf[4096];
	uint64_t v[5];
	char key[2] = "k";
	int i, total = 0;

	for (i = 0; i < 5; i++) {
		key[1] = '0' + i;
		ASSERT_EQ(0, objhash_insert(self->h, key, 2, "v", 1, &v[i]));
	}
	d.buf = oh_ptr(buf);
	d.buf_len = sizeof(buf);
	d.flags = OBJHASH_DUMP_VERSIONS;
	d.min_version = v[1];
	d.max_version = v[3];
	d.max_records = 1;
	do {
		ASSERT_EQ(0, objhash_dump(self->ro, &d, sizeof(d)));
		EXPECT_GE(1, d.records);
		total += d.records;
	} while (!(d.status & OBJHASH_DUMP_DONE));
	EXPECT_EQ(3, total);
}

TEST_F(lib, dump_delete_drains)
{
	uint64_t versions[DUMP_KEYS];
	int seen[DUMP_KEYS] = { 0 };
	struct objhash_stats st;

	ASSERT_EQ(0, dump_fill(self->h, versions));
	ASSERT_LT(0, dump_all(_metadata, self->h, OBJHASH_DUMP_DELETE, 8192,
			      seen, versions));
	EXPECT_EQ(0, dump_not_once(_metadata, seen));
	STATS(&st);
	EXPECT_EQ(0, st.objects);
}

TEST_F(lib, dump_errors)
{
	struct objhash_dump d = { 0 };
	char buf[256];

	ASSERT_EQ(0, objhash_insert(self->h, "k", 1, "v", 1, NULL));
	d.buf = oh_ptr(buf);
	d.buf_len = sizeof(buf);
	EXPECT_EQ(-EINVAL, objhash_dump(NULL, &d, sizeof(d)));
	EXPECT_EQ(-EINVAL, objhash_dump(self->h, NULL, sizeof(d)));
	EXPECT_EQ(-EBADF, objhash_dump(self->wo, &d, sizeof(d)));
	d.flags = OBJHASH_DUMP_DELETE;
	EXPECT_EQ(-EBADF, objhash_dump(self->ro, &d, sizeof(d))) {
		TH_LOG("a drain needs O_RDWR");
	}
	d.flags = 1U << 31;
	EXPECT_EQ(-EINVAL, objhash_dump(self->h, &d, sizeof(d)));
	d.flags = 0;
	d.min_version = 1;
	EXPECT_EQ(-EINVAL, objhash_dump(self->h, &d, sizeof(d))) {
		TH_LOG("versions without OBJHASH_DUMP_VERSIONS");
	}
	d.flags = OBJHASH_DUMP_VERSIONS;
	d.min_version = 5;
	d.max_version = 4;
	EXPECT_EQ(-EINVAL, objhash_dump(self->h, &d, sizeof(d)));
	d.flags = 0;
	d.min_version = d.max_version = 0;
	memset(d.cursor, 0xa5, sizeof(d.cursor));
	EXPECT_EQ(-EINVAL, objhash_dump(self->h, &d, sizeof(d))) {
		TH_LOG("a cursor the module did not write");
	}
	memset(d.cursor, 0, sizeof(d.cursor));
	d.buf = oh_ptr(oh_unmapped_addr());
	EXPECT_EQ(-EFAULT, objhash_dump(self->h, &d, sizeof(d)));
	d.buf = oh_ptr(buf);
	EXPECT_EQ(-EINVAL, objhash_dump(self->h, &d, 8));
	EXPECT_EQ(-E2BIG, objhash_dump(self->h, &d, 1 << 14));
	/* the struct is fine again */
	do {
		ASSERT_EQ(0, objhash_dump(self->h, &d, sizeof(d)));
	} while (!(d.status & OBJHASH_DUMP_DONE));
}

/* ---- batch (LIBOBJHASH_1.1) -------------------------------------------------- */

static void set_op(struct objhash_batch_op *op, uint32_t cmd, const char *key,
		   void *value, uint32_t value_len, uint32_t flags)
{
	memset(op, 0, sizeof(*op));
	op->op = cmd;
	op->key = oh_ptr(key);
	op->key_len = strlen(key);
	op->value = oh_ptr(value);
	op->value_len = value_len;
	op->flags = flags;
}

TEST_F(lib, batch)
{
	struct objhash_batch_op ops[7];
	struct objhash_stats st;
	char out[8], small[2];
	size_t done = 99, failed = 99;

	set_op(&ops[0], OBJHASH_BATCH_INSERT, "a", "one", 3, 0);
	set_op(&ops[1], OBJHASH_BATCH_INSERT, "b", "two", 3, 0);
	set_op(&ops[2], OBJHASH_BATCH_INSERT, "a", "dup", 3, 0);
	set_op(&ops[3], OBJHASH_BATCH_LOOKUP, "a", out, sizeof(out), 0);
	set_op(&ops[4], OBJHASH_BATCH_LOOKUP, "b", small, sizeof(small), 0);
	set_op(&ops[5], OBJHASH_BATCH_DELETE, "b", NULL, 0, 0);
	set_op(&ops[6], OBJHASH_BATCH_DELETE, "b", NULL, 0, 0);
	ASSERT_EQ(0, objhash_batch(self->h, ops, 7, sizeof(ops[0]), 0, &done,
				   &failed));
	EXPECT_EQ(7, done);
	EXPECT_EQ(3, failed);
	EXPECT_EQ(0, ops[0].result);
	EXPECT_EQ(self->st0.version + 1, ops[0].version);
	EXPECT_EQ(0, ops[1].result);
	EXPECT_EQ(self->st0.version + 2, ops[1].version);
	EXPECT_EQ(-EEXIST, ops[2].result);
	EXPECT_EQ(0, ops[3].result);
	EXPECT_EQ(3, ops[3].value_len);
	EXPECT_EQ(0, memcmp(out, "one", 3));
	EXPECT_EQ(ops[0].version, ops[3].version);
	EXPECT_EQ(-ERANGE, ops[4].result);
	EXPECT_EQ(3, ops[4].value_len);
	EXPECT_EQ(0, ops[5].result);
	EXPECT_EQ(-ENOENT, ops[6].result);
	STATS(&st);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(self->st0.inserts + 2, st.inserts);
	EXPECT_EQ(self->st0.deletes + 1, st.deletes);
	/* nothing to do */
	EXPECT_EQ(0, objhash_batch(self->h, NULL, 0, sizeof(ops[0]), 0, &done,
				   &failed));
	EXPECT_EQ(0, done);
	EXPECT_EQ(0, failed);
}

TEST_F(lib, batch_stop_on_error)
{
	struct objhash_batch_op ops[4];
	size_t done = 0, failed = 0;

	set_op(&ops[0], OBJHASH_BATCH_INSERT, "a", "1", 1, 0);
	set_op(&ops[1], OBJHASH_BATCH_INSERT, "a", "2", 1, 0);
	set_op(&ops[2], OBJHASH_BATCH_INSERT, "b", "3", 1, 0);
	set_op(&ops[3], OBJHASH_BATCH_DELETE, "a", NULL, 0, 0);
	ASSERT_EQ(0, objhash_batch(self->h, ops, 4, sizeof(ops[0]),
				   OBJHASH_BATCH_STOP_ON_ERROR, &done,
				   &failed));
	EXPECT_EQ(2, done);
	EXPECT_EQ(1, failed);
	EXPECT_EQ(0, ops[0].result);
	EXPECT_EQ(-EEXIST, ops[1].result);
	EXPECT_EQ(-ECANCELED, ops[2].result);
	EXPECT_EQ(-ECANCELED, ops[3].result);
	EXPECT_EQ(-ENOENT, objhash_delete(self->h, "b", 1, 0));
	EXPECT_EQ(0, objhash_delete(self->h, "a", 1, 0));
}

TEST_F(lib, batch_errors)
{
	struct objhash_batch_op ops[2];
	size_t done = 99, failed = 99;
	char buf[4];

	set_op(&ops[0], OBJHASH_BATCH_INSERT, "a", "1", 1, 0);
	EXPECT_EQ(-EINVAL, objhash_batch(NULL, ops, 1, sizeof(ops[0]), 0,
					 &done, &failed));
	EXPECT_EQ(-EINVAL, objhash_batch(self->h, NULL, 1, sizeof(ops[0]), 0,
					 &done, &failed));
	EXPECT_EQ(99, done);
	EXPECT_EQ(-EINVAL, objhash_batch(self->h, ops, 1, 7, 0, &done,
					 &failed));
	EXPECT_EQ(-EINVAL, objhash_batch(self->h, ops, 1, 48, 0, &done,
					 &failed)) {
		TH_LOG("an op smaller than OBJHASH_BATCH_OP_SIZE_VER0");
	}
	EXPECT_EQ(-EINVAL, objhash_batch(self->h, ops, 1, 8192, 0, &done,
					 &failed));
	EXPECT_EQ(-EINVAL, objhash_batch(self->h, ops, 1, sizeof(ops[0]),
					 1U << 31, &done, &failed));
	EXPECT_EQ(-E2BIG, objhash_batch(self->h, ops, OBJHASH_BATCH_MAX + 1,
					sizeof(ops[0]), 0, &done, &failed));
	if (sizeof(size_t) > 4) {
		EXPECT_EQ(-E2BIG, objhash_batch(self->h, ops, over_u32(1),
						sizeof(ops[0]), 0, &done,
						&failed));
		EXPECT_EQ(-EINVAL, objhash_batch(self->h, ops, 1,
						 over_u32(sizeof(ops[0])), 0,
						 &done, &failed));
	}
	EXPECT_EQ(-EFAULT, objhash_batch(self->h, oh_unmapped_addr(), 1,
					 sizeof(ops[0]), 0, &done, &failed));
	EXPECT_EQ(0, done);
	EXPECT_EQ(-ENOENT, objhash_delete(self->h, "a", 1, 0)) {
		TH_LOG("a refused batch must run nothing");
	}
	/* per op: access, reserved, a bad key and a bad value */
	set_op(&ops[1], OBJHASH_BATCH_LOOKUP, "a", buf, sizeof(buf), 0);
	ASSERT_EQ(0, objhash_batch(self->ro, ops, 2, sizeof(ops[0]), 0, &done,
				   &failed));
	EXPECT_EQ(2, done);
	EXPECT_EQ(2, failed);
	EXPECT_EQ(-EBADF, ops[0].result);
	EXPECT_EQ(-ENOENT, ops[1].result);
	ASSERT_EQ(0, objhash_batch(self->wo, ops, 2, sizeof(ops[0]), 0, &done,
				   &failed));
	EXPECT_EQ(0, ops[0].result);
	EXPECT_EQ(-EBADF, ops[1].result);
	set_op(&ops[0], OBJHASH_BATCH_INSERT, "b", "1", 1, 0);
	ops[0].reserved = 1;
	ops[1] = ops[0];
	ops[1].reserved = 0;
	ops[1].key = oh_ptr(oh_unmapped_addr());
	ASSERT_EQ(0, objhash_batch(self->h, ops, 2, sizeof(ops[0]), 0, &done,
				   &failed));
	EXPECT_EQ(-EINVAL, ops[0].result);
	EXPECT_EQ(-EFAULT, ops[1].result);
	ops[0].op = 99;
	ops[0].reserved = 0;
	ASSERT_EQ(0, objhash_batch(self->h, ops, 1, sizeof(ops[0]), 0, &done,
				   &failed));
	EXPECT_EQ(-EINVAL, ops[0].result) {
		TH_LOG("an unknown op");
	}
	EXPECT_EQ(-ENOENT, objhash_delete(self->h, "b", 1, 0));
}

/* A program built against a newer header: bigger ops, zeros past ours. */
TEST_F(lib, batch_bigger_op_size)
{
	struct {
		struct objhash_batch_op op;
		__u64 future;
	} ops[2];
	size_t done = 0, failed = 0;

	memset(ops, 0, sizeof(ops));
	set_op(&ops[0].op, OBJHASH_BATCH_INSERT, "a", "1", 1, 0);
	set_op(&ops[1].op, OBJHASH_BATCH_INSERT, "b", "2", 1, 0);
	ops[1].future = 1;
	ASSERT_EQ(0, objhash_batch(self->h, &ops[0].op, 2, sizeof(ops[0]), 0,
				   &done, &failed));
	EXPECT_EQ(2, done);
	EXPECT_EQ(1, failed);
	EXPECT_EQ(0, ops[0].op.result);
	EXPECT_EQ(-E2BIG, ops[1].op.result);
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
