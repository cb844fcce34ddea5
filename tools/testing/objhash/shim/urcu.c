// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's RCU on liburcu.
 *
 * Flavour: memb (urcu-memb), deliberately.  Its read-side section is a
 * real, nestable marker (a per-thread counter that liburcu's
 * urcu_memb_read_ongoing() reports), so the shim can check, as
 * CONFIG_PROVE_RCU does, that every rcu_dereference() and RCU-list walk
 * happens inside one, and a missing rcu_read_lock() is caught on the first
 * lookup.  QSBR would make rcu_read_lock() a no-op and need every thread
 * to announce quiescent states, which table.c (like kernel code) never
 * does; memb needs only thread registration, and the membarrier(2) system
 * call keeps its readers almost as cheap as the kernel's.
 *
 * call_rcu() and rcu_barrier() are the shim's own, on liburcu's
 * synchronize_rcu(): liburcu's call_rcu worker sleeps 10 ms before every
 * batch (poll(NULL, 0, 10) in urcu-call-rcu-impl.h, to batch callbacks),
 * so each urcu_memb_barrier() costs 10-20 ms and a test that purges with
 * PURGE_WAIT thousands of times would spend minutes asleep.  The shim's
 * worker takes every queued callback, waits one grace period with
 * urcu_memb_synchronize_rcu() and runs them, which is what call_rcu()
 * promises.  rcu_barrier() takes what is still queued itself, waits a
 * grace period and runs it (the kernel runs callbacks on whichever CPU
 * gets to them, in no promised order: the guarantee is "after a grace
 * period"),
 * then waits for a batch the worker took before it: on a loaded machine,
 * waking the worker for every barrier cost milliseconds each.
 *
 * Only the library's exported functions are called (no _LGPL_SOURCE), so
 * none of liburcu's own racy-by-design accesses are compiled into the
 * sanitized code.  ThreadSanitizer cannot see a grace period (membarrier
 * and futexes), so under TSan the guarantee is stated to it explicitly:
 * every read-side unlock releases objhash_shim_rcu_gp, and what runs after
 * a grace period (synchronize_rcu()'s caller, every callback) acquires it.
 * That orders no more than RCU does: a section that ended before a grace
 * period ended happens before what follows the grace period.  The
 * callback queue itself is a mutex and a condition variable, which TSan
 * sees.
 */

#include <pthread.h>
#include <time.h>
#include <stddef.h>
#include <stdlib.h>
#include <urcu/urcu-memb.h>

#include "objhash_shim.h"

#if defined(__SANITIZE_THREAD__)
#define OBJHASH_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OBJHASH_TSAN 1
#endif
#endif

#ifdef OBJHASH_TSAN
#include <sanitizer/tsan_interface.h>
#define objhash_hb_release(p)	__tsan_release(p)
#define objhash_hb_acquire(p)	__tsan_acquire(p)
#else
#define objhash_hb_release(p)	do { } while (0)
#define objhash_hb_acquire(p)	do { } while (0)
#endif

static char objhash_shim_rcu_gp __attribute__((unused));	/* TSan sync object */

#define OBJHASH_CBS_BATCH	64		/* callbacks per wake-up */
#define OBJHASH_CBS_WAIT_NS	2000000L	/* or a run every 2 ms */

/*
 * The callback queue: call_rcu() appends under @lock and counts in
 * @queued.  Whoever takes the list (the worker, or rcu_barrier()) takes
 * all of it, waits a grace period and runs it; @busy_upto is the @queued
 * count the worker's batch in flight ends at (0 when it has none), so
 * rcu_barrier() knows whether a batch older than its call is still
 * running.  Batches are taken in queue order.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;		/* signalled on queueing */
	pthread_cond_t progress;	/* broadcast after each worker batch */
	struct objhash_shim_rcu_head *head, **tail;
	unsigned long queued, busy_upto;
	pthread_once_t once;
} objhash_cbs = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.more = PTHREAD_COND_INITIALIZER,
	.progress = PTHREAD_COND_INITIALIZER,
	.tail = &objhash_cbs.head,
	.once = PTHREAD_ONCE_INIT,
};

void objhash_shim_rcu_register(void)
{
	urcu_memb_register_thread();
}

void objhash_shim_rcu_unregister(void)
{
	urcu_memb_unregister_thread();
}

