/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * objhash: an in-kernel hashtable of objects, reached through /dev/objhash.
 *
 * Every command takes one struct, passed by pointer as the ioctl argument.
 * Keys and values are byte strings passed by user pointer (as __u64, so the
 * layout is the same for 32-bit and 64-bit callers; compat_ioctl needs no
 * translation).  Every struct is a multiple of 8 bytes with explicit
 * reserved fields, which must be zero.
 *
 * Access: an fd opened O_RDONLY may only LOOKUP (without
 * OBJHASH_LOOKUP_DELETE) and STATS; an fd opened O_WRONLY may only INSERT,
 * DELETE and PURGE.  LOOKUP with OBJHASH_LOOKUP_DELETE needs O_RDWR.  A
 * command the fd lacks the access for fails with EBADF before its struct is
 * read; LOOKUP_DELETE without write access fails EBADF once the struct's
 * flags are read and checked.
 *
 * Extensible structs: the module takes the struct size from the command
 * (_IOC_SIZE) and accepts any size from the first published size
 * (OBJHASH_*_SIZE_VER0 below; a struct that grew at its end keeps it) up
 * to PAGE_SIZE, so programs built against an older header keep working.
 * A smaller size is EINVAL, a larger than PAGE_SIZE is E2BIG.  Bytes past
 * the struct the module knows must be zero (E2BIG otherwise); outputs of
 * in/out structs are written only over the part the module knows.  STATS
 * writes the part it knows, up to the caller's size, and zero-fills the
 * rest of the caller's struct.  The command's direction bits must be the
 * ones below; any other command with this magic, or an unknown number, is
 * ENOTTY.
 *
 * Order of checks: ENOTTY, EBADF, size (EINVAL/E2BIG), EFAULT reading the
 * struct, EINVAL for flags/reserved/key_len, EMSGSIZE, EFAULT reading the
 * key and value, then the command's own result.  On any error the table is
 * unchanged.  The struct itself is checked to be writable before a command
 * changes the table, so a read-only struct fails EFAULT with nothing done.
 *
 * Versions come from one 64-bit counter per table: every successful create
 * or replace takes the next one, starting at 1.  Version 0 is never stored,
 * so "expect_version = 0" always means "no condition".
 *
 * Error codes are listed in ABI.md; the command-specific ones are below.
 */
#ifndef _UAPI_LINUX_OBJHASH_H
#define _UAPI_LINUX_OBJHASH_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Unassigned in Documentation/userspace-api/ioctl/ioctl-number.rst (6.12). */
#define OBJHASH_IOC_MAGIC	0xB9

#define OBJHASH_KEY_MAX		256		/* bytes; keys are 1..OBJHASH_KEY_MAX */
#define OBJHASH_VALUE_MAX	(1U << 20)	/* hard cap; module may set lower */

/* First published struct sizes: the smallest size each command accepts. */
#define OBJHASH_INSERT_SIZE_VER0	48
#define OBJHASH_LOOKUP_SIZE_VER0	40
#define OBJHASH_DELETE_SIZE_VER0	24
#define OBJHASH_PURGE_SIZE_VER0		24
#define OBJHASH_STATS_SIZE_VER0		112	/* objects..hits */

/* OBJHASH_IOC_INSERT flags */
#define OBJHASH_INSERT_REPLACE	(1U << 0)	/* key present: replace its value */
#define OBJHASH_INSERT_NOCREATE	(1U << 1)	/* key absent: fail, ENOENT (needs REPLACE) */

/* OBJHASH_IOC_LOOKUP flags */
#define OBJHASH_LOOKUP_DELETE	(1U << 0)	/* unlink the object after copying it out */

/* OBJHASH_IOC_PURGE flags */
#define OBJHASH_PURGE_WAIT	(1U << 0)	/* return once purged, unused objects are freed */

