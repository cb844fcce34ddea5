/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libobjhash: the C interface to /dev/objhash.
 *
 * The structs, flags and limits are the kernel's, from <linux/objhash.h>
 * (the UAPI header; never copied here).  This header adds a handle and one
 * function per operation; each returns 0 (or a count) on success and a
 * negative errno value on failure, with the errnos of objhash(4).  errno
 * itself is unspecified after a call and never needs to be read.
 *
 * Thread safety: a handle is immutable once open (an fd and its access
 * mode), so any number of threads may call any function on one handle at
 * once; the table itself does the locking.  Only objhash_close() must not
 * race with other calls on the same handle.
 *
 * Allocation: objhash_open() allocates the handle, and the *_alloc()
 * functions allocate the value they return (free(3) it).  Nothing else
 * allocates memory: every other call is one ioctl on structs on the stack.
 *
 * Growth: commands the kernel adds later get their own functions and keep
 * their state in the caller's memory, never inside the handle, so a handle
 * stays shareable between threads: a dump's cursor lives in the caller's
 * struct objhash_dump, a batch's ops in the caller's array.  New functions
 * appear in a new symbol version node (LIBOBJHASH_1.1: objhash_dump(),
 * objhash_dump_next(), objhash_batch(), objhash_purge_prefix());
 * LIBOBJHASH_1 never changes.
 */
#ifndef OBJHASH_H
#define OBJHASH_H

#include <stddef.h>
#include <stdint.h>

#include <linux/objhash.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The device objhash_open() opens when given NULL. */
#define OBJHASH_DEVICE		"/dev/objhash"

/* An open /dev/objhash: opaque, from objhash_open(). */
struct objhash;

int objhash_open(const char *path, int flags, struct objhash **hp);
void objhash_close(struct objhash *h);
int objhash_fd(const struct objhash *h);

int objhash_insert(struct objhash *h, const void *key, size_t key_len,
		   const void *value, size_t value_len, uint64_t *version);
int objhash_replace(struct objhash *h, const void *key, size_t key_len,
		    const void *value, size_t value_len, uint64_t *version);
int objhash_replace_if(struct objhash *h, const void *key, size_t key_len,
		       const void *value, size_t value_len,
		       uint64_t expect_version, uint64_t *version);
int objhash_insert_flags(struct objhash *h, const void *key, size_t key_len,
			 const void *value, size_t value_len, uint32_t flags,
			 uint64_t expect_version, uint64_t *version);

int objhash_get(struct objhash *h, const void *key, size_t key_len,
		void *buf, size_t *value_len, uint64_t *version);
int objhash_get_alloc(struct objhash *h, const void *key, size_t key_len,
		      void **value, size_t *value_len, uint64_t *version);
int objhash_take(struct objhash *h, const void *key, size_t key_len,
		 void *buf, size_t *value_len, uint64_t *version);
int objhash_take_alloc(struct objhash *h, const void *key, size_t key_len,
		       void **value, size_t *value_len, uint64_t *version);

int objhash_delete(struct objhash *h, const void *key, size_t key_len,
		   uint64_t expect_version);
int objhash_purge(struct objhash *h, uint64_t max_version, uint32_t flags,
		  uint64_t *purged);
int objhash_stats(struct objhash *h, struct objhash_stats *st, size_t size);

/* LIBOBJHASH_1.1: DUMP, BATCH and purge by prefix. */

int objhash_purge_prefix(struct objhash *h, const void *prefix,
			 size_t prefix_len, uint64_t max_version,
			 uint32_t flags, uint64_t *purged);

/*
 * One OBJHASH_IOC_DUMP call on the caller's struct: it holds the cursor
 * (all zero to start), buffer, flags and filters in, and records, bytes,
 * needed, status and version out.  Call again with the same struct until
 * status has OBJHASH_DUMP_DONE.
 */
int objhash_dump(struct objhash *h, struct objhash_dump *d, size_t size);

/*
 * One record of a DUMP buffer, as objhash_dump_next() parses it: pointers
 * into the buffer, valid as long as it is.
 */
struct objhash_record {
	const void *key;	/* key_len bytes */
	const void *value;	/* value_len bytes; NULL if omitted (KEYS_ONLY) */
	size_t key_len;
	size_t value_len;	/* the stored length, also when omitted */
	uint64_t version;
	uint32_t flags;		/* OBJHASH_REC_* */
};

int objhash_dump_next(const void *buf, size_t bytes, size_t *offset,
		      struct objhash_record *rec);

int objhash_batch(struct objhash *h, struct objhash_batch_op *ops,
		  size_t count, size_t op_size, uint32_t flags,
		  size_t *done, size_t *failed);

#ifdef __cplusplus
}
#endif

#endif /* OBJHASH_H */
