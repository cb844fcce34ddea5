// SPDX-License-Identifier: GPL-2.0
/*
 * objhash load/unload cycles.  Each cycle:
 *   finit_module(objhash.ko) (hash_bits varied) -> /dev/objhash appears;
 *   fill a few hundred objects, some large;
 *   fork readers that open their own O_RDONLY fds and check values;
 *   /sys/module/objhash/refcnt counts exactly the open fds;
 *   delete_module() fails (EWOULDBLOCK) and the module stays LIVE and
 *   working while any fd is open -- the parent's, then only a reader's;
 *   all closed -> delete_module() succeeds whatever the table holds, and
 *   /dev/objhash, /sys/module/objhash and the debugfs dir are gone.
 * Afterwards kmemleak (if present) must report nothing that mentions
 * objhash or an address it cannot name (the module is gone).  Whatever
 * happens, the module is loaded again with default parameters at the end.
 *
 * Knobs: OBJHASH_UNLOAD_CYCLES (default 50), OBJHASH_KO (module file,
 * default /opt/objhash/objhash.ko), OBJHASH_UNLOAD_SEED.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define MODNAME		"objhash"
#define NR_OBJECTS	300
#define NR_READERS	2
#define LARGE_LEN	(12 * 1024)

static unsigned int opt_cycles = 50;
static unsigned long long opt_seed;
static const char *ko_path = OBJHASH_DEFAULT_KO;

static int finit_module_file(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret, err;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	close(fd);
	return ret ? -err : 0;
}

static int delete_module_nb(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* State of the module in /proc/modules ("Live", "Unloading"...) or NULL. */
static bool module_state(char *state, size_t size)
{
	char line[512], name[64], st[32];
	bool found = false;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %*s %*s %*s %31s", name, st) == 2 &&
		    !strcmp(name, MODNAME)) {
			snprintf(state, size, "%s", st);
			found = true;
		}
	}
	fclose(f);
	return found;
}

static bool module_loaded(void)
{
	char st[32];

	return module_state(st, sizeof(st));
}

