/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomic_t, atomic_long_t and atomic64_t on the compiler's __atomic
 * builtins, with the kernel's ordering (Documentation/atomic_t.txt):
 * plain reads, sets and void RMW ops are relaxed; value-returning RMW ops
 * are fully ordered.  tools/arch's x86 versions are inline assembly, which
 * ThreadSanitizer cannot see, so it would miss both races and ordering.
 */
#ifndef _OBJHASH_SHIM_LINUX_ATOMIC_H
#define _OBJHASH_SHIM_LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>

typedef struct {
	s64 counter;
} atomic64_t;

#define __OH_RELAXED	__ATOMIC_RELAXED
#define __OH_FULL	__ATOMIC_SEQ_CST

#define __OH_ATOMIC_OPS(pfx, type, vtype)					\
static inline vtype pfx##_read(const type *v)					\
{ return __atomic_load_n(&v->counter, __OH_RELAXED); }			\
static inline void pfx##_set(type *v, vtype i)					\
{ __atomic_store_n(&v->counter, i, __OH_RELAXED); }			\
static inline void pfx##_add(vtype i, type *v)					\
{ __atomic_fetch_add(&v->counter, i, __OH_RELAXED); }			\
static inline void pfx##_sub(vtype i, type *v)					\
{ __atomic_fetch_sub(&v->counter, i, __OH_RELAXED); }			\
static inline void pfx##_inc(type *v) { pfx##_add(1, v); }			\
static inline void pfx##_dec(type *v) { pfx##_sub(1, v); }			\
static inline vtype pfx##_add_return(vtype i, type *v)			\
{ return __atomic_add_fetch(&v->counter, i, __OH_FULL); }		\
static inline vtype pfx##_sub_return(vtype i, type *v)			\
{ return __atomic_sub_fetch(&v->counter, i, __OH_FULL); }		\
static inline vtype pfx##_inc_return(type *v)					\
{ return pfx##_add_return(1, v); }					\
static inline vtype pfx##_dec_return(type *v)					\
{ return pfx##_sub_return(1, v); }					\
static inline bool pfx##_dec_and_test(type *v)				\
{ return pfx##_sub_return(1, v) == 0; }					\
static inline bool pfx##_try_cmpxchg(type *v, vtype *old, vtype new)		\
{ return __atomic_compare_exchange_n(&v->counter, old, new, false,	\
				     __OH_FULL, __OH_RELAXED); }		\
static inline bool pfx##_add_unless(type *v, vtype a, vtype u)		\
{									\
	vtype c = pfx##_read(v);					\
									\
	do {								\
		if (c == u)						\
			return false;					\
	} while (!pfx##_try_cmpxchg(v, &c, c + a));			\
	return true;							\
}

__OH_ATOMIC_OPS(atomic, atomic_t, int)
__OH_ATOMIC_OPS(atomic_long, atomic_long_t, long)
__OH_ATOMIC_OPS(atomic64, atomic64_t, s64)

#endif
