/* SPDX-License-Identifier: GPL-2.0 */
/*
 * array_index_nospec(): @index if it is below @size, else 0, computed
 * without a branch, as include/linux/nospec.h's generic
 * array_index_mask_nospec() does (the x86 version is inline assembly to
 * the same effect).  Userspace tests need the value, not the barrier.
 */
#ifndef _OBJHASH_SHIM_LINUX_NOSPEC_H
#define _OBJHASH_SHIM_LINUX_NOSPEC_H

#include <linux/kernel.h>

static inline unsigned long array_index_mask_nospec(unsigned long index,
						    unsigned long size)
{
	return ~(long)(index | (size - 1UL - index)) >> (BITS_PER_LONG - 1);
}

#define array_index_nospec(index, size) ({				\
	typeof(index) _i = (index);					\
	typeof(size) _s = (size);					\
	unsigned long _mask = array_index_mask_nospec(_i, _s);		\
									\
	(typeof(_i))(_i & _mask);					\
})

#endif
