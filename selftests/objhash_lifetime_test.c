// SPDX-License-Identifier: GPL-2.0
/*
 * objhash object lifetime against the callers: an object a LOOKUP still
 * holds outlives its purge (and is counted in pending_release until it is
 * dropped), and callers killed in the middle of a PURGE or of
 * LOOKUP_DELETE's retry loop leave a consistent table behind.
 *
 * A LOOKUP of a value larger than the module copies under RCU holds a
 * reference while it copies to the caller's buffer; userfaultfd stalls that
 * copy on a buffer page that is not there yet, for as long as the test
 * wants.  Kill tests retry until the kill landed where it must (a PURGE
 * stopped between buckets, with objects purged and objects left), however
 * fast the machine is.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

/* Past this, a test that has not seen what it needs fails. */
#define LT_DEADLINE	300

FIXTURE(lifetime)
{
	int fd;				/* O_RDWR, emptied by PURGE_WAIT */
	struct objhash_stats st0;
};

FIXTURE_SETUP(lifetime)
{
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	ASSERT_EQ(0, self->st0.objects);
	ASSERT_EQ(0, self->st0.pending_release);
}

FIXTURE_TEARDOWN(lifetime)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	close(self->fd);
}

static unsigned char pattern(unsigned int i)
{
	return (i * 31 + 7) & 0xff;
}

/* ---- an object held by a LOOKUP outlives its purge -------------------- */

#define HELD_LEN	8192	/* > the 256 bytes copied under RCU: pinned */

struct held_lookup {
	int fd;
	void *buf;
	__u32 len;
	__u64 version;
	int ret;
};

static void *held_lookup_main(void *arg)
{
	struct held_lookup *h = arg;

	h->len = HELD_LEN;
	h->ret = oh_lookup(h->fd, "held", 4, h->buf, &h->len, 0, &h->version);
	return NULL;
}

/* Wait up to @ms for a missing-page fault on @uffd; its address or 0. */
static __u64 uffd_wait_fault(int uffd, int ms)
{
	struct pollfd pfd = { .fd = uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	if (read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return 0;
	return msg.arg.pagefault.address;
}

/*
 * A LOOKUP copying a large value stalls in copy_to_user() on a buffer page
 * userfaultfd holds back.  PURGE_WAIT meanwhile unlinks the object and
 * returns with it still counted in pending_release (its holder has not
 * dropped it); once the copy goes on, the LOOKUP returns the whole value
 * and the object is freed.
 */
TEST_F(lifetime, pending_release_while_held)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	long psz = sysconf(_SC_PAGESIZE);
	size_t maplen = HELD_LEN + psz;
	struct held_lookup h = { 0 };
	struct objhash_stats st;
	unsigned char *val, *zero;
	__u64 ver = 0, purged = 0, addr;
	pthread_t th;
	int uffd, faults = 0;
	unsigned int i;

	val = malloc(HELD_LEN);
	zero = aligned_alloc(psz, psz);
	ASSERT_TRUE(val && zero);
	memset(zero, 0, psz);
	for (i = 0; i < HELD_LEN; i++)
		val[i] = pattern(i);
	ASSERT_EQ(0, oh_insert(self->fd, "held", 4, val, HELD_LEN, 0, 0, &ver));

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	ASSERT_LE(0, uffd) TH_LOG("userfaultfd: %s (CONFIG_USERFAULTFD)",
				  strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	h.buf = mmap(NULL, maplen, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, h.buf);
	reg.range.start = (unsigned long)h.buf;
	reg.range.len = maplen;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	h.fd = self->fd;
	ASSERT_EQ(0, pthread_create(&th, NULL, held_lookup_main, &h));

	/* the copy has started and holds the object: it waits for a page */
	addr = uffd_wait_fault(uffd, LT_DEADLINE * 1000);
	ASSERT_NE(0, addr) TH_LOG("the LOOKUP never faulted on its buffer");

	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, &purged));
	EXPECT_EQ(1, purged);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(1, st.pending_release) {
		TH_LOG("an object held by a LOOKUP must wait for it");
	}
	/* its memory (two pages and a header) with it, all of it pending */
	EXPECT_LT(HELD_LEN, st.pending_memory);
	EXPECT_GE(HELD_LEN + 4096, st.pending_memory);
	EXPECT_EQ(st.memory, st.pending_memory);
	EXPECT_EQ(0, oh_present_str(self->fd, "held"));

	/* let the copy go on, page by page */
	do {
		struct uffdio_copy cp = {
			.dst = addr & ~(__u64)(psz - 1),
			.src = (unsigned long)zero, .len = psz,
		};

		faults++;
		ASSERT_EQ(0, ioctl(uffd, UFFDIO_COPY, &cp))
			TH_LOG("UFFDIO_COPY: %s", strerror(errno));
		addr = uffd_wait_fault(uffd, 200);
	} while (addr);
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, h.ret) TH_LOG("LOOKUP: %s", strerror(-h.ret));
	EXPECT_EQ(HELD_LEN, h.len);
	EXPECT_EQ(ver, h.version);
	EXPECT_EQ(0, memcmp(h.buf, val, HELD_LEN)) {
		TH_LOG("the value copied after its purge is not whole");
	}
	TH_LOG("%d buffer faults served", faults);

	/* dropped by its holder: freed after a grace period */
	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, &purged));
	EXPECT_EQ(0, purged);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.pending_release);
	EXPECT_EQ(0, st.pending_memory);
	EXPECT_EQ(0, st.memory);
	EXPECT_EQ(self->st0.purged + 1, st.purged);
	munmap(h.buf, maplen);
	close(uffd);
	free(val);
	free(zero);
}