static long module_refcnt(void)
{
	char buf[32];
	ssize_t n;
	int fd = open("/sys/module/" MODNAME "/refcnt", O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* Open the device, waiting a little for its node after a load. */
static int dev_open(int flags)
{
	int i, fd = -1;

	for (i = 0; i < 200; i++) {
		fd = open(OBJHASH_DEV, flags);
		if (fd >= 0 || errno != ENOENT)
			break;
		usleep(10000);
	}
	return fd;
}

static void value_make(unsigned char *buf, __u32 len, unsigned int i,
		       unsigned int cycle)
{
	__u32 j;

	for (j = 0; j < len; j++)
		buf[j] = (unsigned char)(i * 31 + cycle * 7 + j * 13);
}

static __u32 value_len(unsigned int i)
{
	return i % 5 == 0 ? LARGE_LEN + i : 16 + i % 200;
}

static unsigned int key_make(unsigned int i, char *key)
{
	return sprintf(key, "unload-%u", i);
}

/*
 * Reader child: its own O_RDONLY fd; check every object until *stop,
 * at least one full pass.  Exit 0 if all matched, else 1; 2 if no fd.
 */
static int reader(unsigned int cycle, atomic_int *stop, atomic_int *ready)
{
	unsigned char *buf = malloc(LARGE_LEN + NR_OBJECTS);
	unsigned char *want = malloc(LARGE_LEN + NR_OBJECTS);
	int fd = dev_open(O_RDONLY);
	unsigned int i, pass = 0;
	char key[32];

	if (fd < 0 || !buf || !want)
		return 2;
	atomic_fetch_add(ready, 1);
	do {
		for (i = 0; i < NR_OBJECTS; i++) {
			__u32 len = LARGE_LEN + NR_OBJECTS;
			unsigned int klen = key_make(i, key);

			if (oh_lookup(fd, key, klen, buf, &len, 0, NULL))
				return 1;
			value_make(want, value_len(i), i, cycle);
			if (len != value_len(i) || memcmp(buf, want, len))
				return 1;
		}
		pass++;
	} while (!atomic_load(stop));
	close(fd);
	return 0;
}

FIXTURE(unload) {
	bool kmemleak;		/* kmemleak usable, cleared at setup */
	pid_t readers[NR_READERS];
	atomic_int *shared;	/* [0] stop, [1] readers ready */
};

FIXTURE_SETUP(unload)
{
	self->shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->shared);
	self->kmemleak = oh_kmemleak_cmd("clear") == 0;
}

/* Whatever happened: no readers left, the module loaded with defaults. */
FIXTURE_TEARDOWN(unload)
{
	int i, ret;

	for (i = 0; i < NR_READERS; i++) {
		if (self->readers[i] > 0) {
			kill(self->readers[i], SIGKILL);
			waitpid(self->readers[i], NULL, 0);
		}
	}
	if (!module_loaded()) {
		ret = finit_module_file(ko_path, "");
		EXPECT_EQ(0, ret) TH_LOG("reloading %s: %s", ko_path,
					 strerror(-ret));
	}
	EXPECT_TRUE(module_loaded());
	EXPECT_TRUE(oh_device_present());
}

static void stop_readers(struct __test_metadata *_metadata,
			 FIXTURE_DATA(unload) *self)
{
	int i, status;

	atomic_store(&self->shared[0], 1);
	for (i = 0; i < NR_READERS; i++) {
		if (self->readers[i] <= 0)
			continue;
		ASSERT_EQ(self->readers[i], waitpid(self->readers[i], &status, 0));
		self->readers[i] = 0;
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("reader %d: status %#x", i, status);
	}
}

/* Run one cycle; the module is loaded at entry, unloaded on success. */
static void one_cycle(struct __test_metadata *_metadata,
		      FIXTURE_DATA(unload) *self, unsigned int cycle,
		      unsigned char *vbuf)
{
	struct objhash_stats st;
	char key[32], state[32];
	unsigned int i;
	int fd, ret;
	long refs;

	fd = dev_open(O_RDWR);
	ASSERT_LE(0, fd) TH_LOG("cycle %u: open: %s", cycle, strerror(errno));
	ASSERT_EQ(0, oh_stats(fd, &st));
	ASSERT_EQ(0, st.objects) TH_LOG("cycle %u: fresh table not empty", cycle);
	for (i = 0; i < NR_OBJECTS; i++) {
		unsigned int klen = key_make(i, key);

		value_make(vbuf, value_len(i), i, cycle);
		ret = oh_insert(fd, key, klen, vbuf, value_len(i), 0, 0, NULL);
		ASSERT_EQ(0, ret) TH_LOG("cycle %u: insert %u: %s", cycle, i,
					 strerror(-ret));
	}

	atomic_store(&self->shared[0], 0);
	atomic_store(&self->shared[1], 0);
	for (i = 0; i < NR_READERS; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (!pid) {
			close(fd);
			_exit(reader(cycle, &self->shared[0], &self->shared[1]));
		}
		self->readers[i] = pid;
	}
	while (atomic_load(&self->shared[1]) < NR_READERS) {
		int status;

		/* a reader that died before opening its fd */
		ASSERT_EQ(0, waitpid(-1, &status, WNOHANG))
			TH_LOG("cycle %u: reader exited early", cycle);
		usleep(1000);
	}

	/* One module reference per open file: ours and one per reader. */
	refs = module_refcnt();
	EXPECT_EQ(1 + NR_READERS, refs) TH_LOG("cycle %u", cycle);

	ret = delete_module_nb(MODNAME);
	EXPECT_EQ(-EWOULDBLOCK, ret) TH_LOG("cycle %u: rmmod with fds open: %s",
					    cycle, strerror(-ret));
	ASSERT_TRUE(module_state(state, sizeof(state)));
	EXPECT_STREQ("Live", state);
	/* ... and still works: a write while the readers read */
	ASSERT_EQ(0, oh_insert(fd, "unload-extra", 12, vbuf, 100, 0, 0, NULL));

	/* Only the readers' fds left: still refused. */
	close(fd);
	ret = delete_module_nb(MODNAME);
	EXPECT_EQ(-EWOULDBLOCK, ret) TH_LOG("cycle %u: rmmod with readers' fds open: %s",
					    cycle, strerror(-ret));
	EXPECT_TRUE(module_loaded());

	stop_readers(_metadata, self);
	if (cycle % 4 == 3) {
		/* sometimes unload an empty, purged table */
		fd = dev_open(O_WRONLY);
		ASSERT_LE(0, fd);
		EXPECT_EQ(0, oh_purge(fd, cycle % 8 == 3 ? OBJHASH_PURGE_WAIT : 0,
				      0, NULL));
		close(fd);
	}
	EXPECT_EQ(0, module_refcnt()) TH_LOG("cycle %u", cycle);

	/* All closed: unload succeeds whatever the table holds. */
	ret = delete_module_nb(MODNAME);
	ASSERT_EQ(0, ret) TH_LOG("cycle %u: rmmod after close: %s", cycle,
				 strerror(-ret));
	EXPECT_FALSE(module_loaded());
	EXPECT_NE(0, access("/sys/module/" MODNAME, F_OK));
	EXPECT_NE(0, access("/sys/kernel/debug/" MODNAME, F_OK));
	EXPECT_NE(0, access(OBJHASH_DEV, F_OK));
}

TEST_F(unload, load_fill_read_unload_cycles)
{
	static const char *const params[] = {
		"", "hash_bits=4", "hash_bits=10", "hash_bits=16 max_value_len=16384",
	};
	unsigned char *vbuf = malloc(LARGE_LEN + NR_OBJECTS);
	double t0 = oh_now_s();
	unsigned int cycle;
	int ret, leaks, total;

	ASSERT_NE(NULL, vbuf);
	if (access(ko_path, R_OK))
		SKIP(return, "module file %s not readable (set OBJHASH_KO)",
		     ko_path);
	if (access("/sys/module/" MODNAME "/refcnt", F_OK))
		SKIP(return, "objhash is built in or cannot be unloaded (no refcnt)");
	if (module_refcnt() != 0)
		SKIP(return, "objhash is in use by another process (refcnt %ld)",
		     module_refcnt());

	ret = delete_module_nb(MODNAME);
	ASSERT_EQ(0, ret) TH_LOG("initial rmmod: %s", strerror(-ret));
	for (cycle = 0; cycle < opt_cycles; cycle++) {
		const char *p = params[(cycle + opt_seed) % ARRAY_SIZE(params)];

		ret = finit_module_file(ko_path, p);
		ASSERT_EQ(0, ret) TH_LOG("cycle %u: load '%s': %s", cycle, p,
					 strerror(-ret));
		one_cycle(_metadata, self, cycle, vbuf);
		if (!_metadata->passed)
			break;
	}
	printf("# %u load/fill/read/unload cycles in %.1f s\n", cycle,
	       oh_now_s() - t0);
	EXPECT_EQ(opt_cycles, cycle);

	if (!self->kmemleak) {
		printf("# kmemleak not available: leak scan skipped\n");
	} else {
		leaks = oh_kmemleak_objhash_leaks(&total);
		printf("# kmemleak: %d unreferenced objects, %d from objhash or unnamed code\n",
		       total, leaks);
		EXPECT_EQ(0, leaks);
	}

	/* back to the default parameters */
	ret = finit_module_file(ko_path, "");
	ASSERT_EQ(0, ret) TH_LOG("final load: %s", strerror(-ret));
	free(vbuf);
}

int main(int argc, char **argv)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t;
	const char *s;

	s = getenv("OBJHASH_UNLOAD_CYCLES");
	if (s && *s)
		opt_cycles = strtoul(s, NULL, 0) ?: 1;
	s = getenv("OBJHASH_KO");
	if (s && *s)
		ko_path = s;
	s = getenv("OBJHASH_UNLOAD_SEED");
	opt_seed = s && *s ? strtoull(s, NULL, 0) : (unsigned long long)time(NULL);
	if (!oh_device_present())
		ksft_exit_skip(OBJHASH_DEV " not present: load objhash.ko first\n");
	printf("# %u cycles, module %s, seed %llu\n", opt_cycles, ko_path,
	       opt_seed);
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout = 60 + 6 * opt_cycles;
	return test_harness_run(argc, argv);
}
