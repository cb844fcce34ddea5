/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two lockdep questions table.c asks, answered for spinlock_t (see
 * linux/spinlock.h) as CONFIG_PROVE_LOCKING would: lockdep_is_held() is a
 * condition for the RCU checks, lockdep_assert_held() a splat if false.
 */
#ifndef _OBJHASH_SHIM_LINUX_LOCKDEP_H
#define _OBJHASH_SHIM_LINUX_LOCKDEP_H

#include <linux/spinlock.h>

#define lockdep_is_held(lock)	spin_is_held_by_me(lock)
#define lockdep_assert_held(lock) do {					\
	if (!lockdep_is_held(lock))					\
		objhash_shim_bug(__FILE__, __LINE__,			\
				 "lockdep_assert_held(" #lock ") failed");	\
} while (0)

#endif
