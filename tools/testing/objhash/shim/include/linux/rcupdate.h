/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU for the native build, on liburcu's "memb" flavour (shim/urcu.c says
 * why that one).  What each primitive stands for and guarantees:
 *
 * rcu_read_lock()/rcu_read_unlock(): a read-side critical section; may
 *	nest; the thread must be registered (objhash_shim_thread_start()).
 * synchronize_rcu(): returns after every section that began before it
 *	ended.  call_rcu(): runs the callback after such a grace period, on
 *	the shim's callback thread.  rcu_barrier(): returns after every
 *	callback queued before it ran.  All three may sleep: calling them in
 *	a section or under a spinlock is a might_sleep() splat.
 * rcu_assign_pointer(): a release store, so a reader that sees the pointer
 *	sees the object's initialisation.  rcu_dereference*(): a consume
 *	load (promoted to acquire by the compiler).  Both are __atomic
 *	builtins rather than liburcu's volatile accesses, so that
 *	ThreadSanitizer sees the publication for what it is.
 * The checked forms splat, like CONFIG_PROVE_RCU, when the caller is
 * neither in a read-side section nor meets the lockdep condition:
 * rcu_dereference() needs a section, rcu_dereference_check(p, c) a section
 * or c, rcu_dereference_protected(p, c) c.
 */
#ifndef _OBJHASH_SHIM_LINUX_RCUPDATE_H
#define _OBJHASH_SHIM_LINUX_RCUPDATE_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <objhash_shim.h>

/* The kernel's struct rcu_head, {next, func}: see objhash_shim.h. */
#define rcu_head objhash_shim_rcu_head
typedef void (*rcu_callback_t)(struct rcu_head *head);

#define rcu_read_lock()		objhash_shim_rcu_read_lock()
#define rcu_read_unlock()	objhash_shim_rcu_read_unlock()
#define rcu_read_lock_held()	objhash_shim_rcu_read_held()
#define rcu_read_lock_any_held() objhash_shim_rcu_read_held()
#undef synchronize_rcu
#define synchronize_rcu()	objhash_shim_synchronize_rcu()
#define rcu_barrier()		objhash_shim_rcu_barrier()

#define call_rcu(head, func)	objhash_shim_call_rcu(head, func)

/*
 * An expression, as the iterators use it in a for-init.  The benchmark
 * build (OBJHASH_SHIM_NO_CHECKS) drops it, as a kernel without
 * CONFIG_PROVE_RCU does: the condition is not evaluated.
 */
#ifdef OBJHASH_SHIM_NO_CHECKS
#define RCU_LOCKDEP_WARN(c, s)	((void)0)
#else
#define RCU_LOCKDEP_WARN(c, s)						\
	((c) ? objhash_shim_bug(__FILE__, __LINE__, s) : (void)0)
#endif

#define rcu_assign_pointer(p, v)					\
	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)	WRITE_ONCE(p, v)
#define rcu_dereference_raw(p)	__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_dereference_check(p, c) ({					\
	RCU_LOCKDEP_WARN(!(c) && !rcu_read_lock_held(),			\
			 "suspicious rcu_dereference_check() usage");	\
	rcu_dereference_raw(p);						\
})
#define rcu_dereference(p)	rcu_dereference_check(p, 0)
#define rcu_dereference_protected(p, c) ({				\
	RCU_LOCKDEP_WARN(!(c),						\
			 "suspicious rcu_dereference_protected() usage"); \
	(p);								\
})

#endif
