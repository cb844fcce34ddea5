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
 * Growth: commands the kernel adds later (such as a dump of the table or a
 * batch of operations) get their own functions and, where they keep state,
 * their own objects created from a handle (an iterator, a builder), never
 * state inside the handle, so a handle stays shareable between threads.
 * New functions appear in a new symbol version node; LIBOBJHASH_1 never
 * changes.
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

#ifdef __cplusplus
}
#endif

#endif /* OBJHASH_H */
