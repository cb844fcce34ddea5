// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's workqueue (linux/workqueue.h): one worker thread, a list of
 * pending works ordered by due time, all under one mutex, so the hand-off
 * from queue_work() to the work and from the work to
 * cancel_delayed_work_sync() is a lock ThreadSanitizer sees.
 */

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <linux/types.h>
#include <linux/workqueue.h>

#include "objhash_shim.h"

struct workqueue_struct *system_unbound_wq;
struct workqueue_struct *system_wq;

static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;		/* queue changed, or a run ended */
	struct work_struct *queue;	/* pending, by due time */
	struct work_struct *running;
	pthread_once_t once;
} objhash_wq = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.changed = PTHREAD_COND_INITIALIZER,
	.once = PTHREAD_ONCE_INIT,
};

static double objhash_wq_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait on the condition until @due (CLOCK_REALTIME seconds), or a change. */
static void objhash_wq_wait_until(double due)
{
	struct timespec ts = {
		.tv_sec = (time_t)due,
		.tv_nsec = (long)((due - (time_t)due) * 1e9),
	};

	pthread_cond_timedwait(&objhash_wq.changed, &objhash_wq.lock, &ts);
}

static void *objhash_wq_worker(void *arg)
{
	struct work_struct *w;

	objhash_shim_thread_start();
	pthread_mutex_lock(&objhash_wq.lock);
	for (;;) {
		w = objhash_wq.queue;
		if (!w) {
			pthread_cond_wait(&objhash_wq.changed, &objhash_wq.lock);
			continue;
		}
		if (w->due > objhash_wq_now()) {
			objhash_wq_wait_until(w->due);
			continue;
		}
		objhash_wq.queue = w->next;
		w->pending = false;
		objhash_wq.running = w;
		pthread_mutex_unlock(&objhash_wq.lock);

		w->func(w);

		pthread_mutex_lock(&objhash_wq.lock);
		objhash_wq.running = NULL;
		pthread_cond_broadcast(&objhash_wq.changed);
	}
	return arg;
}

static void objhash_wq_start(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, objhash_wq_worker, NULL))
		objhash_shim_bug(__FILE__, __LINE__, "no workqueue thread");
	pthread_detach(th);
}

bool objhash_shim_queue_work(struct work_struct *work, unsigned long delay)
{
	struct work_struct **p;

	pthread_once(&objhash_wq.once, objhash_wq_start);
	pthread_mutex_lock(&objhash_wq.lock);
	if (work->pending) {
		pthread_mutex_unlock(&objhash_wq.lock);
		return false;
	}
	work->pending = true;
	work->due = objhash_wq_now() + delay / (double)HZ;
	for (p = &objhash_wq.queue; *p && (*p)->due <= work->due; p = &(*p)->next)
		;
	work->next = *p;
	*p = work;
	pthread_cond_broadcast(&objhash_wq.changed);
	pthread_mutex_unlock(&objhash_wq.lock);
	return true;
}

static bool objhash_wq_dequeue(struct work_struct *work)
{
	struct work_struct **p;

	if (!work->pending)
		return false;
	for (p = &objhash_wq.queue; *p != work; p = &(*p)->next)
		;
	*p = work->next;
	work->pending = false;
	return true;
}

bool objhash_shim_cancel_work_sync(struct work_struct *work)
{
	bool was_pending;

	objhash_shim_might_sleep(__FILE__, __LINE__);
	pthread_mutex_lock(&objhash_wq.lock);
	was_pending = objhash_wq_dequeue(work);
	/* a run under way may queue it again: cancel that too */
	while (objhash_wq.running == work) {
		pthread_cond_wait(&objhash_wq.changed, &objhash_wq.lock);
		was_pending |= objhash_wq_dequeue(work);
	}
	pthread_mutex_unlock(&objhash_wq.lock);
	return was_pending;
}

/*
 * A workqueue of its own, for rcu_work: it counts the works queued on it
 * that have not finished running, so destroy_workqueue() can wait for them.
 */
struct workqueue_struct {
	int outstanding;		/* objhash_wq.lock */
};

/* rcu_works queued on every such queue and not done yet; objhash_wq.lock */
static int objhash_rcu_works;

void objhash_shim_rcu_work_barrier(void)
{
	objhash_shim_might_sleep(__FILE__, __LINE__);
	pthread_mutex_lock(&objhash_wq.lock);
	while (objhash_rcu_works)
		pthread_cond_wait(&objhash_wq.changed, &objhash_wq.lock);
	pthread_mutex_unlock(&objhash_wq.lock);
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...)
{
	return calloc(1, sizeof(struct workqueue_struct));
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	objhash_shim_might_sleep(__FILE__, __LINE__);
	pthread_mutex_lock(&objhash_wq.lock);
	while (wq->outstanding)
		pthread_cond_wait(&objhash_wq.changed, &objhash_wq.lock);
	pthread_mutex_unlock(&objhash_wq.lock);
	free(wq);
}

/* Runs the work's own function, then counts it done: it may free @work. */
static void objhash_rcu_work_run(struct work_struct *work)
{
	struct rcu_work *rw = to_rcu_work(work);
	struct workqueue_struct *wq = rw->wq;

	rw->func(work);
	pthread_mutex_lock(&objhash_wq.lock);
	wq->outstanding--;
	objhash_rcu_works--;
	pthread_cond_broadcast(&objhash_wq.changed);
	pthread_mutex_unlock(&objhash_wq.lock);
}

static void objhash_rcu_work_queue(struct rcu_head *head)
{
	struct rcu_work *rw = container_of(head, struct rcu_work, rcu);

	objhash_shim_queue_work(&rw->work, 0);
}

bool queue_rcu_work(struct workqueue_struct *wq, struct rcu_work *rwork)
{
	pthread_mutex_lock(&objhash_wq.lock);
	wq->outstanding++;
	objhash_rcu_works++;
	pthread_mutex_unlock(&objhash_wq.lock);
	rwork->wq = wq;
	rwork->work.func = objhash_rcu_work_run;
	call_rcu(&rwork->rcu, objhash_rcu_work_queue);
	return true;
}
