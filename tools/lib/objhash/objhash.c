// SPDX-License-Identifier: LGPL-2.1 OR MIT
/*
 * libobjhash: one function per /dev/objhash command.
 *
 * What it trusts: the kernel validates everything (flags, lengths, access
 * mode, pointers); the library only refuses what it cannot pass through
 * intact (a size_t length that does not fit the ABI's __u32) and a NULL
 * handle or output pointer it would otherwise dereference itself.  Every
 * call works on structs on its own stack and reads errno right after its
 * ioctl, so calls on one handle from many threads need no lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "objhash.h"

/* The first buffer objhash_get_alloc() tries, before it knows the size. */
#define OBJHASH_ALLOC_FIRST	256

/*
 * struct objhash - an open /dev/objhash
 * @fd: the device, opened O_CLOEXEC
 * @flags: the access mode it was opened with (O_RDONLY, O_WRONLY, O_RDWR)
 *
 * Written once by objhash_open(), read-only afterwards: this is what makes
 * concurrent calls safe.  State of later multi-call commands (a dump
 * cursor, a batch being built) belongs in objects of their own.
 */
struct objhash {
	int fd;
	int flags;
};

static inline __u64 objhash_ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

/* Does a length fit the ABI's __u32?  (Always, where size_t is 32 bits.) */
static inline bool objhash_fits_u32(size_t n)
{
	return n == (__u32)n;
}

/* ioctl(2) returning 0 or -errno, errno read before anything else runs. */
static int objhash_ioctl(const struct objhash *h, unsigned long cmd, void *arg)
{
	return ioctl(h->fd, cmd, arg) < 0 ? -errno : 0;
}

/**
 * objhash_open() - open the objhash device
 * @path: device node; NULL means OBJHASH_DEVICE ("/dev/objhash")
 * @flags: O_RDONLY (LOOKUP, DUMP and STATS only), O_WRONLY (INSERT,
 *	DELETE, PURGE only) or O_RDWR (everything); no other bits; BATCH
 *	takes any, each op needing its command's access
 * @hp: where the new handle goes; untouched on failure
 *
 * The device is opened with O_CLOEXEC.  This and the *_alloc() functions
 * are the only ones that allocate memory.
 *
 * Context: any thread.
 * Return: 0; -EINVAL for a NULL @hp or flags other than an access mode;
 * -ENOMEM; or open(2)'s -errno (-ENOENT when the module is not loaded,
 * -EACCES without permission).
 */