/* ---- callers killed mid-command ----------------------------------------- */

/* Keys present: count and bytes, found by lookups of "@prefix-%u". */
static void count_present(struct __test_metadata *_metadata, int fd,
			  const char *prefix, unsigned int nkeys,
			  __u64 *objects, __u64 *bytes)
{
	unsigned int i;

	*objects = *bytes = 0;
	for (i = 0; i < nkeys; i++) {
		char key[32];
		int kl = snprintf(key, sizeof(key), "%s-%u", prefix, i);
		__u32 len = 0;
		int ret = oh_present(fd, key, kl, &len, NULL);

		ASSERT_LE(0, ret);
		if (ret) {
			(*objects)++;
			*bytes += kl + len;
		}
	}
}

#define KP_KEYS		8192

/*
 * A PURGE whose caller gets SIGKILL stops between buckets: what it unlinked
 * stays unlinked (and counted), the rest stays whole.  The delay before the
 * kill is searched until one kill lands mid-purge.
 */
TEST_F_TIMEOUT(lifetime, purge_killed_midway, LT_DEADLINE + 60)
{
	double deadline = oh_now_s() + LT_DEADLINE;
	unsigned int attempts = 0, done = 0, early = 0;
	useconds_t delay = 1000;
	__u64 objects = 0, bytes = 0;
	struct objhash_stats st, prev;
	bool midway = false;
	unsigned int i;

	while (!midway) {
		int pfd[2], status;
		char c;
		pid_t pid;

		ASSERT_LT(oh_now_s(), deadline) {
			TH_LOG("%u attempts (%u finished, %u killed before purging): no kill landed mid-purge",
			       attempts, done, early);
		}
		attempts++;
		for (i = 0; i < KP_KEYS; i++) {
			char key[32];
			int kl = snprintf(key, sizeof(key), "kp-%u", i);

			ASSERT_EQ(0, oh_insert(self->fd, key, kl, "v", 1,
					       OBJHASH_INSERT_REPLACE, 0, NULL));
		}
		ASSERT_EQ(0, oh_stats(self->fd, &prev));
		ASSERT_EQ(0, pipe(pfd));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			int fd = open(OBJHASH_DEV, O_WRONLY);

			close(pfd[0]);
			if (fd < 0 || write(pfd[1], "r", 1) != 1)
				_exit(2);
			oh_purge(fd, 0, 0, NULL);
			_exit(1);	/* not killed in time */
		}
		close(pfd[1]);
		ASSERT_EQ(1, read(pfd[0], &c, 1));
		close(pfd[0]);
		usleep(delay);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));

		ASSERT_EQ(0, oh_stats(self->fd, &st));
		count_present(_metadata, self->fd, "kp", KP_KEYS, &objects,
			      &bytes);
		/* whatever the kill interrupted, the table adds up */
		EXPECT_EQ(objects, st.objects);
		EXPECT_EQ(bytes, st.bytes);
		EXPECT_EQ(prev.objects - st.objects, st.purged - prev.purged);
		if (WIFEXITED(status) || !st.objects) {
			done++;		/* purged everything: kill sooner */
			delay = delay > 1 ? delay / 2 : 1;
		} else if (st.objects == prev.objects) {
			early++;	/* nothing purged yet: kill later */
			delay *= 2;
		} else {
			midway = true;
			EXPECT_TRUE(WIFSIGNALED(status) &&
				    WTERMSIG(status) == SIGKILL);
		}
	}
	TH_LOG("attempt %u, kill after %u us: %llu of %u purged, %llu left",
	       attempts, delay,
	       (unsigned long long)(st.purged - prev.purged), KP_KEYS,
	       (unsigned long long)st.objects);
	/* the survivors are whole and purgeable */
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.bytes);
	EXPECT_EQ(0, st.pending_release);
}

