/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The native build's shim runtime: what the kernel primitives of the
 * linux/ headers next to this file call into, and the knobs and checks the
 * tests use.  Plain C types only, so both the kernel-flavoured code (built
 * against tools/include) and the liburcu glue can include it.
 */
#ifndef _OBJHASH_SHIM_H
#define _OBJHASH_SHIM_H

#include <stdbool.h>
#include <stddef.h>

/* Build-time bound on "CPUs": per-CPU counters get this many slots. */
#define OBJHASH_SHIM_NR_CPUS	8

/* A lockdep-style splat: print where and why, then abort the test. */
void objhash_shim_bug(const char *file, int line, const char *what)
	__attribute__((noreturn));
/* WARN_ON(): print and count; tests fail a case whose count grew. */
void objhash_shim_warn(const char *file, int line, const char *what);
unsigned long objhash_shim_warnings(void);

/* Every thread that uses the table must be registered, like a kthread. */
void objhash_shim_thread_start(void);
void objhash_shim_thread_stop(void);
unsigned int objhash_shim_cpu(void);
unsigned long objhash_shim_self(void);

/* Per-thread "locks held" count, for the might_sleep() checks. */
void objhash_shim_lock_acquired(void);
void objhash_shim_lock_released(void);
void objhash_shim_might_sleep(const char *file, int line);

/* RCU, implemented on liburcu's memb flavour (shim/urcu.c). */
/* struct rcu_head of the kernel code: include/linux/types.h's callback_head. */
struct objhash_shim_rcu_head {
	struct objhash_shim_rcu_head *next;
	void (*func)(struct objhash_shim_rcu_head *head);
};
void objhash_shim_rcu_read_lock(void);
void objhash_shim_rcu_read_unlock(void);
bool objhash_shim_rcu_read_held(void);
void objhash_shim_synchronize_rcu(void);
void objhash_shim_call_rcu(struct objhash_shim_rcu_head *head,
			   void (*func)(struct objhash_shim_rcu_head *head));
void objhash_shim_rcu_barrier(void);
void objhash_shim_rcu_register(void);
void objhash_shim_rcu_unregister(void);

/* Allocations: live counts for leak checks, and fault injection. */
void *objhash_shim_alloc(size_t size, bool zero);
void objhash_shim_free(void *p);
long objhash_shim_live_allocs(void);
/* Pages from alloc_page() not yet freed. */
long objhash_shim_live_pages(void);
/* kmap_local_page() (+1) and kunmap_local() (-1) of this thread. */
void objhash_shim_kmap(int delta);
/* Fail the next allocation of this thread after @skip successful ones. */
void objhash_shim_fail_alloc_after(long skip);
void objhash_shim_fail_alloc_off(void);

/* fatal_signal_pending(current) of this thread. */
void objhash_shim_set_fatal_signal(bool pending);
bool objhash_shim_fatal_signal(void);

#endif /* _OBJHASH_SHIM_H */
