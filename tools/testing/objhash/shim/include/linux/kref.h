/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct kref as include/linux/kref.h, with refcount_t's orderings
 * (include/linux/refcount.h) spelled in __atomic builtins:
 * kref_get_unless_zero() never resurrects a zero count (a CAS loop, no
 * ordering needed: the reader found the object under RCU), kref_put()
 * releases before the decrement and, on the last one, acquires before
 * calling @release, so everything any holder did happens before the free.
 * The kernel does the acquire with a fence after the decrement hit zero;
 * ThreadSanitizer does not model fences, so here every decrement is
 * acquire-release, which is stronger and which TSan sees.
 * Saturation is not modelled: a count that goes negative is a bug here.
 */
#ifndef _OBJHASH_SHIM_LINUX_KREF_H
#define _OBJHASH_SHIM_LINUX_KREF_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <objhash_shim.h>

struct kref {
	int refcount;
};

static inline void kref_init(struct kref *kref)
{
	__atomic_store_n(&kref->refcount, 1, __ATOMIC_RELAXED);
}

static inline unsigned int kref_read(const struct kref *kref)
{
	return __atomic_load_n(&kref->refcount, __ATOMIC_RELAXED);
}

static inline void kref_get(struct kref *kref)
{
	if (__atomic_fetch_add(&kref->refcount, 1, __ATOMIC_RELAXED) <= 0)
		objhash_shim_bug(__FILE__, __LINE__, "kref_get() on a dead object");
}

static inline bool __must_check kref_get_unless_zero(struct kref *kref)
{
	int old = __atomic_load_n(&kref->refcount, __ATOMIC_RELAXED);

	do {
		if (old <= 0)
			return false;
	} while (!__atomic_compare_exchange_n(&kref->refcount, &old, old + 1,
					      true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return true;
}

/*
 * refcount_dec_and_test() on a kref's count, as walk.c does to learn
 * whether it dropped the last reference: the ordering of kref_put().
 */
static inline bool refcount_dec_and_test(int *refcount)
{
	int old = __atomic_fetch_sub(refcount, 1, __ATOMIC_ACQ_REL);

	if (old <= 0)
		objhash_shim_bug(__FILE__, __LINE__, "refcount underflow");
	return old == 1;
}

static inline int kref_put(struct kref *kref,
			   void (*release)(struct kref *kref))
{
	int old = __atomic_fetch_sub(&kref->refcount, 1, __ATOMIC_ACQ_REL);

	if (old <= 0)
		objhash_shim_bug(__FILE__, __LINE__, "kref_put() underflow");
	if (old != 1)
		return 0;
	release(kref);
	return 1;
}

#endif
