/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/include/linux/compiler.h, with READ_ONCE()/WRITE_ONCE() as relaxed
 * atomics.  The kernel's are volatile accesses that KCSAN treats as marked,
 * i.e. as intentionally racy; ThreadSanitizer only knows that meaning for
 * __atomic accesses, so this keeps table.c's READ_ONCE() of the limits and
 * counters from being reported while a plain racy access still is.  Only
 * scalars and pointers are allowed, as in the kernel's compiletime check.
 */
#ifndef _OBJHASH_SHIM_LINUX_COMPILER_H
#define _OBJHASH_SHIM_LINUX_COMPILER_H

#include_next <linux/compiler.h>

#undef READ_ONCE
#undef WRITE_ONCE
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)

#endif
