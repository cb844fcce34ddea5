/* SPDX-License-Identifier: GPL-2.0 */
/* kmemleak_not_leak(): no kmemleak here (ASan's leak check instead). */
#ifndef _OBJHASH_SHIM_LINUX_KMEMLEAK_H
#define _OBJHASH_SHIM_LINUX_KMEMLEAK_H

#define kmemleak_not_leak(ptr)	((void)(ptr))

#endif
