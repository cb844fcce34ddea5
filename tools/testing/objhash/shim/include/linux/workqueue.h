/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Delayed work on a workqueue, as table.c's resizer uses it: one shim
 * worker thread stands for system_unbound_wq (and system_wq).  What it
 * guarantees, as the kernel's:
 *
 * queue_work()/queue_delayed_work(): queue @work to run once, no sooner
 *	than @delay jiffies (HZ = 1000, so a jiffy is a millisecond) from
 *	now; false, and nothing changes, if it is pending already.  A work
 *	may queue itself again while it runs.
 * cancel_delayed_work_sync(): on return the work is neither pending nor
 *	running (a run under way is waited for); true if it was pending.
 *
 * Works run in process context, one at a time, in due order.
 */
#ifndef _OBJHASH_SHIM_LINUX_WORKQUEUE_H
#define _OBJHASH_SHIM_LINUX_WORKQUEUE_H

#include <linux/kernel.h>
#include <linux/types.h>

#ifndef HZ
#define HZ	1000
#endif

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
	struct work_struct *next;	/* on the shim's queue; worker lock */
	double due;			/* monotonic seconds; worker lock */
	bool pending;			/* worker lock */
};

struct delayed_work {
	struct work_struct work;
};

struct workqueue_struct;
extern struct workqueue_struct *system_unbound_wq;
extern struct workqueue_struct *system_wq;

#define INIT_WORK(w, f)		((w)->func = (f), (w)->next = NULL,	\
				 (w)->pending = false)
#define INIT_DELAYED_WORK(dw, f)	INIT_WORK(&(dw)->work, f)

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

bool objhash_shim_queue_work(struct work_struct *work, unsigned long delay);
bool objhash_shim_cancel_work_sync(struct work_struct *work);

/*
 * rcu_work: queue_rcu_work() runs the work after a grace period (through
 * call_rcu()); alloc_workqueue() gives a queue whose destroy_workqueue()
 * waits for every rcu_work queued on it to have run (the caller has waited
 * for the grace periods first, as the kernel's destroy_workqueue() needs).
 */
#include <linux/rcupdate.h>

#define WQ_UNBOUND		(1 << 1)
#define WQ_MEM_RECLAIM		(1 << 3)

struct rcu_work {
	struct work_struct work;
	struct rcu_head rcu;
	work_func_t func;		/* what INIT_RCU_WORK() was given */
	struct workqueue_struct *wq;
};

#define INIT_RCU_WORK(rw, f)	((rw)->func = (f), INIT_WORK(&(rw)->work, f))

static inline struct rcu_work *to_rcu_work(struct work_struct *work)
{
	return container_of(work, struct rcu_work, work);
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...);
void destroy_workqueue(struct workqueue_struct *wq);
bool queue_rcu_work(struct workqueue_struct *wq, struct rcu_work *rwork);
/* Tests only: wait until every rcu_work queued so far has run. */
void objhash_shim_rcu_work_barrier(void);

#define queue_work(wq, w)		objhash_shim_queue_work(w, 0)
#define queue_delayed_work(wq, dw, d)	objhash_shim_queue_work(&(dw)->work, d)
#define cancel_delayed_work_sync(dw)	objhash_shim_cancel_work_sync(&(dw)->work)
#define cancel_work_sync(w)		objhash_shim_cancel_work_sync(w)

#endif
