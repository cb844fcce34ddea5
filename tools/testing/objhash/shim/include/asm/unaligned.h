/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The get_unaligned_le*() helpers lib/siphash.c uses, through the kernel's
 * own packed-struct accessors in tools/include; the host is little-endian
 * (x86-64), which the build asserts.  get_unaligned() is
 * asm-generic/unaligned.h's, for the table core's key compare.
 */
#ifndef _OBJHASH_SHIM_ASM_UNALIGNED_H
#define _OBJHASH_SHIM_ASM_UNALIGNED_H

#include <linux/types.h>
#include <linux/unaligned/packed_struct.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the native build assumes a little-endian host");

#define __get_unaligned_t(type, ptr) ({					\
	const struct { type x; } __packed *__pptr = (typeof(__pptr))(ptr);	\
	__pptr->x;							\
})
#define get_unaligned(ptr)	__get_unaligned_t(typeof(*(ptr)), (ptr))

#define get_unaligned_le16(p)	__get_unaligned_cpu16((const u8 *)(p))
#define get_unaligned_le32(p)	__get_unaligned_cpu32((const u8 *)(p))
#define get_unaligned_le64(p)	__get_unaligned_cpu64((const u8 *)(p))

#endif
