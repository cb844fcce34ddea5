// SPDX-License-Identifier: GPL-2.0
/*
 * objhash and memory cgroups: objects are charged to the memory cgroup of
 * the process that inserts them.  A process in a cgroup v2 group with a
 * memory.max fills the table until an insert fails ENOMEM; that insert
 * changes nothing, the group's memory.current carries the objects, nobody
 * is OOM-killed for it, and the charge goes back once the objects are
 * purged and freed.
 *
 * And STATS memory tells the truth: for each size class of value, from 1
 * byte to 1 MiB, the growth of the group's memory.current when it fills
 * the table matches the growth of STATS memory; values larger than a page
 * take their pages and a small header, neither twice their size (as when
 * kmalloc rounded a 64 KiB value up to 128 KiB) nor vmalloc space.
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
/* What a 64 KiB value may take at most: its 16 pages and a page of header. */
#define MC_VALUE_MEM	(MC_VALUE + 4096)
/*
 * What memory.current may be off by, whatever the objects: it moves in
 * charge batches of 64 pages per CPU (MEMCG_CHARGE_BATCH), plus up to a
 * page of per-CPU slab object stock, plus 64 KiB of whatever else.
 */
#define MC_SLACK	(sysconf(_SC_NPROCESSORS_ONLN) * (64 + 1) * 4096LL + \
			 (64 << 10))
/* Each size class fills the table with at least this much payload. */
#define SC_FILL		(4ULL << 20)

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
	unsigned long long v = 0;
	char path[256];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", CG_DIR, file);
	ret = oh_read_num(path, &v);
	return ret ? ret : (long long)v;
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
static void fill_in_group(unsigned int *report, __u32 len, unsigned int max)
{
	unsigned char *val = malloc(len ?: 1);
	char key[32];
	unsigned int n;
	int fd, ret = 0;

	fd = open(OBJHASH_DEV, O_WRONLY);
	if (!val || fd < 0)
		_exit(2);
	/* every page (and page table) it writes, faulted in before joining */
	memset(val, 0x5a, len);
	report[0] = report[1] = 0;
	if (cg_write("cgroup.procs", "0"))
		_exit(3);
	for (n = 0; n < max; n++) {
		/* keys of one length (9 bytes), so every object is alike */
		snprintf(key, sizeof(key), "mc%07u", n);
		ret = oh_insert(fd, key, strlen(key), val, len, 0, 0, NULL);
		if (ret)
			break;
	}
	report[0] = n;
	report[1] = -ret;
	_exit(0);
}

/*
 * Run fill_in_group() in a child: at most @max inserts of @len-byte
 * values; its report in @report.
 */
static int fill_len(unsigned int *report, __u32 len, unsigned int max)
{
	int status;
	pid_t pid;

	report[0] = report[1] = 0;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid)
		fill_in_group(report, len, max);
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return status;
}

static int fill(unsigned int *report)
{
	return fill_len(report, MC_VALUE, MC_MAX_INSERTS);
}

TEST_F_TIMEOUT(memcg, charged_limited_and_uncharged, OH_SLOW_TIMEOUT)
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
	snprintf(key, sizeof(key), "mc%07u", report[0]);
	EXPECT_EQ(0, oh_present_str(self->fd, key));

	/* the group carries the objects, though its only task is gone */
	cur1 = cg_read_num("memory.current");
	TH_LOG("memory.current %lld -> %lld with %u objects", cur0, cur1,
	       report[0]);
	EXPECT_LE(cur0 + (long long)report[0] * MC_VALUE, cur1);
	EXPECT_GE((long long)CG_LIMIT, cur1);
	/*
	 * ... and they take about their payload, a page of header at most
	 * each: a 64 KiB value in a 128 KiB kmalloc block would fit half as
	 * many (the group's own task took a little of the limit too).
	 */
	EXPECT_LE((CG_LIMIT - cur0) / MC_VALUE_MEM * 9 / 10, report[0]);
	EXPECT_LE(st.memory, (unsigned long long)(cur1 - cur0));
	EXPECT_LE((long long)report[0] * MC_VALUE, (long long)st.memory);

	/* purged and freed: the charge goes back */
	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, &purged));
	EXPECT_EQ(report[0], purged);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.pending_release);
	EXPECT_EQ(0, st.memory);
	EXPECT_EQ(0, st.pending_memory);
	cur2 = cg_read_num("memory.current");
	TH_LOG("memory.current after the purge: %lld", cur2);
	/* back where it started, but for the charge batches (see MC_SLACK) */
	EXPECT_GE(cur0 + MC_SLACK, cur2) {
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

/*
 * The "@name: N kB" line of /proc/meminfo, in bytes; -1 if absent.  The
 * per-CPU counter deltas are folded first (vm.stat_refresh), as they can
 * lag by megabytes.
 */
static long long meminfo(const char *name)
{
	char line[128];
	long long v = -1;
	size_t n = strlen(name);
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);
	FILE *f;

	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			v = -1;	/* a refresh that failed only makes it coarser */
		close(fd);
	}
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':')
			v = strtoll(line + n + 1, NULL, 10) * 1024;
	fclose(f);
	return v;
}

