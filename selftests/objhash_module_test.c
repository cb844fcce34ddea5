// SPDX-License-Identifier: GPL-2.0
/*
 * objhash module lifecycle: rmmod refused while an fd is open, allowed
 * after the last close whatever the table holds, insmod again with and
 * without parameters, bad load parameters refused.  The fixture puts the
 * module back, loaded with default parameters, whatever happened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define OBJHASH_SYSFS	"/sys/module/objhash"
#define DEFAULT_HASH_BITS	16

FIXTURE(objhash_module)
{
	/* path of objhash.ko ($OBJHASH_KO or the default) */
	const char *ko;
};

/* Run @cmd through the shell; its exit status, or -1. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static bool module_loaded(void)
{
	return access(OBJHASH_SYSFS, F_OK) == 0;
}

/* Wait up to 5 s for /dev/objhash to (dis)appear. */
static bool wait_device(bool present)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (oh_device_present() == present)
			return true;
		usleep(10000);
	}
	return false;
}

static int rmmod(void)
{
	return run("rmmod objhash 2>/dev/null");
}

static int insmod(const char *ko, const char *params)
{
	int ret = run("insmod %s %s 2>/dev/null", ko, params);

	if (!ret && !wait_device(true))
		return -1;
	return ret;
}

/* Is the module loaded with its default hash_bits? */
static bool loaded_with_defaults(void)
{
	unsigned long long hb = 0;

	return module_loaded() && !oh_param_read("hash_bits", &hb) &&
	       hb == DEFAULT_HASH_BITS;
}

FIXTURE_SETUP(objhash_module)
{
	self->ko = getenv("OBJHASH_KO") ?: OBJHASH_DEFAULT_KO;
	ASSERT_EQ(0, access(self->ko, R_OK)) {
		TH_LOG("%s: %s (set OBJHASH_KO)", self->ko, strerror(errno));
	}
	ASSERT_TRUE(module_loaded());
}

FIXTURE_TEARDOWN(objhash_module)
{
	if (module_loaded() && !loaded_with_defaults())
		EXPECT_EQ(0, rmmod());
	if (!module_loaded())
		EXPECT_EQ(0, insmod(self->ko, ""));
	EXPECT_TRUE(loaded_with_defaults()) {
		TH_LOG("could not put objhash back with default parameters");
	}
}

/* Fill the table through a fresh fd and close it. */
static int fill_table(int n)
{
	char key[32], val[100];
	int fd = open(OBJHASH_DEV, O_RDWR);
	int i, ret = 0;

	if (fd < 0)
		return -errno;
	memset(val, 'x', sizeof(val));
	for (i = 0; i < n && !ret; i++) {
		snprintf(key, sizeof(key), "mod-%d", i);
		ret = oh_insert(fd, key, strlen(key), val, i % 100,
				OBJHASH_INSERT_REPLACE, 0, NULL);
	}
	close(fd);
	return ret;
}

/* STATS through a fresh fd. */
static int fresh_stats(struct objhash_stats *st)
{
	int fd = open(OBJHASH_DEV, O_RDONLY);
	int ret;

	if (fd < 0)
		return -errno;
	ret = oh_stats(fd, st);
	close(fd);
	return ret;
}

TEST_F(objhash_module, rmmod_busy_while_open)
{
	struct objhash_stats st;
	int fd = open(OBJHASH_DEV, O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, oh_insert_str(fd, "busy", "v", OBJHASH_INSERT_REPLACE,
				   NULL));
	EXPECT_NE(0, rmmod()) {
		TH_LOG("rmmod succeeded with an fd open");
	}
	EXPECT_TRUE(module_loaded());
	/* the open fd still works */
	EXPECT_EQ(0, oh_stats(fd, &st));
	EXPECT_EQ(1, oh_present_str(fd, "busy"));
	EXPECT_EQ(0, close(fd));
}

