/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU variables: OBJHASH_SHIM_NR_CPUS units of OBJHASH_PCPU_UNIT bytes
 * each, the "CPU" of a thread being objhash_shim_cpu().  More threads than
 * slots may share one, and a thread is never pinned, so this_cpu_*() are
 * relaxed atomic RMWs (the kernel's are atomic against the local CPU);
 * readers of other CPUs' slots go through READ_ONCE(), a relaxed atomic
 * load here (linux/compiler.h).  Sums are therefore exact once writers
 * stop, as in the kernel.
 */
#ifndef _OBJHASH_SHIM_LINUX_PERCPU_H
#define _OBJHASH_SHIM_LINUX_PERCPU_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/build_bug.h>
#include <objhash_shim.h>

#define OBJHASH_PCPU_UNIT	256

void *objhash_shim_alloc_percpu(size_t size);

#define alloc_percpu(type) ({						\
	BUILD_BUG_ON(sizeof(type) > OBJHASH_PCPU_UNIT);			\
	(type *)objhash_shim_alloc_percpu(sizeof(type));		\
})
#define free_percpu(ptr)	objhash_shim_free(ptr)

#define per_cpu_ptr(ptr, cpu)						\
	((typeof(ptr))((char *)(ptr) + (size_t)(cpu) * OBJHASH_PCPU_UNIT))
#define for_each_possible_cpu(cpu)					\
	for ((cpu) = 0; (cpu) < OBJHASH_SHIM_NR_CPUS; (cpu)++)

#define this_cpu_add(pcp, val)						\
	((void)__atomic_fetch_add(per_cpu_ptr(&(pcp), objhash_shim_cpu()), \
				  (val), __ATOMIC_RELAXED))
#define this_cpu_inc(pcp)	this_cpu_add(pcp, 1)

#endif
