/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two lockdep questions table.c asks, answered for spinlock_t and
 * struct mutex (both record their owner, see linux/spinlock.h and
 * linux/mutex.h) as CONFIG_PROVE_LOCKING would: lockdep_is_held() is a
 * condition for the RCU checks, lockdep_assert_held() a splat if false.
 * Only the holder can find its own id in ->owner, so a relaxed read is
 * enough to answer "do I hold it".
 */
#ifndef _OBJHASH_SHIM_LINUX_LOCKDEP_H
#define _OBJHASH_SHIM_LINUX_LOCKDEP_H

#include <objhash_shim.h>

#define SINGLE_DEPTH_NESTING	1

#define lockdep_is_held(lock)						\
	(__atomic_load_n(&(lock)->owner, __ATOMIC_RELAXED) ==		\
	 objhash_shim_self())
/* The benchmark build: no CONFIG_PROVE_LOCKING, no assertion. */
#ifdef OBJHASH_SHIM_NO_CHECKS
#define lockdep_assert_held(lock)	do { } while (0)
#else
#define lockdep_assert_held(lock) do {					\
	if (!lockdep_is_held(lock))					\
		objhash_shim_bug(__FILE__, __LINE__,			\
				 "lockdep_assert_held(" #lock ") failed");	\
} while (0)
#endif

#endif
