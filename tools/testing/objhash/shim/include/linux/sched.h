/* SPDX-License-Identifier: GPL-2.0 */
/*
 * current and cond_resched().  cond_resched() is a point where the kernel
 * may schedule, so it carries might_sleep()'s check: no spinlock held and
 * no RCU read-side section open (CONFIG_DEBUG_ATOMIC_SLEEP); it also
 * yields now and then, so purge lets other threads in as it would on a
 * preemptible kernel.
 */
#ifndef _OBJHASH_SHIM_LINUX_SCHED_H
#define _OBJHASH_SHIM_LINUX_SCHED_H

#include <objhash_shim.h>

struct task_struct;
#define current	((struct task_struct *)NULL)

/* Without CONFIG_DEBUG_ATOMIC_SLEEP in the benchmark build. */
#ifdef OBJHASH_SHIM_NO_CHECKS
#define might_sleep()	do { } while (0)
#else
#define might_sleep()	objhash_shim_might_sleep(__FILE__, __LINE__)
#endif
void objhash_shim_cond_resched(void);
#define cond_resched() ({						\
	might_sleep();							\
	objhash_shim_cond_resched();					\
	0;								\
})

#endif