/**
 * struct objhash_insert - argument of OBJHASH_IOC_INSERT
 * @key: in: user pointer to @key_len bytes of key
 * @value: in: user pointer to @value_len bytes of value; may be 0 when
 *	@value_len is 0
 * @key_len: in: 1..OBJHASH_KEY_MAX
 * @value_len: in: 0..max_value_len (module parameter); EMSGSIZE above it
 * @flags: in: OBJHASH_INSERT_*
 * @reserved: must be zero
 * @expect_version: in: 0, or the version the replaced object must have
 *	(needs OBJHASH_INSERT_REPLACE; ESTALE if it differs, ENOENT if absent)
 * @version: out: the version given to the stored value
 *
 * Without flags: create, or EEXIST.  REPLACE: create or replace.
 * REPLACE|NOCREATE: replace only, ENOENT if absent.  NOCREATE alone: EINVAL.
 * ENOSPC when a create, or a replace that grows the table's bytes, would
 * pass max_objects or max_bytes.  A replace is atomic for readers.
 */
struct objhash_insert {
	__u64 key;
	__u64 value;
	__u32 key_len;
	__u32 value_len;
	__u32 flags;
	__u32 reserved;
	__u64 expect_version;
	__u64 version;
};

/**
 * struct objhash_lookup - argument of OBJHASH_IOC_LOOKUP
 * @key: in: user pointer to @key_len bytes of key
 * @value: in: user buffer of @value_len bytes; may be 0 when @value_len is 0
 * @key_len: in: 1..OBJHASH_KEY_MAX
 * @value_len: in: size of the buffer; out: length of the stored value
 * @flags: in: OBJHASH_LOOKUP_*
 * @reserved: must be zero
 * @version: out: version of the value returned
 *
 * ENOENT if absent.  If the buffer is smaller than the value nothing is
 * copied or deleted, @value_len and @version are written back and the call
 * fails ERANGE (so @value_len = 0 is the size probe).  Bytes of the buffer
 * past the value are not touched.  With OBJHASH_LOOKUP_DELETE the object
 * returned is unlinked in the same step: of racing callers exactly one gets
 * it, the others see ENOENT.  A buffer that is not writable fails EFAULT
 * and nothing is deleted (the buffer is checked before the unlink; only a
 * buffer unmapped by another thread during the call can lose the value).
 * The buffer is written only by a call that succeeds, or fails EFAULT.
 */
struct objhash_lookup {
	__u64 key;
	__u64 value;
	__u32 key_len;
	__u32 value_len;
	__u32 flags;
	__u32 reserved;
	__u64 version;
};

/**
 * struct objhash_delete - argument of OBJHASH_IOC_DELETE
 * @key: in: user pointer to @key_len bytes of key
 * @key_len: in: 1..OBJHASH_KEY_MAX
 * @flags: must be zero
 * @expect_version: in: 0, or the version the object must have (ESTALE if
 *	it differs; nothing is removed)
 *
 * ENOENT if absent.
 */
struct objhash_delete {
	__u64 key;
	__u32 key_len;
	__u32 flags;
	__u64 expect_version;
};

/**
 * struct objhash_purge - argument of OBJHASH_IOC_PURGE
 * @flags: in: OBJHASH_PURGE_*
 * @reserved: must be zero
 * @max_version: in: 0 = every object present when the purge starts;
 *	else only objects whose version is at most @max_version
 * @purged: out: objects unlinked by this call
 *
 * Objects created or replaced after the cut survive.  The purge unlinks one
 * bucket at a time; lookups and writes go on meanwhile.  Memory is returned
 * after an RCU grace period and after the last user drops its reference;
 * with OBJHASH_PURGE_WAIT the call returns once every purged object that no
 * one else holds has been freed.  A fatal signal stops the purge between
 * buckets: it then fails EINTR, with what it unlinked so far unlinked.
 */
struct objhash_purge {
	__u32 flags;
	__u32 reserved;
	__u64 max_version;
	__u64 purged;
};

