/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spinlock_t as a pthread mutex that knows its owner, so lockdep_is_held()
 * and lockdep_assert_held() can answer for the calling thread the way
 * lockdep does for the current task.  It gives what a kernel spinlock
 * gives table.c: mutual exclusion with acquire/release ordering, and
 * "no sleeping inside": holding one counts against might_sleep() (see
 * linux/sched.h).  Nothing spins; waiting threads block, which changes
 * no guarantee table.c relies on.
 */
#ifndef _OBJHASH_SHIM_LINUX_SPINLOCK_H
#define _OBJHASH_SHIM_LINUX_SPINLOCK_H

#include <pthread.h>
#include <linux/types.h>
#include <objhash_shim.h>

typedef struct {
	pthread_mutex_t mutex;
	unsigned long owner;	/* objhash_shim_self() of the holder, or 0 */
} spinlock_t;

static inline void spin_lock_init(spinlock_t *lock)
{
	pthread_mutex_init(&lock->mutex, NULL);
	lock->owner = 0;
}

static inline void spin_lock(spinlock_t *lock)
{
	pthread_mutex_lock(&lock->mutex);
	__atomic_store_n(&lock->owner, objhash_shim_self(), __ATOMIC_RELAXED);
	objhash_shim_lock_acquired();
}

/* Lockdep subclasses only matter to lockdep's ordering checks. */
#define spin_lock_nested(lock, subclass)	spin_lock(lock)

static inline void spin_unlock(spinlock_t *lock)
{
	objhash_shim_lock_released();
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&lock->mutex);
}


#include <linux/lockdep.h>

#endif