void objhash_shim_rcu_read_lock(void)
{
	urcu_memb_read_lock();
}

void objhash_shim_rcu_read_unlock(void)
{
#ifndef OBJHASH_SHIM_NO_CHECKS
	if (!urcu_memb_read_ongoing())
		objhash_shim_bug(__FILE__, __LINE__,
				 "rcu_read_unlock() outside a read-side section");
#endif
	objhash_hb_release(&objhash_shim_rcu_gp);
	urcu_memb_read_unlock();
}

bool objhash_shim_rcu_read_held(void)
{
	return urcu_memb_read_ongoing();
}

/* The grace period itself; the callback worker waits here too. */
static void objhash_grace_period(void)
{
	urcu_memb_synchronize_rcu();
	objhash_hb_acquire(&objhash_shim_rcu_gp);
}

void objhash_shim_synchronize_rcu(void)
{
	objhash_shim_might_sleep(__FILE__, __LINE__);
	objhash_grace_period();
}

/* Take the whole queue; caller holds objhash_cbs.lock. */
static struct objhash_shim_rcu_head *objhash_cbs_take(void)
{
	struct objhash_shim_rcu_head *list = objhash_cbs.head;

	objhash_cbs.head = NULL;
	objhash_cbs.tail = &objhash_cbs.head;
	return list;
}

/* Every callback of @list was queued before this grace period began. */
static void objhash_cbs_run(struct objhash_shim_rcu_head *list)
{
	struct objhash_shim_rcu_head *next;

	objhash_grace_period();
	for (; list; list = next) {
		next = list->next;
		list->func(list);
	}
}

static void objhash_cbs_wait_batch(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += OBJHASH_CBS_WAIT_NS;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&objhash_cbs.more, &objhash_cbs.lock, &ts);
}

static void *objhash_cb_worker(void *arg)
{
	struct objhash_shim_rcu_head *list;

	pthread_mutex_lock(&objhash_cbs.lock);
	for (;;) {
		/* woken for a full batch, else every few milliseconds */
		while (!objhash_cbs.head)
			objhash_cbs_wait_batch();
		list = objhash_cbs_take();
		objhash_cbs.busy_upto = objhash_cbs.queued;
		pthread_mutex_unlock(&objhash_cbs.lock);

		objhash_cbs_run(list);

		pthread_mutex_lock(&objhash_cbs.lock);
		objhash_cbs.busy_upto = 0;
		pthread_cond_broadcast(&objhash_cbs.progress);
	}
	return arg;
}

static void objhash_cb_start(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, objhash_cb_worker, NULL))
		objhash_shim_bug(__FILE__, __LINE__, "no RCU callback thread");
	pthread_detach(th);
}

void objhash_shim_call_rcu(struct objhash_shim_rcu_head *head,
			   void (*func)(struct objhash_shim_rcu_head *head))
{
	pthread_once(&objhash_cbs.once, objhash_cb_start);
	head->func = func;
	head->next = NULL;
	pthread_mutex_lock(&objhash_cbs.lock);
	*objhash_cbs.tail = head;
	objhash_cbs.tail = &head->next;
	/*
	 * Wake the worker for a batch, not for each callback: on a loaded
	 * machine every wake-up is a context switch the caller may wait on.
	 */
	if (!(++objhash_cbs.queued % OBJHASH_CBS_BATCH))
		pthread_cond_signal(&objhash_cbs.more);
	pthread_mutex_unlock(&objhash_cbs.lock);
}

void objhash_shim_rcu_barrier(void)
{
	struct objhash_shim_rcu_head *list;
	unsigned long target;

	objhash_shim_might_sleep(__FILE__, __LINE__);
	pthread_mutex_lock(&objhash_cbs.lock);
	target = objhash_cbs.queued;
	list = objhash_cbs_take();
	pthread_mutex_unlock(&objhash_cbs.lock);

	if (list)
		objhash_cbs_run(list);

	/* A batch the worker took before we did must finish too. */
	pthread_mutex_lock(&objhash_cbs.lock);
	while (objhash_cbs.busy_upto && objhash_cbs.busy_upto <= target)
		pthread_cond_wait(&objhash_cbs.progress, &objhash_cbs.lock);
	pthread_mutex_unlock(&objhash_cbs.lock);
}