#define KT_KEYS		4
#define KT_KILLS	8
#define KT_MIN_CALLS	200

/* A child's progress, in memory shared with the test. */
struct kt_shared {
	atomic_ulong calls;	/* LOOKUP_DELETE calls done */
	atomic_ulong writes;	/* replaces done */
};

static void kt_key(char *key, size_t size, unsigned int i)
{
	snprintf(key, size, "kt-%u", i);
}

static void *kt_replacer(void *arg)
{
	struct kt_shared *sh = arg;
	int fd = open(OBJHASH_DEV, O_WRONLY);
	unsigned int i = 0;
	char key[16];

	for (;;) {
		kt_key(key, sizeof(key), i++ % KT_KEYS);
		if (!oh_insert(fd, key, strlen(key), "replacement", 11,
			       OBJHASH_INSERT_REPLACE, 0, NULL))
			atomic_fetch_add(&sh->writes, 1);
	}
	return NULL;
}

/*
 * Children that LOOKUP_DELETE keys another of their threads keeps
 * replacing (so calls lose races and retry) are killed mid-run: every kill
 * leaves a table whose counters add up, with no object lost or counted
 * twice.
 */
TEST_F_TIMEOUT(lifetime, lookup_delete_killed_while_racing, LT_DEADLINE + 60)
{
	struct kt_shared *sh;
	struct objhash_stats st;
	__u64 objects = 0, bytes = 0;
	double deadline = oh_now_s() + LT_DEADLINE;
	unsigned long calls = 0, writes = 0;
	unsigned int k;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	for (k = 0; k < KT_KILLS; k++) {
		int status;
		pid_t pid;

		atomic_store(&sh->calls, 0);
		atomic_store(&sh->writes, 0);
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			int fd = open(OBJHASH_DEV, O_RDWR);
			char buf[64], key[16];
			pthread_t th;
			unsigned int i = 0;

			if (fd < 0 || pthread_create(&th, NULL, kt_replacer, sh))
				_exit(2);
			for (;;) {
				__u32 len = sizeof(buf);

				kt_key(key, sizeof(key), i++ % KT_KEYS);
				oh_lookup(fd, key, strlen(key), buf, &len,
					  OBJHASH_LOOKUP_DELETE, NULL);
				atomic_fetch_add(&sh->calls, 1);
			}
		}
		/* kill once both threads are well into their loops */
		while (atomic_load(&sh->calls) < KT_MIN_CALLS ||
		       atomic_load(&sh->writes) < KT_MIN_CALLS) {
			if (oh_now_s() > deadline || waitpid(pid, &status, WNOHANG))
				break;
			usleep(1000);
		}
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		EXPECT_LE(KT_MIN_CALLS, atomic_load(&sh->calls)) {
			TH_LOG("kill %u: the child did too few calls", k);
		}
		calls += atomic_load(&sh->calls);
		writes += atomic_load(&sh->writes);

		ASSERT_EQ(0, oh_stats(self->fd, &st));
		count_present(_metadata, self->fd, "kt", KT_KEYS, &objects,
			      &bytes);
		EXPECT_EQ(objects, st.objects);
		EXPECT_EQ(bytes, st.bytes);
		/* created - removed = present, after any kill */
		EXPECT_EQ(st.objects, (st.inserts - self->st0.inserts) -
				      (st.deletes - self->st0.deletes) -
				      (st.purged - self->st0.purged));
	}
	TH_LOG("%u kills after %lu LOOKUP_DELETE calls and %lu replaces",
	       KT_KILLS, calls, writes);
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.pending_release);
	munmap(sh, sizeof(*sh));
}

OBJHASH_TEST_MAIN
