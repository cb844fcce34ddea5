/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmap_local_page()/kunmap_local(): every shim page is addressable (see
 * linux/mm.h), so mapping one is page_address().  Each thread counts its
 * mappings, as the kernel's kmap_local stack does, and an unmap without a
 * map, or a thread that ends with one left, is a splat.
 */
#ifndef _OBJHASH_SHIM_LINUX_HIGHMEM_H
#define _OBJHASH_SHIM_LINUX_HIGHMEM_H

#include <linux/mm.h>
#include <objhash_shim.h>

static inline void *kmap_local_page(struct page *page)
{
	objhash_shim_kmap(1);
	return page_address(page);
}

static inline void kunmap_local(const void *addr)
{
	objhash_shim_kmap(-1);
}

#endif
