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
 * OBJHASH_LOOKUP_DELETE), DUMP (without OBJHASH_DUMP_DELETE) and STATS; an
 * fd opened O_WRONLY may only INSERT, DELETE and PURGE.  LOOKUP with
 * OBJHASH_LOOKUP_DELETE and DUMP with OBJHASH_DUMP_DELETE need O_RDWR.  A
 * command the fd lacks the access for fails with EBADF before its struct is
 * read; the DELETE flags without write access fail EBADF once the struct's
 * flags are read and checked.  BATCH takes any fd and checks each op's
 * access as its command would (the op fails -EBADF).
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
 * The one exception: another thread of the caller that unmaps or
 * write-protects the struct (or LOOKUP_DELETE's buffer, or a drain's)
 * between that check and the write-back makes a command that changed the
 * table fail EFAULT: an INSERT's value is then stored (its version not
 * written), a PURGE's objects purged (the count not written), a
 * LOOKUP_DELETE's or a drain's object unlinked (its value not copied).
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
#define OBJHASH_DUMP_SIZE_VER0		96
#define OBJHASH_BATCH_SIZE_VER0		32
#define OBJHASH_BATCH_OP_SIZE_VER0	56

/* OBJHASH_IOC_INSERT flags */
#define OBJHASH_INSERT_REPLACE	(1U << 0)	/* key present: replace its value */
#define OBJHASH_INSERT_NOCREATE	(1U << 1)	/* key absent: fail, ENOENT (needs REPLACE) */

/* OBJHASH_IOC_LOOKUP flags */
#define OBJHASH_LOOKUP_DELETE	(1U << 0)	/* unlink the object after copying it out */

/* OBJHASH_IOC_PURGE flags */
#define OBJHASH_PURGE_WAIT	(1U << 0)	/* return once purged, unused objects are freed */

/* OBJHASH_IOC_DUMP flags (in) */
#define OBJHASH_DUMP_KEYS_ONLY	(1U << 0)	/* records without value bytes */
#define OBJHASH_DUMP_DELETE	(1U << 1)	/* drain: unlink each object returned */
#define OBJHASH_DUMP_VERSIONS	(1U << 2)	/* only versions in [min, max] */

/* OBJHASH_IOC_DUMP status (out) */
#define OBJHASH_DUMP_DONE	(1U << 0)	/* the dump is complete */

/* struct objhash_dump_rec flags */
#define OBJHASH_REC_VALUE_OMITTED (1U << 0)	/* no value bytes follow the key */

/* struct objhash_dump cursor: opaque; all zero starts a dump */
#define OBJHASH_CURSOR_WORDS	4

/* OBJHASH_IOC_BATCH: struct objhash_batch_op.op */
#define OBJHASH_BATCH_INSERT	1	/* as OBJHASH_IOC_INSERT */
#define OBJHASH_BATCH_LOOKUP	2	/* as OBJHASH_IOC_LOOKUP */
#define OBJHASH_BATCH_DELETE	3	/* as OBJHASH_IOC_DELETE */

/* OBJHASH_IOC_BATCH flags */
#define OBJHASH_BATCH_STOP_ON_ERROR (1U << 0)	/* ops after a failed one: ECANCELED */

