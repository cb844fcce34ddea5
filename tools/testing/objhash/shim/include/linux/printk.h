/* SPDX-License-Identifier: GPL-2.0 */
/* pr_err() and its rate-limited form: to stderr, where the tests see it. */
#ifndef _OBJHASH_SHIM_LINUX_PRINTK_H
#define _OBJHASH_SHIM_LINUX_PRINTK_H

#include <stdio.h>

#define pr_err(fmt, ...)		fprintf(stderr, fmt, ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...)	pr_err(fmt, ##__VA_ARGS__)

#endif
