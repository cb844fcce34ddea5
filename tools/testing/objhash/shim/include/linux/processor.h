/* SPDX-License-Identifier: GPL-2.0 */
/* cpu_relax(): the pause instruction of a spin-wait loop. */
#ifndef _OBJHASH_SHIM_LINUX_PROCESSOR_H
#define _OBJHASH_SHIM_LINUX_PROCESSOR_H

#define cpu_relax()	__builtin_ia32_pause()

#endif
