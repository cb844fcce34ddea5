/* SPDX-License-Identifier: GPL-2.0 */
/*
 * WARN_ON() as in the kernel: report and go on, returning the condition.
 * In the kernel a WARNING fails the guest run; here the shim counts it
 * and the test harness fails the case during which the count grew.
 */
#ifndef _OBJHASH_SHIM_ASM_BUG_H
#define _OBJHASH_SHIM_ASM_BUG_H

#include_next <asm/bug.h>
#include <objhash_shim.h>

#undef WARN_ON
#undef WARN_ON_ONCE
#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (__ret_warn_on)						\
		objhash_shim_warn(__FILE__, __LINE__, #condition);	\
	__ret_warn_on;							\
})
#define WARN_ON_ONCE(condition)	WARN_ON(condition)

#endif