int objhash_open(const char *path, int flags, struct objhash **hp)
{
	struct objhash *h;
	int fd;

	if (!hp || (flags & ~O_ACCMODE) || (flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	fd = open(path ? path : OBJHASH_DEVICE, flags | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		free(h);
		return fd;
	}
	h->fd = fd;
	h->flags = flags;
	*hp = h;
	return 0;
}

/**
 * objhash_close() - close the device and free the handle
 * @h: a handle from objhash_open(), or NULL (nothing happens)
 *
 * Context: no other call on @h may run or start.
 */
void objhash_close(struct objhash *h)
{
	if (!h)
		return;
	close(h->fd);
	free(h);
}

/**
 * objhash_fd() - the file descriptor of a handle
 * @h: a handle from objhash_open()
 *
 * For poll(2), fstat(2) or the caller's own ioctls.  It stays owned by the
 * handle: objhash_close() closes it.
 *
 * Context: any thread.
 * Return: the fd, or -EINVAL for a NULL @h.
 */
int objhash_fd(const struct objhash *h)
{
	return h ? h->fd : -EINVAL;
}

/**
 * objhash_insert_flags() - OBJHASH_IOC_INSERT with every field
 * @h: handle opened O_WRONLY or O_RDWR
 * @key: @key_len bytes of key (1..OBJHASH_KEY_MAX)
 * @key_len: length of @key
 * @value: @value_len bytes of value; may be NULL when @value_len is 0
 * @value_len: length of @value (up to the module's max_value_len)
 * @flags: OBJHASH_INSERT_REPLACE, OBJHASH_INSERT_NOCREATE
 * @expect_version: 0, or the version the replaced value must have
 * @version: if not NULL, gets the version of the stored value on success
 *
 * objhash_insert(), objhash_replace() and objhash_replace_if() are this with
 * fixed flags.
 *
 * Context: any thread; the table is unchanged on any error.
 * Return: 0; -EEXIST, -ENOENT, -ESTALE, -ENOSPC, -EMSGSIZE (also for a
 * @value_len beyond 32 bits), -EINVAL (also for a NULL @h, or a @key_len
 * beyond 32 bits), -EBADF (read-only handle), -EFAULT, -ENOMEM.
 */
int objhash_insert_flags(struct objhash *h, const void *key, size_t key_len,
			 const void *value, size_t value_len, uint32_t flags,
			 uint64_t expect_version, uint64_t *version)
{
	struct objhash_insert arg = {
		.key		= objhash_ptr(key),
		.value		= objhash_ptr(value),
		.key_len	= key_len,
		.value_len	= value_len,
		.flags		= flags,
		.expect_version	= expect_version,
	};
	int ret;

	if (!h || !objhash_fits_u32(key_len))
		return -EINVAL;
	if (!objhash_fits_u32(value_len))
		return -EMSGSIZE;
	ret = objhash_ioctl(h, OBJHASH_IOC_INSERT, &arg);
	if (!ret && version)
		*version = arg.version;
	return ret;
}

/**
 * objhash_insert() - create a key, failing if it exists
 * @h: handle opened O_WRONLY or O_RDWR
 * @key: @key_len bytes of key
 * @key_len: 1..OBJHASH_KEY_MAX
 * @value: @value_len bytes; may be NULL when @value_len is 0
 * @value_len: length of @value
 * @version: if not NULL, gets the new version on success
 *
 * Context: any thread.
 * Return: 0, or -EEXIST when @key is present; other errors as for
 * objhash_insert_flags().
 */
int objhash_insert(struct objhash *h, const void *key, size_t key_len,
		   const void *value, size_t value_len, uint64_t *version)
{
	return objhash_insert_flags(h, key, key_len, value, value_len, 0, 0,
				    version);
}

/**
 * objhash_replace() - create a key or replace its value
 * @h: handle opened O_WRONLY or O_RDWR
 * @key: @key_len bytes of key
 * @key_len: 1..OBJHASH_KEY_MAX
 * @value: @value_len bytes; may be NULL when @value_len is 0
 * @value_len: length of @value
 * @version: if not NULL, gets the new version on success
 *
 * Readers see the whole old value or the whole new one.
 *
 * Context: any thread.
 * Return: 0; errors as for objhash_insert_flags().
 */
int objhash_replace(struct objhash *h, const void *key, size_t key_len,
		    const void *value, size_t value_len, uint64_t *version)
{
	return objhash_insert_flags(h, key, key_len, value, value_len,
				    OBJHASH_INSERT_REPLACE, 0, version);
}

/**
 * objhash_replace_if() - replace the value of a present key
 * @h: handle opened O_WRONLY or O_RDWR
 * @key: @key_len bytes of key
 * @key_len: 1..OBJHASH_KEY_MAX
 * @value: @value_len bytes; may be NULL when @value_len is 0
 * @value_len: length of @value
 * @expect_version: the version the current value must have; 0 means any
 * @version: if not NULL, gets the new version on success
 *
 * Never creates @key.  With the version a lookup returned this is a
 * compare-and-swap: it fails if anyone wrote @key since.
 *
 * Context: any thread.
 * Return: 0; -ENOENT when @key is absent; -ESTALE when its version is not
 * @expect_version; other errors as for objhash_insert_flags().
 */
int objhash_replace_if(struct objhash *h, const void *key, size_t key_len,
		       const void *value, size_t value_len,
		       uint64_t expect_version, uint64_t *version)
{
	return objhash_insert_flags(h, key, key_len, value, value_len,
				    OBJHASH_INSERT_REPLACE |
				    OBJHASH_INSERT_NOCREATE,
				    expect_version, version);
}

/* One LOOKUP into @buf of *@len bytes; *@len is the value's length after. */
static int objhash_lookup(struct objhash *h, const void *key, size_t key_len,
			  void *buf, size_t *len, uint32_t flags,
			  uint64_t *version)
{
	struct objhash_lookup arg = {
		.key		= objhash_ptr(key),
		.value		= objhash_ptr(buf),
		.key_len	= key_len,
		.flags		= flags,
	};
	int ret;

	if (!h || !len || !objhash_fits_u32(key_len))
		return -EINVAL;
	/* a bigger buffer than any value is as good as its first 4 GiB */
	arg.value_len = objhash_fits_u32(*len) ? *len : UINT32_MAX;
	ret = objhash_ioctl(h, OBJHASH_IOC_LOOKUP, &arg);
	if (!ret || ret == -ERANGE) {
		*len = arg.value_len;
		if (version)
			*version = arg.version;
	}
	return ret;
}

/*
 * LOOKUP into a buffer of our own, grown while the kernel says ERANGE (the
 * value may grow between two calls; a replace can make it any size).  The
 * buffer has one byte more than the value, set to NUL.
 */
static int objhash_lookup_alloc(struct objhash *h, const void *key,
				size_t key_len, uint32_t flags, void **value,
				size_t *value_len, uint64_t *version)
{
	size_t cap = OBJHASH_ALLOC_FIRST, len;
	char *buf;
	int ret;

	if (!value || !value_len)
		return -EINVAL;
	for (;;) {
		buf = malloc(cap + 1);
		if (!buf)
			return -ENOMEM;
		len = cap;
		ret = objhash_lookup(h, key, key_len, buf, &len, flags,
				     version);
		if (ret != -ERANGE)
			break;
		free(buf);
		/* ERANGE means "more than cap"; anything else is a kernel bug */
		if (len <= cap)
			return -EIO;
		cap = len;
	}
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	*value = buf;	/* the caller's to free() from here */
	*value_len = len;
	return 0;
}

/**
 * objhash_get() - look a key up into the caller's buffer
 * @h: handle opened O_RDONLY or O_RDWR
 * @key: @key_len bytes of key
 * @key_len: 1..OBJHASH_KEY_MAX
 * @buf: buffer of *@value_len bytes; may be NULL when *@value_len is 0
 * @value_len: in: size of @buf; out: length of the stored value, on success
 *	and on -ERANGE
 * @version: if not NULL, gets the value's version on success and on -ERANGE
 *
 * When @buf is too small nothing is copied and -ERANGE says so, with the
 * size needed in *@value_len: *@value_len = 0 is the size probe.  Bytes of
 * @buf past the value are not touched.
 *
 * Context: any thread.
 * Return: 0; -ENOENT; -ERANGE; -EINVAL (also NULL @h or @value_len);
 * -EBADF (write-only handle); -EFAULT.
 */
int objhash_get(struct objhash *h, const void *key, size_t key_len,
		void *buf, size_t *value_len, uint64_t *version)
{
	return objhash_lookup(h, key, key_len, buf, value_len, 0, version);
}

/**
 * objhash_get_alloc() - look a key up into a buffer of the right size
 * @h: handle opened O_RDONLY or O_RDWR
 * @key: @key_len bytes of key
 * @key_len: 1..OBJHASH_KEY_MAX
 * @value: gets a malloc(3)ed copy of the value on success, followed by a
 *	NUL byte not counted in *@value_len; free(3) it
 * @value_len: gets the length of the value on success
 * @version: if not NULL, gets the value's version on success
 *
 * Tries a 256-byte buffer, then the size the kernel reports with ERANGE,
 * again while the value keeps growing under concurrent replaces: the
 * result is always one whole value and its version.
 *
 * Context: any thread.
 * Return: 0; -ENOENT; -ENOMEM; -EINVAL (also NULL @h, @value or
 * @value_len); -EBADF (write-only handle); -EFAULT; -EIO if the kernel
 * answered ERANGE for a buffer big enough.
 */
int objhash_get_alloc(struct objhash *h, const void *key, size_t key_len,
		      void **value, size_t *value_len, uint64_t *version)
{
	return objhash_lookup_alloc(h, key, key_len, 0, value, value_len,
				    version);
}

/**
 * objhash_take() - look a key up and delete it in the same step
 * @h: handle opened O_RDWR
 * @key: @key_len bytes of key
 * @key_len: 1..OBJHASH_KEY_MAX
 * @buf: buffer of *@value_len bytes; may be NULL when *@value_len is 0
 * @value_len: in: size of @buf; out: length of the stored value, on success
 *	and on -ERANGE
 * @version: if not NULL, gets the value's version on success and on -ERANGE
 *
 * OBJHASH_LOOKUP_DELETE: of racing takers of one key exactly one succeeds.
 * On -ERANGE nothing is copied and nothing is deleted.
 *
 * Context: any thread.
 * Return: 0; -ENOENT; -ERANGE; -EINVAL; -EBADF (handle not O_RDWR);
 * -EFAULT.
 */
int objhash_take(struct objhash *h, const void *key, size_t key_len,
		 void *buf, size_t *value_len, uint64_t *version)
{
	return objhash_lookup(h, key, key_len, buf, value_len,
			      OBJHASH_LOOKUP_DELETE, version);
}

/**
 * objhash_take_alloc() - take a key's value into a buffer of the right size
 * @h: handle opened O_RDWR
 * @key: @key_len bytes of key
 * @key_len: 1..OBJHASH_KEY_MAX
 * @value: gets a malloc(3)ed copy of the value, NUL-terminated as for
 *	objhash_get_alloc(); free(3) it
 * @value_len: gets the length of the value on success
 * @version: if not NULL, gets the value's version on success
 *
 * objhash_get_alloc() with OBJHASH_LOOKUP_DELETE: an ERANGE round deletes
 * nothing, so the key is deleted once, by the call that returns its value.
 *
 * Context: any thread.
 * Return: as for objhash_get_alloc(); -EBADF for a handle not O_RDWR.
 */
int objhash_take_alloc(struct objhash *h, const void *key, size_t key_len,
		       void **value, size_t *value_len, uint64_t *version)
{
	return objhash_lookup_alloc(h, key, key_len, OBJHASH_LOOKUP_DELETE,
				    value, value_len, version);
}

/**
 * objhash_delete() - delete a key
 * @h: handle opened O_WRONLY or O_RDWR
 * @key: @key_len bytes of key
 * @key_len: 1..OBJHASH_KEY_MAX
 * @expect_version: 0, or the version the value must have
 *
 * Context: any thread.
 * Return: 0; -ENOENT; -ESTALE (version differs, nothing deleted); -EINVAL
 * (also NULL @h); -EBADF (read-only handle); -EFAULT.
 */
int objhash_delete(struct objhash *h, const void *key, size_t key_len,
		   uint64_t expect_version)
{
	struct objhash_delete arg = {
		.key		= objhash_ptr(key),
		.key_len	= key_len,
		.expect_version	= expect_version,
	};

	if (!h || !objhash_fits_u32(key_len))
		return -EINVAL;
	return objhash_ioctl(h, OBJHASH_IOC_DELETE, &arg);
}

/**
 * objhash_purge() - delete every object up to a version
 * @h: handle opened O_WRONLY or O_RDWR
 * @max_version: 0 for every object present when the purge starts, else
 *	only those of a version at most @max_version
 * @flags: 0 or OBJHASH_PURGE_WAIT (return once the memory is freed)
 * @purged: if not NULL, gets the number of objects deleted on success
 *
 * Context: any thread; may sleep for long on a big table.
 * Return: 0; -EINVAL (also NULL @h); -EBADF (read-only handle); -EINTR
 * (fatal signal; part of the table may be purged).
 */
int objhash_purge(struct objhash *h, uint64_t max_version, uint32_t flags,
		  uint64_t *purged)
{
	struct objhash_purge arg = {
		.flags		= flags,
		.max_version	= max_version,
	};
	int ret;

	if (!h)
		return -EINVAL;
	ret = objhash_ioctl(h, OBJHASH_IOC_PURGE, &arg);
	if (!ret && purged)
		*purged = arg.purged;
	return ret;
}

/**
 * objhash_stats() - read the table's counters and limits
 * @h: handle opened O_RDONLY or O_RDWR
 * @st: the caller's struct objhash_stats
 * @size: sizeof(*@st) as the caller compiled it
 *
 * @size goes to the kernel in the command (_IOC_SIZE), so a program built
 * against a newer header with more counters gets them from a newer module
 * through this same library, and an older module zero-fills what it does
 * not know.  A size below the first published layout is the kernel's
 * -EINVAL.
 *
 * Context: any thread.
 * Return: 0; -EINVAL (also NULL @h); -E2BIG (@size beyond what the kernel
 * takes, or beyond what an ioctl command can encode); -EBADF (write-only
 * handle); -EFAULT.
 */
int objhash_stats(struct objhash *h, struct objhash_stats *st, size_t size)
{
	if (!h)
		return -EINVAL;
	if (size > _IOC_SIZEMASK)
		return -E2BIG;
	return objhash_ioctl(h, _IOC(_IOC_DIR(OBJHASH_IOC_STATS), OBJHASH_IOC_MAGIC,
				     _IOC_NR(OBJHASH_IOC_STATS), size), st);
}

/* ---- LIBOBJHASH_1.1 ------------------------------------------------------ */

/**
 * objhash_purge_prefix() - delete the objects whose key starts with a prefix
 * @h: handle opened O_WRONLY or O_RDWR
 * @prefix: @prefix_len bytes; may be NULL when @prefix_len is 0
 * @prefix_len: 0 for every key (objhash_purge()), else 1..OBJHASH_KEY_MAX
 * @max_version: 0 for every matching object present when the purge
 *	starts, else only those of a version at most @max_version
 * @flags: 0 or OBJHASH_PURGE_WAIT
 * @purged: if not NULL, gets the number of objects deleted on success
 *
 * The whole table is walked whatever the prefix: hashing scatters the keys
 * of a prefix over every bucket.
 *
 * Context: any thread; may sleep for long on a big table.
 * Return: 0; -EINVAL (NULL @h, unknown flags, @prefix_len above
 * OBJHASH_KEY_MAX or beyond 32 bits); -EFAULT (@prefix unreadable; nothing
 * purged); -EBADF (read-only handle); -E2BIG (a module that predates the
 * prefix, for a nonzero @prefix_len); -EINTR (fatal signal; part of the
 * table may be purged).
 */
int objhash_purge_prefix(struct objhash *h, const void *prefix,
			 size_t prefix_len, uint64_t max_version,
			 uint32_t flags, uint64_t *purged)
{
	struct objhash_purge arg = {
		.flags		= flags,
		.max_version	= max_version,
		.prefix		= objhash_ptr(prefix),
		.prefix_len	= prefix_len,
	};
	int ret;

	if (!h || !objhash_fits_u32(prefix_len))
		return -EINVAL;
	ret = objhash_ioctl(h, OBJHASH_IOC_PURGE, &arg);
	if (!ret && purged)
		*purged = arg.purged;
	return ret;
}

/**
 * objhash_dump() - one step of a dump of the table (OBJHASH_IOC_DUMP)
 * @h: handle opened O_RDONLY or O_RDWR (O_RDWR for OBJHASH_DUMP_DELETE)
 * @d: the caller's struct objhash_dump: @buf, @buf_len, @flags, the
 *	@cursor (all zero to start a dump), @min_version, @max_version and
 *	@max_records in; @records, @bytes, @needed, @status, @skipped,
 *	@version and the next @cursor out
 * @size: sizeof(*@d) as the caller compiled it
 *
 * A dump is a loop: call with the same @d (same cursor) until @d->status
 * has OBJHASH_DUMP_DONE, parsing the @d->bytes of records each call leaves
 * in the buffer with objhash_dump_next().  A call may return no record and
 * no status (it walked a slice of empty buckets): call again.  On -ERANGE
 * the first record did not fit: @d->needed says how many bytes it takes;
 * give a buffer that big and call again (the cursor did not move).  The
 * output fields are zeroed before the call, so a loop need not reset them.
 * @size goes to the kernel in the command, as for objhash_stats().
 *
 * Context: any thread, each with its own @d.
 * Return: 0; -ERANGE (@d->needed); -ESTALE (the dump was overtaken by a
 * rehash, or the cursor is from another load of the module: start over
 * from a zero cursor); -EINVAL (also NULL @h or @d; unknown flags;
 * versions without OBJHASH_DUMP_VERSIONS; a cursor the module did not
 * write); -E2BIG (@size beyond what the kernel takes or an ioctl
 * encodes); -EBADF (write-only handle; DELETE without O_RDWR); -EFAULT;
 * -EINTR; -ENOMEM; -EOVERFLOW.
 */
int objhash_dump(struct objhash *h, struct objhash_dump *d, size_t size)
{
	if (!h || !d)
		return -EINVAL;
	if (size > _IOC_SIZEMASK)
		return -E2BIG;
	if (size >= sizeof(*d)) {
		d->records = 0;
		d->bytes = 0;
		d->needed = 0;
		d->status = 0;
		d->skipped = 0;
		d->version = 0;
	}
	return objhash_ioctl(h, _IOC(_IOC_DIR(OBJHASH_IOC_DUMP), OBJHASH_IOC_MAGIC,
				     _IOC_NR(OBJHASH_IOC_DUMP), size), d);
}

/**
 * objhash_dump_next() - parse the next record of a DUMP buffer
 * @buf: the buffer objhash_dump() filled
 * @bytes: the bytes of it that hold records (struct objhash_dump's @bytes)
 * @offset: in: where the record starts (0 for the first); out: where the
 *	next one starts, on success
 * @rec: gets the record, with pointers into @buf
 *
 * Records are read by their rec_len, so a record a newer kernel makes
 * longer is still parsed; one that does not hold its own header, key and
 * (unless OBJHASH_REC_VALUE_OMITTED) value, is not a multiple of 8 bytes,
 * or runs past @bytes is malformed.  @buf need not be aligned.  Pure: no
 * ioctl, no state but *@offset.
 *
 * Context: any thread.
 * Return: 1 with *@rec filled; 0 at the end (*@offset == @bytes); -EINVAL
 * for a NULL argument or an *@offset past @bytes or not a multiple of 8;
 * -EBADMSG for a malformed record (*@offset and *@rec untouched).
 */
int objhash_dump_next(const void *buf, size_t bytes, size_t *offset,
		      struct objhash_record *rec)
{
	const unsigned char *p = buf;
	struct objhash_dump_rec hdr;
	size_t off, left;
	uint64_t need;	/* two __u32 lengths and the header: no overflow */

	if (!buf || !offset || !rec)
		return -EINVAL;
	off = *offset;
	if (off > bytes || off % 8)
		return -EINVAL;
	left = bytes - off;
	if (!left)
		return 0;
	if (left < sizeof(hdr))
		return -EBADMSG;
	memcpy(&hdr, p + off, sizeof(hdr));
	need = sizeof(hdr) + (uint64_t)hdr.key_len;
	if (!(hdr.flags & OBJHASH_REC_VALUE_OMITTED))
		need += hdr.value_len;
	if (hdr.rec_len % 8 || hdr.rec_len < need || hdr.rec_len > left)
		return -EBADMSG;
	rec->key = p + off + sizeof(hdr);
	rec->key_len = hdr.key_len;
	rec->value = hdr.flags & OBJHASH_REC_VALUE_OMITTED ? NULL :
		     p + off + sizeof(hdr) + hdr.key_len;
	rec->value_len = hdr.value_len;
	rec->version = hdr.version;
	rec->flags = hdr.flags;
	*offset = off + hdr.rec_len;
	return 1;
}

/**
 * objhash_batch() - run an array of INSERT, LOOKUP and DELETE operations
 * @h: a handle; each op needs the access its command needs (else that op
 *	fails -EBADF)
 * @ops: @count ops of @op_size bytes each: op, key, flags and the rest in;
 *	@version, @value_len (LOOKUP) and @result out
 * @count: 0..OBJHASH_BATCH_MAX
 * @op_size: sizeof(struct objhash_batch_op) as the caller compiled it
 * @flags: 0 or OBJHASH_BATCH_STOP_ON_ERROR
 * @done: if not NULL, gets the number of ops that ran
 * @failed: if not NULL, gets the number of those whose result is not 0
 *
 * The ops run in order, each as its single command would, but not as one
 * atomic step.  A failed op does not fail the call: its @result is the
 * negative errno, and *@failed counts it; with OBJHASH_BATCH_STOP_ON_ERROR
 * the ops after the first failure get -ECANCELED and do not run.  *@done
 * and *@failed are written whenever the kernel was called (0 when the call
 * was refused before any op ran).
 *
 * Context: any thread, each with its own @ops.
 * Return: 0 (check *@failed); -EINVAL (also NULL @h, @ops NULL with a
 * nonzero @count, @op_size not a multiple of 8 or out of
 * OBJHASH_BATCH_OP_SIZE_VER0..4096, unknown flags); -E2BIG (@count above
 * OBJHASH_BATCH_MAX); -EFAULT (the ops array unreadable or unwritable:
 * the ops from the faulting one on did not run); -EINTR (fatal signal).
 */
int objhash_batch(struct objhash *h, struct objhash_batch_op *ops,
		  size_t count, size_t op_size, uint32_t flags,
		  size_t *done, size_t *failed)
{
	struct objhash_batch arg = {
		.ops		= objhash_ptr(ops),
		.count		= count,
		.op_size	= op_size,
		.flags		= flags,
	};
	int ret;

	if (!h || (!ops && count) || !objhash_fits_u32(op_size))
		return -EINVAL;
	if (!objhash_fits_u32(count))
		return -E2BIG;
	ret = objhash_ioctl(h, OBJHASH_IOC_BATCH, &arg);
	if (done)
		*done = arg.done;
	if (failed)
		*failed = arg.failed;
	return ret;
}