/**
 * struct objhash_stats - result of OBJHASH_IOC_STATS; all fields out
 * @objects: objects linked in the table now
 * @bytes: key + value bytes of linked objects
 * @pending_release: objects unlinked but not yet freed
 * @buckets: buckets of the table
 * @version: last version handed out (0 before the first insert)
 * @max_objects: limit in force (module parameter)
 * @max_bytes: limit in force (module parameter)
 * @max_value_len: limit in force (module parameter)
 * @inserts: objects created
 * @replaces: values replaced
 * @deletes: objects removed by DELETE or LOOKUP with OBJHASH_LOOKUP_DELETE
 * @purged: objects removed by PURGE
 * @lookups: LOOKUP calls that reached the table (valid struct and key),
 *	each counted once, whatever it did
 * @hits: those of them that did not fail ENOENT (ERANGE included)
 * @min_buckets: the table never shrinks below this (2^hash_bits)
 * @max_buckets: nor grows past this (2^max_hash_bits)
 * @grows: resizes that doubled (or more) the buckets
 * @shrinks: resizes that halved (or less) them
 * @resize_failed: resizes given up because memory for the new buckets ran
 *	out; the table then stays at its size, works on and tries again later
 * @max_chain: the longest chain an INSERT walked since the module loaded
 * @rehashes: moves of every object to a new random hash secret, done when
 *	an INSERT walked a chain of 16 objects (by chance all but impossible:
 *	it means keys were chosen to collide)
 * @rehashes_deferred: rehashes put off because the last one was too
 *	recent (one is allowed per as many creates as the table holds
 *	objects); inserts are never refused for a long chain
 *
 * The table resizes itself, in the background, with the number of
 * objects: it grows once it holds more objects than buckets, to twice or
 * more, and shrinks once it holds fewer than a quarter, never past
 * @min_buckets and @max_buckets.  @buckets is its size now.  No command
 * fails or waits because of a resize (a write waits at most for one
 * bucket to move); a LOOKUP finds every key that stays linked during the
 * call; PURGE's cut, LOOKUP_DELETE's single winner and the limits are
 * exact however resizes and commands interleave.
 *
 * A snapshot read without stopping writers: each counter may lag the calls
 * running concurrently with STATS, never more.  The struct only grows at
 * the end; a caller's smaller (>= OBJHASH_STATS_SIZE_VER0) size gets a
 * prefix.
 */
struct objhash_stats {
	__u64 objects;
	__u64 bytes;
	__u64 pending_release;
	__u64 buckets;
	__u64 version;
	__u64 max_objects;
	__u64 max_bytes;
	__u64 max_value_len;
	__u64 inserts;
	__u64 replaces;
	__u64 deletes;
	__u64 purged;
	__u64 lookups;
	__u64 hits;
	/* OBJHASH_STATS_SIZE_VER0 ends here */
	__u64 min_buckets;
	__u64 max_buckets;
	__u64 grows;
	__u64 shrinks;
	__u64 resize_failed;
	__u64 max_chain;
	__u64 rehashes;
	__u64 rehashes_deferred;
};

#define OBJHASH_IOC_INSERT	_IOWR(OBJHASH_IOC_MAGIC, 1, struct objhash_insert)
#define OBJHASH_IOC_LOOKUP	_IOWR(OBJHASH_IOC_MAGIC, 2, struct objhash_lookup)
#define OBJHASH_IOC_DELETE	_IOW(OBJHASH_IOC_MAGIC, 3, struct objhash_delete)
#define OBJHASH_IOC_PURGE	_IOWR(OBJHASH_IOC_MAGIC, 4, struct objhash_purge)
#define OBJHASH_IOC_STATS	_IOR(OBJHASH_IOC_MAGIC, 5, struct objhash_stats)

#endif /* _UAPI_LINUX_OBJHASH_H */
