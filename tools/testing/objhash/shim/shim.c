// SPDX-License-Identifier: GPL-2.0
/*
 * The shim runtime behind the linux/ headers in include/: thread identity
 * and "CPU" numbers, lock and RCU nesting for the might_sleep() checks,
 * the allocator with its live counts and fault injection, per-CPU areas,
 * get_random_bytes(), and how a splat or a WARNING is reported.  Plain
 * libc and pthreads; the RCU part is in urcu.c.
 */

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/random.h>
#include <time.h>

#include <linux/delay.h>

#include <linux/types.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/sched.h>

#include "objhash_shim.h"

static atomic_ulong objhash_shim_nr_warnings;
static atomic_long objhash_shim_nr_live;
static atomic_long objhash_shim_nr_pages;
static atomic_uint objhash_shim_next_cpu;

/* Per-thread state: what the kernel keeps in the task and the CPU. */
static __thread unsigned int objhash_shim_cpu_id = -1U;
static __thread int objhash_shim_locks_held;
static __thread long objhash_shim_fail_skip = -1;	/* -1: off */
static __thread bool objhash_shim_fatal;
static __thread unsigned int objhash_shim_resched_count;
static __thread int objhash_shim_kmaps;

void objhash_shim_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, what);
	fflush(stderr);
	abort();
}

void objhash_shim_warn(const char *file, int line, const char *what)
{
	fprintf(stderr, "WARNING: %s:%d: WARN_ON(%s)\n", file, line, what);
	atomic_fetch_add(&objhash_shim_nr_warnings, 1);
}

unsigned long objhash_shim_warnings(void)
{
	return atomic_load(&objhash_shim_nr_warnings);
}

/* The address of a thread-local is unique among live threads, never 0. */
unsigned long objhash_shim_self(void)
{
	return (unsigned long)&objhash_shim_locks_held;
}

unsigned int objhash_shim_cpu(void)
{
	if (objhash_shim_cpu_id == -1U)
		objhash_shim_cpu_id = atomic_fetch_add(&objhash_shim_next_cpu, 1) %
				      OBJHASH_SHIM_NR_CPUS;
	return objhash_shim_cpu_id;
}

void objhash_shim_thread_start(void)
{
	objhash_shim_rcu_register();
	(void)objhash_shim_cpu();
}

void objhash_shim_thread_stop(void)
{
	if (objhash_shim_locks_held || objhash_shim_rcu_read_held() ||
	    objhash_shim_kmaps)
		objhash_shim_bug(__FILE__, __LINE__,
				 "thread exits holding a lock, a kmap or in RCU");
	objhash_shim_rcu_unregister();
}

void objhash_shim_lock_acquired(void)
{
	objhash_shim_locks_held++;
}

void objhash_shim_lock_released(void)
{
	if (--objhash_shim_locks_held < 0)
		objhash_shim_bug(__FILE__, __LINE__, "unlock of a lock not held");
}

void objhash_shim_might_sleep(const char *file, int line)
{
	if (objhash_shim_locks_held)
		objhash_shim_bug(file, line,
				 "sleeping function called with a spinlock held");
	if (objhash_shim_rcu_read_held())
		objhash_shim_bug(file, line,
				 "sleeping function called in an RCU read-side section");
}

void objhash_shim_cond_resched(void)
{
	if (!(++objhash_shim_resched_count % 64))
		sched_yield();
}

void objhash_shim_set_fatal_signal(bool pending)
{
	objhash_shim_fatal = pending;
}

bool objhash_shim_fatal_signal(void)
{
	return objhash_shim_fatal;
}

void objhash_shim_fail_alloc_after(long skip)
{
	objhash_shim_fail_skip = skip;
}

void objhash_shim_fail_alloc_off(void)
{
	objhash_shim_fail_skip = -1;
}

long objhash_shim_live_allocs(void)
{
	return atomic_load(&objhash_shim_nr_live);
}

