/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copy_to_user()/copy_from_user(): the native build has one address space,
 * so a user copy is memcpy() and never faults.  What stays checked is the
 * context: a user copy may fault and sleep, so one inside an RCU read
 * section or under a spinlock is a might_sleep() splat.
 */
#ifndef _OBJHASH_SHIM_LINUX_UACCESS_H
#define _OBJHASH_SHIM_LINUX_UACCESS_H

#include <string.h>
#include <linux/compiler.h>
#include <linux/sched.h>

static inline unsigned long copy_to_user(void __user *to, const void *from,
					 unsigned long n)
{
	might_sleep();
	memcpy(to, from, n);
	return 0;
}

static inline unsigned long copy_from_user(void *to, const void __user *from,
					   unsigned long n)
{
	might_sleep();
	memcpy(to, from, n);
	return 0;
}

#endif
