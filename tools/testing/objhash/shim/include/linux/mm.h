/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmalloc() and friends: the kernel's "kmalloc, else vmalloc" is plain
 * malloc here, with the same accounting and fault injection as kmalloc()
 * (linux/slab.h).  kvmalloc_array() fails on overflow as the kernel's does.
 *
 * Order-0 pages: alloc_page() is a PAGE_SIZE allocation through the same
 * allocator (live counts, fault injection, might_sleep()), and a struct
 * page is the page's memory itself, so page_address() is a cast; live
 * pages are counted on their own (objhash_shim_live_pages()) for the tests
 * that check the table frees every page it took.  gfp flags are ignored:
 * every page is "lowmem".
 */
#ifndef _OBJHASH_SHIM_LINUX_MM_H
#define _OBJHASH_SHIM_LINUX_MM_H

#include <linux/slab.h>
#include <linux/overflow.h>

#ifndef PAGE_SHIFT
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#endif
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

struct page *alloc_page(gfp_t gfp);
void __free_page(struct page *page);

static inline void *page_address(const struct page *page)
{
	return (void *)page;
}

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
