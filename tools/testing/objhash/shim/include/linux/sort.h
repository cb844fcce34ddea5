/* SPDX-License-Identifier: GPL-2.0 */
/* sort() of lib/sort.c as qsort(3): same contract, no swap function. */
#ifndef _OBJHASH_SHIM_LINUX_SORT_H
#define _OBJHASH_SHIM_LINUX_SORT_H

#include <stdlib.h>

#define sort(base, num, size, cmp, swap)				\
	qsort(base, num, size, cmp)

#endif
