/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/include/linux/kernel.h plus what the kernel's own kernel.h brings
 * in that table.c and lib/siphash.c rely on: snprintf() (linux/sprintf.h),
 * U64_MAX (linux/limits.h), IS_ENABLED() (linux/kconfig.h), IS_ALIGNED()
 * (linux/align.h), rol64() (linux/bitops.h), le*_to_cpup() (byteorder),
 * fallthrough (compiler_attributes.h), EXPORT_SYMBOL() (linux/export.h),
 * and WARN_ON() that fails the test (see asm/bug.h).
 *
 * tools' kernel.h defines synchronize_rcu() as nothing, which would
 * silently drop a grace period: it is undefined here, and the real one
 * comes from linux/rcupdate.h.
 */
#ifndef _OBJHASH_SHIM_LINUX_KERNEL_H
#define _OBJHASH_SHIM_LINUX_KERNEL_H

#include <stdio.h>
#include <stdint.h>
#include_next <linux/kernel.h>
#include <linux/kconfig.h>
#include <linux/align.h>
#include <linux/export.h>
#include <linux/bits.h>
#include <asm/bug.h>

#undef synchronize_rcu

#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif

static inline u64 rol64(u64 word, unsigned int shift)
{
	return (word << (shift & 63)) | (word >> ((-shift) & 63));
}

/* The host is little-endian (asserted in asm/unaligned.h). */
#define le32_to_cpup(p)	(*(const u32 *)(p))
#define le64_to_cpup(p)	(*(const u64 *)(p))

#ifndef ____cacheline_aligned_in_smp
#define ____cacheline_aligned_in_smp	__attribute__((__aligned__(64)))
#endif

#ifndef U32_MAX
#define U32_MAX		((u32)~0U)
#endif

/*
 * Memory barriers (asm/barrier.h) as C11 fences.  ThreadSanitizer does not
 * model fences; where table.c pairs an smp_rmb() with release stores, the
 * load that follows it is an rcu_dereference(), an acquire load here,
 * which TSan does see.
 */
#ifndef smp_rmb
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

#ifndef U64_MAX
#define U64_MAX		((u64)~0ULL)
#endif

#endif
