/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slab allocator: kmalloc()/kzalloc()/kfree() and object caches, on
 * malloc with a live count per cache, so kmem_cache_destroy() of a cache
 * that still has objects WARNs as the kernel's does, and with the shim's
 * fault injection (objhash_shim_fail_alloc_after()) standing for failslab.
 * GFP_KERNEL may sleep: allocating under a spinlock or in an RCU section
 * is a might_sleep() splat.  Usercopy whitelists are recorded, not used.
 */
#ifndef _OBJHASH_SHIM_LINUX_SLAB_H
#define _OBJHASH_SHIM_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <objhash_shim.h>

#define GFP_KERNEL_ACCOUNT	GFP_KERNEL
/* Modifiers the shim accepts and ignores: it never warns, retries or fails
 * unless told to (fault injection). */
#define __GFP_NOWARN		0x200u
#define __GFP_RETRY_MAYFAIL	0x400u

/* Only GFP_ATOMIC (the tools enum's one non-blocking value) may not sleep. */
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return !(gfp & GFP_ATOMIC);
}

void *kmalloc(size_t size, gfp_t gfp);
/* The size class kmalloc() rounds @size up to: SLUB's on x86-64. */
size_t kmalloc_size_roundup(size_t size);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *p);

struct kmem_cache *kmem_cache_create_usercopy(const char *name,
			unsigned int size, unsigned int align,
			unsigned int flags, unsigned int useroffset,
			unsigned int usersize, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *c);
void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *c, void *p);

#endif
