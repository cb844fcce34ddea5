/* SPDX-License-Identifier: GPL-2.0 */
/* tools/include's overflow.h, plus struct_size_t() of later kernels. */
#ifndef _OBJHASH_SHIM_LINUX_OVERFLOW_H
#define _OBJHASH_SHIM_LINUX_OVERFLOW_H

#include_next <linux/overflow.h>

#ifndef struct_size_t
/* As include/linux/overflow.h: struct_size() with a type, not a pointer. */
#define struct_size_t(type, member, count)				\
	struct_size((type *)NULL, member, count)
#endif

#endif