#define OBJHASH_BATCH_MAX	65536	/* ops per call */

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
 * @prefix: in: user pointer to @prefix_len bytes; not read (may be
 *	anything) when @prefix_len is 0
 * @prefix_len: in: 0 = every key; else 1..OBJHASH_KEY_MAX, and only keys
 *	that start with these bytes are purged (EINVAL above the maximum,
 *	EFAULT if the bytes cannot be read, before anything is purged)
 * @reserved2: must be zero
 *
 * The struct grew: @prefix and what follows were appended after the first
 * published layout (OBJHASH_PURGE_SIZE_VER0), which the module still takes
 * and reads as a purge of every key.  A module that predates the prefix
 * fails a nonzero @prefix_len with E2BIG, which is how to probe for it.
 * A prefix purge walks the whole table like any purge: hashing scatters
 * the keys of a prefix over all buckets.
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
	/* OBJHASH_PURGE_SIZE_VER0 ends here */
	__u64 prefix;
	__u32 prefix_len;
	__u32 reserved2;
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
 * @deletes: objects removed by DELETE, LOOKUP with OBJHASH_LOOKUP_DELETE,
 *	or a draining DUMP (OBJHASH_DUMP_DELETE), BATCH ops included
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
 *	an INSERT walked a chain of 16 objects while the table was within its
 *	load or at @max_buckets (by chance all but impossible: it means keys
 *	were chosen to collide); a table over its load grows instead
 * @rehashes_deferred: rehashes put off because the last one was too
 *	recent (one is allowed per as many creates as the table holds
 *	objects); inserts are never refused for a long chain
 * @memory: bytes of kernel memory the table's objects take, linked ones
 *	and unlinked ones not yet freed: each object's allocation as the
 *	allocator sizes it (its slab cache's object size or kmalloc's size
 *	class, header and key included) plus, for a value that does not fit
 *	one page with its key and the 64-byte header, the value's own pages
 *	(4096 bytes each on x86).  Not counted: the buckets, slab page slack
 *	and per-object memory cgroup metadata.  Compare with @bytes, which
 *	counts the payload
 * @pending_memory: the part of @memory taken by unlinked objects waiting
 *	for release: held by a reader, or waiting for an RCU grace period or
 *	a purge's batch free; 0 on a quiet table after PURGE with
 *	OBJHASH_PURGE_WAIT
 * @max_memory: limit in force (module parameter): an INSERT that creates
 *	or grows an object so that the memory of linked objects (@memory -
 *	@pending_memory) would pass it fails ENOSPC
 * @throttled: INSERTs (BATCH ops included) that first waited for an RCU
 *	grace period because @pending_memory was above half of @max_memory;
 *	an INSERT never fails for that, it only waits
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
	__u64 memory;
	__u64 pending_memory;
	__u64 max_memory;
	__u64 throttled;
};

/**
 * struct objhash_dump_rec - one record in a DUMP buffer
 * @version: version of the value
 * @rec_len: bytes of the record: this header, the key, the value unless
 *	omitted, then zeros up to a multiple of 8; the next record starts
 *	@rec_len bytes after this one
 * @flags: OBJHASH_REC_*
 * @key_len: bytes of key following the header
 * @value_len: length of the stored value, even when omitted; unless
 *	OBJHASH_REC_VALUE_OMITTED is set, that many bytes follow the key
 *
 * Records start 8-byte aligned (the buffer's own alignment is the caller's
 * business: records sit at multiples of 8 from its start).  A parser can
 * skip a record by @rec_len without understanding it.
 */
struct objhash_dump_rec {
	__u64 version;
	__u32 rec_len;
	__u32 flags;
	__u32 key_len;
	__u32 value_len;
};

