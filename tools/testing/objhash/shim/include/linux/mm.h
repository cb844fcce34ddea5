/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmalloc() and friends: the kernel's "kmalloc, else vmalloc" is plain
 * malloc here, with the same accounting and fault injection as kmalloc()
 * (linux/slab.h).  kvmalloc_array() fails on overflow as the kernel's does.
 */
#ifndef _OBJHASH_SHIM_LINUX_MM_H
#define _OBJHASH_SHIM_LINUX_MM_H

#include <linux/slab.h>
#include <linux/overflow.h>

void *kvmalloc(size_t size, gfp_t gfp);
void kvfree(const void *p);

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return kvmalloc(bytes, gfp);
}

#endif
