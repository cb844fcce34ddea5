/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct mutex as a pthread mutex that records its owner, for
 * lockdep_is_held() (linux/lockdep.h).  Taking one may sleep, so it
 * carries might_sleep()'s check: not under a spinlock, not in an RCU
 * read-side section.  Holding one does not forbid sleeping.
 */
#ifndef _OBJHASH_SHIM_LINUX_MUTEX_H
#define _OBJHASH_SHIM_LINUX_MUTEX_H

#include <pthread.h>
#include <linux/types.h>
#include <objhash_shim.h>

struct mutex {
	pthread_mutex_t mutex;
	unsigned long owner;	/* objhash_shim_self() of the holder, or 0 */
};

static inline void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->mutex, NULL);
	lock->owner = 0;
}

static inline void mutex_lock(struct mutex *lock)
{
	objhash_shim_might_sleep(__FILE__, __LINE__);
	pthread_mutex_lock(&lock->mutex);
	__atomic_store_n(&lock->owner, objhash_shim_self(), __ATOMIC_RELAXED);
}

/* No signals here: never interrupted. */
static inline int mutex_lock_killable(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

static inline void mutex_unlock(struct mutex *lock)
{
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != objhash_shim_self())
		objhash_shim_bug(__FILE__, __LINE__, "mutex_unlock() by a non-owner");
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&lock->mutex);
}

static inline void mutex_destroy(struct mutex *lock)
{
	pthread_mutex_destroy(&lock->mutex);
}

#include <linux/lockdep.h>

#endif