/* A number from /sys/kernel/slab/@cache/@attr; 0 if there is none. */
static long long slab_attr(const char *cache, const char *attr)
{
	unsigned long long v = 0;
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/%s", cache, attr);
	return oh_read_num(path, &v) ? 0 : (long long)v;
}

/*
 * One size class: a value length, whether it is kept in pages, and the
 * slab cache its object (or, paged, its header) comes from with a 9-byte
 * key, only to read what the slab adds per object on this kernel.
 */
struct size_class {
	__u32 len;
	bool paged;
	const char *cache;
};

static const struct size_class size_classes[] = {
	{ 1, false, "objhash-80" },
	{ 200, false, "objhash-288" },
	{ 1000, false, "kmalloc-cg-2k" },
	{ 3000, false, "kmalloc-cg-4k" },
	{ 5000, true, "objhash-96" },		/* the first paged class */
	{ 64 << 10, true, "objhash-208" },
	{ 1 << 20, true, "kmalloc-cg-4k" },	/* max_value_len raised */
};

/* What one class's fill made grow: memory.current, STATS, /proc/meminfo. */
struct class_growth {
	unsigned int n;
	long long cur, memory, sunreclaim, vmalloc;
};

static void fill_class(struct __test_metadata *_metadata, int fd,
		       const struct size_class *c, unsigned int *report,
		       struct class_growth *g)
{
	unsigned int k = (SC_FILL + c->len + 63) / (c->len + 64);
	long long cur0 = cg_read_num("memory.current");
	long long su0 = meminfo("SUnreclaim"), vm0 = meminfo("VmallocUsed");
	struct objhash_stats st0, st;
	int status;

	g->n = 0;	/* until the fill is done */
	ASSERT_EQ(0, oh_stats(fd, &st0));
	status = fill_len(report, c->len, k);
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(k, report[0]) TH_LOG("class %u: %s", c->len,
				       strerror(report[1]));
	ASSERT_EQ(0, oh_stats(fd, &st));
	g->n = k;
	g->cur = cg_read_num("memory.current") - cur0;
	g->memory = (long long)(st.memory - st0.memory);
	g->sunreclaim = meminfo("SUnreclaim") - su0;
	g->vmalloc = meminfo("VmallocUsed") - vm0;
	EXPECT_EQ(0, st.pending_memory);
}

/*
 * For every size class, the group's memory.current grows as STATS memory
 * does.  Tolerance, and why: memory.current charges a slab object its
 * slab size (object size plus debug metadata such as KASAN's, read from
 * /sys/kernel/slab) plus the memory cgroup's 8-byte per-object pointer,
 * and it moves in charge batches (MC_SLACK); STATS counts the object size
 * alone.  Values kept in pages take no vmalloc space, and only their
 * headers are slab (SUnreclaim).  After PURGE_WAIT, STATS memory is 0 and
 * the charge is back.
 */
TEST_F_TIMEOUT(memcg, memory_per_size_class, OH_SLOW_TIMEOUT)
{
	long long slack = MC_SLACK, meta, cur0;
	unsigned long long max_value_len;
	struct class_growth g;
	struct objhash_stats st;
	unsigned int *report;
	size_t i;

	report = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, report);
	report[0] = 0;		/* charged here, not in the group */
	ASSERT_EQ(0, oh_param_read("max_value_len", &max_value_len));
	ASSERT_EQ(0, oh_param_write_num("max_value_len", 1 << 20));
	cur0 = cg_read_num("memory.current");
	for (i = 0; i < ARRAY_SIZE(size_classes); i++) {
		const struct size_class *c = &size_classes[i];

		fill_class(_metadata, self->fd, c, report, &g);
		if (!g.n)
			break;
		meta = slab_attr(c->cache, "slab_size") -
		       slab_attr(c->cache, "object_size") + 8;
		printf("# %7u B x %6u: memory.current +%lld/obj, STATS memory +%lld/obj, payload %u+9/obj, SUnreclaim %+lld/obj, VmallocUsed %+lld/obj, slab meta %lld/obj\n",
		       c->len, g.n, g.cur / g.n, g.memory / g.n, c->len,
		       g.sunreclaim / g.n, g.vmalloc / g.n, meta);
		EXPECT_LE(g.memory - slack, g.cur) TH_LOG("class %u", c->len);
		EXPECT_GE(g.memory + g.n * meta + slack, g.cur)
			TH_LOG("class %u", c->len);
		/* at most a page of header per object above the payload */
		EXPECT_LE((long long)g.n * (c->len + 9), g.memory);
		EXPECT_GE((long long)g.n * (c->len + 9 + 4096), g.memory);
		if (c->paged) {
			EXPECT_GE(256 << 10, g.vmalloc) TH_LOG("class %u", c->len);
			EXPECT_GE(g.n * (512 + meta) + (1 << 20), g.sunreclaim)
				TH_LOG("class %u: values in slab", c->len);
		}
		ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, NULL));
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		EXPECT_EQ(0, st.memory);
		EXPECT_EQ(0, st.pending_memory);
		EXPECT_GE(cur0 + slack, cg_read_num("memory.current"));
	}
	EXPECT_EQ(0, oh_param_write_num("max_value_len", max_value_len));
	munmap(report, 4096);
}

OBJHASH_TEST_MAIN
