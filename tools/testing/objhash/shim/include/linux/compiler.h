/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/include/linux/compiler.h, with READ_ONCE()/WRITE_ONCE() as
 * atomics.  The kernel's are volatile accesses that KCSAN treats as marked,
 * i.e. as intentionally racy; ThreadSanitizer only knows that meaning for
 * __atomic accesses, so this keeps table.c's READ_ONCE() of the limits and
 * counters from being reported while a plain racy access still is.  Only
 * scalars and pointers are allowed, as in the kernel's compiletime check.
 *
 * READ_ONCE() is a relaxed load.  WRITE_ONCE() is a release store: the
 * kernel memory model is other-multicopy atomic, so a pointer to an object
 * already published, stored with WRITE_ONCE() by a thread that saw the
 * publication (as chain unlinks and the resizer's moves do), shows the
 * object's contents to a reader that follows it with rcu_dereference().
 * C11's model, which TSan checks, has no such rule; a release store gives
 * the reader the same guarantee there.  On x86 both are a plain mov.  The
 * price: TSan cannot tell a WRITE_ONCE() that should have been an
 * rcu_assign_pointer() (a publication without release) from a correct one.
 */
#ifndef _OBJHASH_SHIM_LINUX_COMPILER_H
#define _OBJHASH_SHIM_LINUX_COMPILER_H

#include_next <linux/compiler.h>

/* Sparse's address-space marks (compiler_types.h): nothing to a compiler. */
#ifndef __percpu
#define __percpu
#endif

#undef READ_ONCE
#undef WRITE_ONCE
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELEASE)

#endif
