/* SPDX-License-Identifier: GPL-2.0 */
/* get_random_bytes(): getrandom(2), the same kernel RNG behind it. */
#ifndef _OBJHASH_SHIM_LINUX_RANDOM_H
#define _OBJHASH_SHIM_LINUX_RANDOM_H

#include <stddef.h>

void get_random_bytes(void *buf, size_t len);

static inline unsigned int get_random_u32(void)
{
	unsigned int v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

#endif