/**
 * struct objhash_dump - argument of OBJHASH_IOC_DUMP
 * @buf: in: user buffer that receives records (struct objhash_dump_rec)
 * @buf_len: in: its size in bytes
 * @flags: in: OBJHASH_DUMP_*
 * @cursor: in/out: where the dump stands; all zero starts a dump, and each
 *	call writes back the cursor to pass to the next one.  Opaque: it
 *	reveals nothing of the table's secret hash, and a cursor the module
 *	did not write fails EINVAL, or ESTALE if its bits happen to name
 *	another load of the module (which the module cannot tell from a
 *	cursor that load wrote).
 * @min_version: in: with OBJHASH_DUMP_VERSIONS, only objects whose version
 *	is at least this; must be zero without the flag
 * @max_version: in: with OBJHASH_DUMP_VERSIONS, only objects whose version
 *	is at most this, 0 = no upper bound; must be zero without the flag
 * @max_records: in: at most this many records; 0 = as many as fit (keys
 *	that share one position of the dump order, which takes a 64-bit
 *	collision, come together even past it)
 * @records: out: records written to @buf by this call
 * @bytes: out: bytes of @buf they take
 * @needed: out: with ERANGE, the bytes of @buf the next record needs
 * @status: out: OBJHASH_DUMP_DONE once the whole table has been walked
 * @skipped: out: with OBJHASH_DUMP_DELETE, objects that were replaced or
 *	deleted by someone else between being found and being taken, and so
 *	were left alone (or were not this call's to return)
 * @version: out: the table's version when the call ended; a record whose
 *	version is above the first call's @version was written during the dump
 *
 * A dump is the sequence of calls from an all-zero cursor to the one that
 * sets OBJHASH_DUMP_DONE.  It walks the table in an order fixed by the
 * table's secret hash, one bucket at a time, and guarantees, however the
 * table is written to and resized meanwhile:
 *
 *  - every key present with the same object (neither replaced nor deleted)
 *    from the first call to the last is returned exactly once;
 *  - no key is returned twice in one dump, even if it is replaced, deleted
 *    and created again meanwhile; keys written during the dump are returned
 *    at most once, with some value they had during the call returning them;
 *  - a record's value and version are the whole value and the version the
 *    key had at one moment during the call that returns it;
 *  - the only exception: when the table moves to a new secret hash (a
 *    rehash, which happens only when keys are chosen to collide; STATS
 *    rehashes), the next call of a dump begun before fails ESTALE and the
 *    dump must start over from a zero cursor.  Nothing is ever silently
 *    missed or repeated.
 *
 * Each call returns records in dump order until the buffer or @max_records
 * is full, the table is done (OBJHASH_DUMP_DONE, which a later call with
 * the same cursor sets again with no records), or it has walked a slice of
 * 65536 empty buckets, in which case it may return no record and no
 * status: call again.  A record that does not fit the buffer is not
 * split: if it is the first of the call, the call fails ERANGE, writes
 * @needed and leaves the cursor as it was, so every call either makes
 * progress or says what it needs.  With OBJHASH_DUMP_KEYS_ONLY records
 * carry no value bytes (OBJHASH_REC_VALUE_OMITTED; @value_len is still the
 * stored length).
 *
 * No lock is held while the buffer is written; writers wait for a dump at
 * most for the time it takes to collect one bucket's objects.
 *
 * OBJHASH_DUMP_DELETE (drain) needs an fd with read and write access
 * (EBADF once the flags are read, as OBJHASH_LOOKUP_DELETE): each object
 * returned was unlinked by this call, as by a DELETE conditional on the
 * version returned, so of concurrent drains exactly one returns an object.
 * The buffer is faulted in before each unlink, so a buffer that cannot be
 * written deletes nothing (only another thread unmapping it during the call
 * can lose an object, as with LOOKUP_DELETE).
 *
 * If the buffer faults after the first record, the call succeeds with the
 * records before the fault and the cursor after them; if the first record
 * faults, EFAULT and the cursor stays.  A fatal signal ends the call
 * likewise (EINTR if no record was written).
 *
 * Errors: EBADF (fd without read access; DELETE without write access),
 * EINVAL (unknown flags, nonzero reserved bits, versions without
 * OBJHASH_DUMP_VERSIONS or min above a nonzero max, a cursor the module did
 * not write), ESTALE (a cursor from another load of the module, or a dump
 * overtaken by a rehash: start over), ERANGE (@needed), EFAULT, EINTR,
 * ENOMEM, and EOVERFLOW if more than 64 keys share one position of the
 * dump order (64-bit; only someone who knows the table's secrets can
 * choose such keys).
 *
 * The dump order follows the hash, so a dump shows which keys share a
 * bucket; who may open the device (0600, or a group's by udev rule) and
 * the rehash on floods are what bound the use of that.
 */
struct objhash_dump {
	__u64 buf;
	__u32 buf_len;
	__u32 flags;
	__u64 cursor[OBJHASH_CURSOR_WORDS];
	__u64 min_version;
	__u64 max_version;
	__u32 max_records;
	__u32 records;
	__u32 bytes;
	__u32 needed;
	__u32 status;
	__u32 skipped;
	__u64 version;
};

