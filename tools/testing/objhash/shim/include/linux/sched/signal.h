/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fatal_signal_pending(): a per-thread flag tests raise with
 * objhash_shim_set_fatal_signal(), standing for a SIGKILL queued to the
 * task, so interrupted purges can be tested.  Only current is supported.
 */
#ifndef _OBJHASH_SHIM_LINUX_SCHED_SIGNAL_H
#define _OBJHASH_SHIM_LINUX_SCHED_SIGNAL_H

#include <linux/sched.h>

#define fatal_signal_pending(task)	((void)(task), objhash_shim_fatal_signal())

#endif
