/* SPDX-License-Identifier: GPL-2.0 */
/*
 * udelay() spins (it is legal under a spinlock, so it must not sleep);
 * fsleep() and msleep() sleep, with might_sleep()'s check.
 */
#ifndef _OBJHASH_SHIM_LINUX_DELAY_H
#define _OBJHASH_SHIM_LINUX_DELAY_H

#include <objhash_shim.h>

void objhash_shim_udelay(unsigned long us);
void objhash_shim_usleep(unsigned long us);

#define udelay(us)	objhash_shim_udelay(us)
#define fsleep(us)	({ objhash_shim_might_sleep(__FILE__, __LINE__);	\
			   objhash_shim_usleep(us); })
#define msleep(ms)	fsleep((unsigned long)(ms) * 1000)

#endif