/**
 * struct objhash_batch_op - one operation of OBJHASH_IOC_BATCH
 * @key: in: user pointer to @key_len bytes of key
 * @value: in: INSERT: the value; LOOKUP: the buffer; unused by DELETE
 * @key_len: in: 1..OBJHASH_KEY_MAX
 * @value_len: in: INSERT: length of the value; LOOKUP: size of the buffer;
 *	out: LOOKUP: length of the stored value (also on ERANGE)
 * @op: in: OBJHASH_BATCH_*
 * @flags: in: the command's flags: OBJHASH_INSERT_* or OBJHASH_LOOKUP_*;
 *	zero for DELETE
 * @expect_version: in: INSERT and DELETE, as in their structs; zero for
 *	LOOKUP
 * @version: out: INSERT, LOOKUP: as their commands write it
 * @result: out: 0, or the negative errno the single command would have
 *	failed with; -ECANCELED if not run (OBJHASH_BATCH_STOP_ON_ERROR);
 *	-EBADF if the fd lacks the access the op's command needs; -E2BIG if
 *	bytes past the part of the op the module knows are not zero
 * @reserved: must be zero (else the op fails -EINVAL)
 *
 * Each op does exactly what its single command would with the same fields:
 * same checks, same errors, same counters.
 */
struct objhash_batch_op {
	__u64 key;
	__u64 value;
	__u32 key_len;
	__u32 value_len;
	__u32 op;
	__u32 flags;
	__u64 expect_version;
	__u64 version;
	__s32 result;
	__u32 reserved;
};

/**
 * struct objhash_batch - argument of OBJHASH_IOC_BATCH
 * @ops: in: user pointer to @count ops of @op_size bytes each
 * @count: in: 0..OBJHASH_BATCH_MAX (E2BIG above)
 * @op_size: in: bytes per op: a multiple of 8, at least
 *	OBJHASH_BATCH_OP_SIZE_VER0, at most 4096 (else EINVAL); a program
 *	passes sizeof(struct objhash_batch_op), so ops can grow like structs
 * @flags: in: OBJHASH_BATCH_*
 * @done: out: ops run (each has its own result)
 * @failed: out: ops run whose result is not 0
 * @reserved: must be zero
 *
 * Runs the ops in array order, each seeing what the ones before it did;
 * other callers may run between two ops: the batch is NOT atomic as a
 * whole.  Each op's out fields and @result are written back when it has
 * run.  Without OBJHASH_BATCH_STOP_ON_ERROR every op runs whatever the
 * others' results; with it, the first op that fails ends the batch and
 * every later op gets -ECANCELED without running.  An op whose key, value
 * or buffer faults fails -EFAULT and changes nothing.
 *
 * The call itself fails EINVAL (flags, reserved, @op_size), E2BIG
 * (@count), EFAULT when the struct or the ops array cannot be read or
 * written (ops from the one that faulted on did not run), or EINTR on a
 * fatal signal; in the last two cases @done, @failed and the results of
 * the ops that ran are written.  A failed op does not make the call fail: check
 * @failed.  Needs an fd with the access of each op (an fd without it gets
 * -EBADF per op).
 */
struct objhash_batch {
	__u64 ops;
	__u32 count;
	__u32 op_size;
	__u32 flags;
	__u32 done;
	__u32 failed;
	__u32 reserved;
};

#define OBJHASH_IOC_INSERT	_IOWR(OBJHASH_IOC_MAGIC, 1, struct objhash_insert)
#define OBJHASH_IOC_LOOKUP	_IOWR(OBJHASH_IOC_MAGIC, 2, struct objhash_lookup)
#define OBJHASH_IOC_DELETE	_IOW(OBJHASH_IOC_MAGIC, 3, struct objhash_delete)
#define OBJHASH_IOC_PURGE	_IOWR(OBJHASH_IOC_MAGIC, 4, struct objhash_purge)
#define OBJHASH_IOC_STATS	_IOR(OBJHASH_IOC_MAGIC, 5, struct objhash_stats)
#define OBJHASH_IOC_DUMP	_IOWR(OBJHASH_IOC_MAGIC, 6, struct objhash_dump)
#define OBJHASH_IOC_BATCH	_IOWR(OBJHASH_IOC_MAGIC, 7, struct objhash_batch)

#endif /* _UAPI_LINUX_OBJHASH_H */
