// SPDX-License-Identifier: GPL-2.0
/*
 * objhash and memory cgroups: objects are charged to the memory cgroup of
 * the process that inserts them.  A process in a cgroup v2 group with a
 * memory.max fills the table until an insert fails ENOMEM; that insert
 * changes nothing, the group's memory.current carries the objects, nobody
 * is OOM-killed for it, and the charge goes back once the objects are
 * purged and freed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define CG_DIR		CG_ROOT "/objhash-memcg-test"
#define CG_LIMIT	(16ULL << 20)
#define MC_VALUE	(64U << 10)
/* More than CG_LIMIT can hold: the fill must end in ENOMEM. */
#define MC_MAX_INSERTS	(4 * CG_LIMIT / MC_VALUE)

static int cg_write(const char *file, const char *text)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", CG_DIR, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* "@file" of the test group as a number, or -errno. */
static long long cg_read_num(const char *file)
{
	char path[256], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", CG_DIR, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

/* The "@name N" line of a flat keyed file such as memory.events. */
static long long cg_read_key(const char *file, const char *name)
{
	char path[256], line[128];
	long long v = -ENOENT;
	size_t n = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", CG_DIR, file);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ' ')
			v = strtoll(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

FIXTURE(memcg)
{
	int fd;
	struct objhash_stats st0;
};

FIXTURE_SETUP(memcg)
{
	char ctl[256];
	int fd;

	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));

	/* cgroup v2, mounted here if nobody did */
	if (access(CG_ROOT "/cgroup.controllers", F_OK)) {
		mkdir(CG_ROOT, 0755);
		ASSERT_EQ(0, mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
			TH_LOG("mount cgroup2: %s", strerror(errno));
	}
	fd = open(CG_ROOT "/cgroup.controllers", O_RDONLY);
	ASSERT_LE(0, fd);
	memset(ctl, 0, sizeof(ctl));
	ASSERT_LT(0, read(fd, ctl, sizeof(ctl) - 1));
	close(fd);
	ASSERT_NE(NULL, strstr(ctl, "memory"))
		TH_LOG("no memory controller (CONFIG_MEMCG): %s", ctl);
	fd = open(CG_ROOT "/cgroup.subtree_control", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(7, write(fd, "+memory", 7));
	close(fd);
	rmdir(CG_DIR);
	ASSERT_EQ(0, mkdir(CG_DIR, 0755)) TH_LOG("mkdir %s: %s", CG_DIR,
						 strerror(errno));
}

FIXTURE_TEARDOWN(memcg)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	close(self->fd);
	EXPECT_EQ(0, rmdir(CG_DIR));
}

/*
 * Child: join the group, insert MC_VALUE-byte values until one fails,
 * report (inserted, errno of the failure) in @report, memory shared with
 * the parent and charged before joining: once the group is full, anything
 * the child still allocates (a pipe buffer, say) would meet the memcg OOM
 * killer.
 */
static void fill_in_group(unsigned int *report)
{
	unsigned char *val = malloc(MC_VALUE);
	char key[32];
	unsigned int n;
	int fd, ret = 0;

	fd = open(OBJHASH_DEV, O_WRONLY);
	if (!val || fd < 0)
		_exit(2);
	/* every page (and page table) it writes, faulted in before joining */
	memset(val, 0x5a, MC_VALUE);
	report[0] = report[1] = 0;
	if (cg_write("cgroup.procs", "0"))
		_exit(3);
	for (n = 0; n < MC_MAX_INSERTS; n++) {
		snprintf(key, sizeof(key), "mc-%u", n);
		ret = oh_insert(fd, key, strlen(key), val, MC_VALUE, 0, 0,
				NULL);
		if (ret)
			break;
	}
	report[0] = n;
	report[1] = -ret;
	_exit(0);
}

/* Run fill_in_group() in a child; its report in @report. */
static int fill(unsigned int *report)
{
	int status;
	pid_t pid;

	report[0] = report[1] = 0;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid)
		fill_in_group(report);
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return status;
}

TEST_F(memcg, charged_limited_and_uncharged)
{
	long long cur0, cur1, cur2, ooms;
	struct objhash_stats st;
	char limit[32], key[32];
	unsigned int *report, i;
	__u64 purged = 0;
	int status;

	report = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, report);
	report[0] = 0;		/* charged here, not in the group */
	snprintf(limit, sizeof(limit), "%llu", CG_LIMIT);
	ASSERT_EQ(0, cg_write("memory.max", limit));
	cur0 = cg_read_num("memory.current");
	ASSERT_LE(0, cur0);

	status = fill(report);
	ASSERT_LE(0, status);
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status)) {
		TH_LOG("the filler %s %d", WIFSIGNALED(status) ?
		       "was killed by signal" : "exited",
		       WIFSIGNALED(status) ? WTERMSIG(status) :
		       WEXITSTATUS(status));
	}
	TH_LOG("%u inserts of %u bytes, then %s", report[0], MC_VALUE,
	       strerror(report[1]));

	/* the limit ended the fill with ENOMEM, not the OOM killer */
	EXPECT_EQ(ENOMEM, report[1]);
	ASSERT_LT(0, report[0]);
	EXPECT_GT(MC_MAX_INSERTS, report[0]);
	ooms = cg_read_key("memory.events", "oom_kill");
	EXPECT_EQ(0, ooms);

	/* the failed insert changed nothing */
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(report[0], st.objects);
	EXPECT_EQ(self->st0.inserts + report[0], st.inserts);
	snprintf(key, sizeof(key), "mc-%u", report[0]);
	EXPECT_EQ(0, oh_present_str(self->fd, key));

	/* the group carries the objects, though its only task is gone */
	cur1 = cg_read_num("memory.current");
	TH_LOG("memory.current %lld -> %lld with %u objects", cur0, cur1,
	       report[0]);
	EXPECT_LE(cur0 + (long long)report[0] * MC_VALUE, cur1);
	EXPECT_GE((long long)CG_LIMIT, cur1);

	/* purged and freed: the charge goes back */
	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, &purged));
	EXPECT_EQ(report[0], purged);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.pending_release);
	cur2 = cg_read_num("memory.current");
	TH_LOG("memory.current after the purge: %lld", cur2);
	EXPECT_GE(cur1 - (long long)report[0] * MC_VALUE, cur2) {
		TH_LOG("freed objects are still charged to the group");
	}

	/* below the limit again: inserts from the group work */
	for (i = 0; i < 2; i++) {
		status = fill(report);
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
		EXPECT_EQ(ENOMEM, report[1]);
		EXPECT_LT(0, report[0]);
		ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, NULL));
	}
	munmap(report, 4096);
}

OBJHASH_TEST_MAIN