TEST_F(objhash_module, rmmod_busy_child_fd)
{
	int hold[2], ready[2], fd;
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(hold));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(hold[1]);
		close(ready[0]);
		fd = open(OBJHASH_DEV, O_RDONLY);
		c = fd < 0 ? 'E' : 'R';
		if (write(ready[1], &c, 1) != 1)
			_exit(2);
		/* hold the fd until the parent closes the pipe */
		if (fd >= 0 && read(hold[0], &c, 1) < 0)
			_exit(3);
		_exit(fd < 0);
	}
	close(hold[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ('R', c) {
		TH_LOG("the child could not open " OBJHASH_DEV);
	}
	EXPECT_NE(0, rmmod()) {
		TH_LOG("rmmod succeeded while a child held an fd");
	}
	EXPECT_TRUE(module_loaded());
	close(hold[1]);
	close(ready[0]);
	EXPECT_EQ(pid, waitpid(pid, NULL, 0));
}

TEST_F(objhash_module, rmmod_with_objects_then_insmod)
{
	struct objhash_stats st;
	unsigned long long hb = 0;

	ASSERT_EQ(0, fill_table(500));
	ASSERT_EQ(0, fresh_stats(&st));
	EXPECT_LE(500, st.objects);
	ASSERT_EQ(0, rmmod()) {
		TH_LOG("rmmod failed after the last close");
	}
	EXPECT_FALSE(module_loaded());
	EXPECT_TRUE(wait_device(false)) {
		TH_LOG(OBJHASH_DEV " still there after rmmod");
	}
	ASSERT_EQ(0, insmod(self->ko, ""));
	ASSERT_EQ(0, fresh_stats(&st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.bytes);
	EXPECT_EQ(0, st.version) {
		TH_LOG("a new table starts at version 0");
	}
	EXPECT_EQ(0, st.inserts);
	ASSERT_EQ(0, oh_param_read("hash_bits", &hb));
	EXPECT_EQ(DEFAULT_HASH_BITS, hb);
	EXPECT_EQ(1ULL << DEFAULT_HASH_BITS, st.buckets);
}

TEST_F(objhash_module, rmmod_right_after_purge)
{
	int fd = open(OBJHASH_DEV, O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fill_table(300));
	/* unlinked objects may still wait for RCU when rmmod runs */
	ASSERT_EQ(0, oh_purge(fd, 0, 0, NULL));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(0, rmmod());
	ASSERT_EQ(0, insmod(self->ko, ""));
}

TEST_F(objhash_module, insmod_hash_bits)
{
	struct objhash_stats st;
	const int bits[] = { 4, 20 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		char arg[32];

		snprintf(arg, sizeof(arg), "hash_bits=%d", bits[i]);
		ASSERT_EQ(0, rmmod());
		ASSERT_EQ(0, insmod(self->ko, arg)) {
			TH_LOG("insmod %s failed", arg);
		}
		ASSERT_EQ(0, fresh_stats(&st));
		EXPECT_EQ(1ULL << bits[i], st.buckets) {
			TH_LOG("%s", arg);
		}
		EXPECT_EQ(0, fill_table(100));
		ASSERT_EQ(0, fresh_stats(&st));
		EXPECT_EQ(100, st.objects);
	}
}

TEST_F(objhash_module, insmod_limits)
{
	struct objhash_stats st;

	ASSERT_EQ(0, rmmod());
	ASSERT_EQ(0, insmod(self->ko, "max_objects=10 max_value_len=50"));
	ASSERT_EQ(0, fresh_stats(&st));
	EXPECT_EQ(10, st.max_objects);
	EXPECT_EQ(50, st.max_value_len);
	EXPECT_NE(0, fill_table(11)) {
		TH_LOG("max_objects=10 given at load not enforced");
	}
	/* put the defaults back explicitly (teardown only checks hash_bits) */
	ASSERT_EQ(0, rmmod());
	ASSERT_EQ(0, insmod(self->ko, ""));
	ASSERT_EQ(0, fresh_stats(&st));
	EXPECT_EQ(1048576, st.max_objects);
	EXPECT_EQ(65536, st.max_value_len);
}

TEST_F(objhash_module, insmod_bad_params)
{
	static const char *const bad[] = {
		"hash_bits=3", "hash_bits=25", "hash_bits=abc",
		"max_value_len=1048577",
	};
	size_t i;

	ASSERT_EQ(0, rmmod());
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_NE(0, insmod(self->ko, bad[i])) {
			TH_LOG("insmod %s was accepted", bad[i]);
		}
		if (module_loaded())
			EXPECT_EQ(0, rmmod());
	}
	ASSERT_EQ(0, insmod(self->ko, ""));
}

OBJHASH_TEST_MAIN