/* One injected failure, then the injection switches itself off. */
static bool objhash_shim_should_fail(void)
{
	if (objhash_shim_fail_skip < 0)
		return false;
	if (objhash_shim_fail_skip-- > 0)
		return false;
	return true;
}

void *objhash_shim_alloc(size_t size, bool zero)
{
	void *p;

	if (objhash_shim_should_fail())
		return NULL;
	p = zero ? calloc(1, size ?: 1) : malloc(size ?: 1);
	if (p)
		atomic_fetch_add(&objhash_shim_nr_live, 1);
	return p;
}

void objhash_shim_free(void *p)
{
	if (!p)
		return;
	atomic_fetch_sub(&objhash_shim_nr_live, 1);
	free(p);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	might_sleep();
	return objhash_shim_alloc(size, false);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	might_sleep();
	return objhash_shim_alloc(size, true);
}

void kfree(const void *p)
{
	objhash_shim_free((void *)p);
}

size_t kmalloc_size_roundup(size_t size)
{
	static const size_t classes[] = { 8, 16, 32, 64, 96, 128, 192, 256,
					  512, 1024, 2048, 4096, 8192 };
	size_t i, pages = PAGE_SIZE;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (size <= classes[i])
			return classes[i];
	while (pages < size)
		pages <<= 1;
	return pages;
}

struct page *alloc_page(gfp_t gfp)
{
	void *p;

	might_sleep();
	p = objhash_shim_alloc(PAGE_SIZE, false);
	if (p)
		atomic_fetch_add(&objhash_shim_nr_pages, 1);
	return p;
}

void __free_page(struct page *page)
{
	atomic_fetch_sub(&objhash_shim_nr_pages, 1);
	objhash_shim_free(page);
}

long objhash_shim_live_pages(void)
{
	return atomic_load(&objhash_shim_nr_pages);
}

void objhash_shim_kmap(int delta)
{
	objhash_shim_kmaps += delta;
	if (objhash_shim_kmaps < 0)
		objhash_shim_bug(__FILE__, __LINE__, "kunmap_local() without a map");
}

void *kvmalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp);
}

void kvfree(const void *p)
{
	kfree(p);
}

/* An object cache: a size and a count of the objects it has out. */
struct kmem_cache {
	char name[32];
	unsigned int size;
	unsigned int useroffset, usersize;
	atomic_long live;
};

struct kmem_cache *kmem_cache_create_usercopy(const char *name,
			unsigned int size, unsigned int align,
			unsigned int flags, unsigned int useroffset,
			unsigned int usersize, void (*ctor)(void *))
{
	struct kmem_cache *c;

	if (useroffset + usersize > size)
		objhash_shim_bug(__FILE__, __LINE__,
				 "usercopy region outside the object");
	c = objhash_shim_alloc(sizeof(*c), true);
	if (!c)
		return NULL;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->size = size;
	c->useroffset = useroffset;
	c->usersize = usersize;
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	if (!c)
		return;
	/* mm/slab_common.c: "Objects remaining ... on kmem_cache_close()" */
	WARN_ON(atomic_load(&c->live));
	objhash_shim_free(c);
}

void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	void *p;

	might_sleep();
	p = objhash_shim_alloc(c->size, false);
	if (p)
		atomic_fetch_add(&c->live, 1);
	return p;
}

void kmem_cache_free(struct kmem_cache *c, void *p)
{
	if (!p)
		return;
	atomic_fetch_sub(&c->live, 1);
	objhash_shim_free(p);
}

void *objhash_shim_alloc_percpu(size_t size)
{
	might_sleep();
	return objhash_shim_alloc(OBJHASH_PCPU_UNIT * OBJHASH_SHIM_NR_CPUS, true);
}

void get_random_bytes(void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			objhash_shim_bug(__FILE__, __LINE__, "getrandom failed");
		p += n;
		len -= n;
	}
}

void objhash_shim_udelay(unsigned long us)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000L +
		 (t.tv_nsec - t0.tv_nsec) / 1000 < (long)us);
}

void objhash_shim_usleep(unsigned long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}
