// SPDX-License-Identifier: GPL-2.0
/*
 * objhash per-command rules, one variant per command: extensible struct
 * sizes (EINVAL below the first size, zero tail accepted, nonzero tail
 * E2BIG, E2BIG above a page, STATS zero-fills), EFAULT on the struct
 * pointer (NULL, unmapped, read-only) and the fd access rules (EBADF).
 * DUMP and BATCH are variants too; a grown struct (PURGE) is checked from
 * the end of the part the module knows, and a size between its first
 * published size and that works as the first layout.  BATCH has no fd
 * access of its own: its ops get -EBADF.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define EXT_KEY		"ext-key"	/* present at the start of each case */
#define EXT_VALUE	"ext-value"
#define EXT_NEW		"ext-new"	/* what a successful INSERT creates */

enum ext_kind { EXT_INSERT, EXT_LOOKUP, EXT_DELETE, EXT_PURGE, EXT_STATS,
		EXT_DUMP, EXT_BATCH };

FIXTURE(objhash_cmd)
{
	/* O_RDWR fd on /dev/objhash */
	int fd;
	/* three writable pages; the command struct is built at the start */
	char *page;
	/* LOOKUP's value buffer, DUMP's records buffer */
	char out[64];
	/* BATCH's one op */
	struct objhash_batch_op op;
	/* version of EXT_KEY, inserted by the setup */
	__u64 key_version;
	/* stats right after EXT_KEY was inserted */
	struct objhash_stats st0;
	/* the module's hash_bits, to check STATS.buckets */
	unsigned long long hash_bits;
};

FIXTURE_VARIANT(objhash_cmd)
{
	enum ext_kind kind;
	unsigned int nr;	/* _IOC_NR of the command */
	unsigned int dir;	/* _IOC_DIR of the command */
	size_t size0;		/* first published struct size */
	size_t known;		/* the struct as the module knows it */
	bool has_output;	/* the module writes into the struct */
	bool needs_read;	/* fd needs read access */
	bool needs_write;	/* fd needs write access */
};

FIXTURE_VARIANT_ADD(objhash_cmd, insert) {
	.kind = EXT_INSERT, .nr = 1, .dir = _IOC_READ | _IOC_WRITE,
	.size0 = OH_INSERT_SIZE0, .known = 48, .has_output = true,
	.needs_read = false, .needs_write = true,
};

FIXTURE_VARIANT_ADD(objhash_cmd, lookup) {
	.kind = EXT_LOOKUP, .nr = 2, .dir = _IOC_READ | _IOC_WRITE,
	.size0 = OH_LOOKUP_SIZE0, .known = 40, .has_output = true,
	.needs_read = true, .needs_write = false,
};

FIXTURE_VARIANT_ADD(objhash_cmd, delete) {
	.kind = EXT_DELETE, .nr = 3, .dir = _IOC_WRITE,
	.size0 = OH_DELETE_SIZE0, .known = 24, .has_output = false,
	.needs_read = false, .needs_write = true,
};

FIXTURE_VARIANT_ADD(objhash_cmd, purge) {
	.kind = EXT_PURGE, .nr = 4, .dir = _IOC_READ | _IOC_WRITE,
	.size0 = OH_PURGE_SIZE0, .known = sizeof(struct objhash_purge),
	.has_output = true,
	.needs_read = false, .needs_write = true,
};

FIXTURE_VARIANT_ADD(objhash_cmd, stats) {
	.kind = EXT_STATS, .nr = 5, .dir = _IOC_READ,
	.size0 = OH_STATS_SIZE0, .known = sizeof(struct objhash_stats),
	.has_output = true,
	.needs_read = true, .needs_write = false,
};

FIXTURE_VARIANT_ADD(objhash_cmd, dump) {
	.kind = EXT_DUMP, .nr = 6, .dir = _IOC_READ | _IOC_WRITE,
	.size0 = OH_DUMP_SIZE0, .known = sizeof(struct objhash_dump),
	.has_output = true, .needs_read = true, .needs_write = false,
};

FIXTURE_VARIANT_ADD(objhash_cmd, batch) {
	.kind = EXT_BATCH, .nr = 7, .dir = _IOC_READ | _IOC_WRITE,
	.size0 = OH_BATCH_SIZE0, .known = sizeof(struct objhash_batch),
	.has_output = true, .needs_read = false, .needs_write = false,
};

/* Empty the table and put EXT_KEY back: the known state of each case. */
static int reset_table(FIXTURE_DATA(objhash_cmd) *self)
{
	return oh_purge_all(self->fd) ?:
	       oh_insert_str(self->fd, EXT_KEY, EXT_VALUE, 0,
			     &self->key_version) ?:
	       oh_stats(self->fd, &self->st0);
}

FIXTURE_SETUP(objhash_cmd)
{
	long psz = sysconf(_SC_PAGESIZE);

	self->page = mmap(NULL, 3 * psz, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->page);
	ASSERT_EQ(0, oh_param_read("hash_bits", &self->hash_bits));
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", OBJHASH_DEV, strerror(errno));
	}
	ASSERT_EQ(0, reset_table(self));
}

FIXTURE_TEARDOWN(objhash_cmd)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	EXPECT_EQ(0, close(self->fd));
	munmap(self->page, 3 * sysconf(_SC_PAGESIZE));
}

/* The command number for @size bytes of this variant's struct. */
static unsigned long cmd_sized(const FIXTURE_VARIANT(objhash_cmd) *variant,
			       size_t size)
{
	return _IOC(variant->dir, OBJHASH_IOC_MAGIC, variant->nr, size);
}

/*
 * Build a valid struct of this variant at @buf, zeroing @len bytes first.
 * A "mutating" LOOKUP uses LOOKUP_DELETE so its effect can be seen.
 */
static void build_arg(FIXTURE_DATA(objhash_cmd) *self,
		      const FIXTURE_VARIANT(objhash_cmd) *variant,
		      void *buf, size_t len, bool mutating)
{
	memset(buf, 0, len);
	memset(self->out, 0, sizeof(self->out));
	switch (variant->kind) {
	case EXT_INSERT: {
		struct objhash_insert *a = buf;

		a->key = oh_ptr(EXT_NEW);
		a->key_len = strlen(EXT_NEW);
		a->value = oh_ptr("new");
		a->value_len = 3;
		break;
	}
	case EXT_LOOKUP: {
		struct objhash_lookup *a = buf;

		a->key = oh_ptr(EXT_KEY);
		a->key_len = strlen(EXT_KEY);
		a->value = oh_ptr(self->out);
		a->value_len = sizeof(self->out);
		a->flags = mutating ? OBJHASH_LOOKUP_DELETE : 0;
		break;
	}
	case EXT_DELETE: {
		struct objhash_delete *a = buf;

		a->key = oh_ptr(EXT_KEY);
		a->key_len = strlen(EXT_KEY);
		break;
	}
	case EXT_PURGE: {
		struct objhash_purge *a = buf;

		a->flags = OBJHASH_PURGE_WAIT;
		break;
	}
	case EXT_STATS:
		break;
	case EXT_DUMP: {
		struct objhash_dump *a = buf;

		a->buf = oh_ptr(self->out);
		a->buf_len = sizeof(self->out);
		a->flags = mutating ? OBJHASH_DUMP_DELETE : 0;
		break;
	}
	case EXT_BATCH: {
		struct objhash_batch *a = buf;
		struct objhash_batch_op *o = &self->op;

		/* mutating: INSERT EXT_NEW; else LOOKUP EXT_KEY */
		memset(o, 0, sizeof(*o));
		if (mutating) {
			o->op = OBJHASH_BATCH_INSERT;
			o->key = oh_ptr(EXT_NEW);
			o->key_len = strlen(EXT_NEW);
			o->value = oh_ptr("new");
			o->value_len = 3;
		} else {
			o->op = OBJHASH_BATCH_LOOKUP;
			o->key = oh_ptr(EXT_KEY);
			o->key_len = strlen(EXT_KEY);
			o->value = oh_ptr(self->out);
			o->value_len = sizeof(self->out);
		}
		o->result = 12345;
		a->ops = oh_ptr(o);
		a->count = 1;
		a->op_size = sizeof(*o);
		break;
	}
	}
}

/* The table is as reset_table() left it. */
static void expect_unchanged(struct __test_metadata *_metadata,
			     FIXTURE_DATA(objhash_cmd) *self, const char *what)
{
	struct objhash_stats st;
	__u64 ver = 0;

	EXPECT_EQ(1, oh_present(self->fd, EXT_KEY, strlen(EXT_KEY), NULL,
				&ver)) {
		TH_LOG("%s: " EXT_KEY " is gone", what);
	}
	EXPECT_EQ(self->key_version, ver) {
		TH_LOG("%s: " EXT_KEY " was rewritten", what);
	}
	EXPECT_EQ(0, oh_present_str(self->fd, EXT_NEW)) {
		TH_LOG("%s: " EXT_NEW " was created", what);
	}
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(1, st.objects) {
		TH_LOG("%s: object count changed", what);
	}
	EXPECT_EQ(self->st0.version, st.version);
	EXPECT_EQ(self->st0.inserts, st.inserts);
	EXPECT_EQ(self->st0.replaces, st.replaces);
	EXPECT_EQ(self->st0.deletes, st.deletes);
	EXPECT_EQ(self->st0.purged, st.purged);
}

/* The successful command @arg did what it should. */
static void expect_effect(struct __test_metadata *_metadata,
			  FIXTURE_DATA(objhash_cmd) *self,
			  const FIXTURE_VARIANT(objhash_cmd) *variant,
			  const void *arg, bool mutating, const char *what)
{
	struct objhash_stats st;

	switch (variant->kind) {
	case EXT_INSERT: {
		const struct objhash_insert *a = arg;

		EXPECT_EQ(1, oh_present_str(self->fd, EXT_NEW)) {
			TH_LOG("%s: INSERT created nothing", what);
		}
		EXPECT_EQ(self->st0.version + 1, a->version) {
			TH_LOG("%s: version not written back", what);
		}
		break;
	}
	case EXT_LOOKUP: {
		const struct objhash_lookup *a = arg;

		EXPECT_EQ(strlen(EXT_VALUE), a->value_len);
		EXPECT_EQ(self->key_version, a->version);
		EXPECT_EQ(0, memcmp(self->out, EXT_VALUE, strlen(EXT_VALUE))) {
			TH_LOG("%s: LOOKUP copied the wrong bytes", what);
		}
		EXPECT_EQ(!mutating, oh_present_str(self->fd, EXT_KEY)) {
			TH_LOG("%s: LOOKUP_DELETE=%d left the key wrong",
			       what, mutating);
		}
		break;
	}
	case EXT_DELETE:
		EXPECT_EQ(0, oh_present_str(self->fd, EXT_KEY)) {
			TH_LOG("%s: DELETE left the key", what);
		}
		break;
	case EXT_PURGE: {
		const struct objhash_purge *a = arg;

		EXPECT_EQ(1, a->purged) {
			TH_LOG("%s: purged count not written back", what);
		}
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		EXPECT_EQ(0, st.objects);
		break;
	}
	case EXT_STATS: {
		const struct objhash_stats *a = arg;

		EXPECT_EQ(1, a->objects);
		EXPECT_EQ(strlen(EXT_KEY) + strlen(EXT_VALUE), a->bytes);
		EXPECT_EQ(1ULL << self->hash_bits, a->buckets);
		EXPECT_EQ(self->st0.version, a->version);
		EXPECT_EQ(self->st0.inserts, a->inserts);
		break;
	}
	case EXT_DUMP: {
		const struct objhash_dump *a = arg;
		struct objhash_dump_rec h;

		EXPECT_EQ(1, a->records) {
			TH_LOG("%s: DUMP returned %u records", what, a->records);
		}
		EXPECT_EQ(40, a->bytes);
		memcpy(&h, self->out, sizeof(h));
		EXPECT_EQ(self->key_version, h.version);
		EXPECT_EQ(strlen(EXT_KEY), h.key_len);
		EXPECT_EQ(strlen(EXT_VALUE), h.value_len);
		EXPECT_EQ(0, memcmp(self->out + sizeof(h), EXT_KEY EXT_VALUE,
				    strlen(EXT_KEY EXT_VALUE)));
		EXPECT_EQ(!mutating, oh_present_str(self->fd, EXT_KEY)) {
			TH_LOG("%s: DUMP_DELETE=%d left the key wrong",
			       what, mutating);
		}
		break;
	}
	case EXT_BATCH: {
		const struct objhash_batch *a = arg;

		EXPECT_EQ(1, a->done) TH_LOG("%s: done %u", what, a->done);
		EXPECT_EQ(0, a->failed);
		EXPECT_EQ(0, self->op.result) {
			TH_LOG("%s: the op failed %d", what, self->op.result);
		}
		if (mutating) {
			EXPECT_EQ(1, oh_present_str(self->fd, EXT_NEW));
			EXPECT_EQ(self->st0.version + 1, self->op.version);
		} else {
			EXPECT_EQ(strlen(EXT_VALUE), self->op.value_len);
			EXPECT_EQ(self->key_version, self->op.version);
			EXPECT_EQ(0, memcmp(self->out, EXT_VALUE,
					    strlen(EXT_VALUE)));
		}
		break;
	}
	}
}

/* Sizes below the first published size: EINVAL, struct not written. */
TEST_F(objhash_cmd, size_too_small)
{
	const size_t sizes[] = { 0, 8, variant->size0 - 8, variant->size0 - 1 };
	unsigned char copy[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		int ret;

		build_arg(self, variant, self->page, 4096, true);
		if (variant->kind == EXT_STATS)
			memset(self->page, 0xff, 4096);
		memcpy(copy, self->page, sizeof(copy));
		ret = oh_ioctl(self->fd, cmd_sized(variant, sizes[i]),
			       self->page);
		EXPECT_EQ(-EINVAL, ret) {
			TH_LOG("size %zu: got %d", sizes[i], ret);
		}
		EXPECT_EQ(0, memcmp(copy, self->page, sizeof(copy))) {
			TH_LOG("size %zu: the struct was written", sizes[i]);
		}
		expect_unchanged(_metadata, self, "too small");
	}
}

/* Larger sizes with a zero tail work like the known struct. */
TEST_F(objhash_cmd, size_larger_zero_tail)
{
	const size_t psz = sysconf(_SC_PAGESIZE);
	const size_t sizes[] = { variant->size0 + 8, variant->size0 + 64,
				 psz };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		char what[32];
		int ret;

		snprintf(what, sizeof(what), "size %zu", sizes[i]);
		ASSERT_EQ(0, reset_table(self));
		build_arg(self, variant, self->page, 2 * psz, true);
		ret = oh_ioctl(self->fd, cmd_sized(variant, sizes[i]),
			       self->page);
		EXPECT_EQ(0, ret) {
			TH_LOG("%s: got %d", what, ret);
		}
		if (!ret)
			expect_effect(_metadata, self, variant, self->page,
				      true, what);
	}
}

/*
 * Larger sizes with a nonzero tail: E2BIG and nothing done for input
 * structs; STATS ignores what the caller had there and zero-fills it.
 */
TEST_F(objhash_cmd, size_larger_nonzero_tail)
{
	const size_t extra[] = { 8, 64, 1000 };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(extra); i++) {
		/* STATS: from its first size; the others: past what is known */
		size_t base = variant->kind == EXT_STATS ? variant->size0 :
			      variant->known;
		size_t size = base + extra[i];
		unsigned char *tail = (unsigned char *)self->page + base;
		char what[48];
		int ret;

		snprintf(what, sizeof(what), "size %zu, last byte set", size);
		ASSERT_EQ(0, reset_table(self));
		build_arg(self, variant, self->page, 4096, true);
		if (variant->kind == EXT_STATS)
			memset(self->page, 0xff, 4096);
		else
			tail[extra[i] - 1] = 0x01;
		ret = oh_ioctl(self->fd, cmd_sized(variant, size), self->page);
		if (variant->kind != EXT_STATS) {
			EXPECT_EQ(-E2BIG, ret) {
				TH_LOG("%s: got %d", what, ret);
			}
			expect_unchanged(_metadata, self, what);
			continue;
		}
		ASSERT_EQ(0, ret) {
			TH_LOG("%s: STATS got %d", what, ret);
		}
		expect_effect(_metadata, self, variant, self->page, true, what);
		/* the fields the module knows past VER0 are its to fill */
		for (j = sizeof(struct objhash_stats) - variant->size0;
		     j < extra[i]; j++)
			EXPECT_EQ(0, tail[j]) {
				TH_LOG("%s: tail byte %zu not zero-filled",
				       what, j);
			}
		/* past the caller's size nothing is written */
		EXPECT_EQ(0xff, tail[extra[i]]);
	}
	if (variant->kind == EXT_STATS)
		return;
	/* first tail byte set */
	ASSERT_EQ(0, reset_table(self));
	build_arg(self, variant, self->page, 4096, true);
	self->page[variant->known] = (char)0x80;
	EXPECT_EQ(-E2BIG, oh_ioctl(self->fd,
				   cmd_sized(variant, variant->known + 8),
				   self->page));
	expect_unchanged(_metadata, self, "first tail byte set");
}

/* Above PAGE_SIZE: E2BIG even with a zero tail. */
TEST_F(objhash_cmd, size_above_page)
{
	const size_t psz = sysconf(_SC_PAGESIZE);
	const size_t sizes[] = { psz + 8, psz + 1, _IOC_SIZEMASK };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		int ret;

		build_arg(self, variant, self->page, 3 * psz, true);
		ret = oh_ioctl(self->fd, cmd_sized(variant, sizes[i]),
			       self->page);
		EXPECT_EQ(-E2BIG, ret) {
			TH_LOG("size %zu: got %d", sizes[i], ret);
		}
		expect_unchanged(_metadata, self, "above PAGE_SIZE");
	}
}

/* A struct pointer the kernel cannot read: EFAULT, nothing done. */
TEST_F(objhash_cmd, efault_struct)
{
	unsigned long cmd = cmd_sized(variant, variant->size0);
	void *bad = oh_unmapped_addr();
	char *guard = oh_map_guarded_page();
	const size_t psz = sysconf(_SC_PAGESIZE);

	ASSERT_NE(NULL, bad);
	ASSERT_NE(NULL, guard);
	EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, cmd, NULL));
	expect_unchanged(_metadata, self, "NULL struct");
	EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, cmd, bad));
	expect_unchanged(_metadata, self, "unmapped struct");
	/* struct straddling into an unmapped page */
	memset(guard + psz - 8, 0, 8);
	EXPECT_EQ(-EFAULT, oh_ioctl(self->fd, cmd, guard + psz - 8));
	expect_unchanged(_metadata, self, "half-mapped struct");
	munmap(guard, psz);
}

/*
 * A read-only struct: the module cannot write its outputs back, so it
 * must fail EFAULT before changing anything.  DELETE writes nothing back:
 * it may succeed, but then it must have done its job.
 */
TEST_F(objhash_cmd, readonly_struct)
{
	const size_t psz = sysconf(_SC_PAGESIZE);
	char *ro = mmap(NULL, psz, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret;

	ASSERT_NE(MAP_FAILED, ro);
	build_arg(self, variant, ro, psz, true);
	ASSERT_EQ(0, mprotect(ro, psz, PROT_READ));
	ret = oh_ioctl(self->fd, cmd_sized(variant, variant->size0), ro);
	if (variant->has_output) {
		EXPECT_EQ(-EFAULT, ret);
		expect_unchanged(_metadata, self, "read-only struct");
	} else if (ret == 0) {
		expect_effect(_metadata, self, variant, ro, true,
			      "read-only struct");
	} else {
		EXPECT_EQ(-EFAULT, ret);
		expect_unchanged(_metadata, self, "read-only struct");
	}
	munmap(ro, psz);
}

/* Open a second fd with @mode and run the variant's command on it. */
static int run_on_fd(FIXTURE_DATA(objhash_cmd) *self,
		     const FIXTURE_VARIANT(objhash_cmd) *variant, int mode,
		     bool mutating, void *arg)
{
	int fd = open(OBJHASH_DEV, mode);
	int ret;

	if (fd < 0)
		return -1000 - errno;
	if (arg)
		build_arg(self, variant, arg, variant->size0, mutating);
	ret = oh_ioctl(fd, cmd_sized(variant, variant->size0), arg);
	close(fd);
	return ret;
}

TEST_F(objhash_cmd, access_rdonly)
{
	int ret = run_on_fd(self, variant, O_RDONLY, false, self->page);

	if (variant->needs_write) {
		EXPECT_EQ(-EBADF, ret);
		expect_unchanged(_metadata, self, "O_RDONLY");
	} else {
		ASSERT_EQ(0, ret);
		expect_effect(_metadata, self, variant, self->page, false,
			      "O_RDONLY");
	}
	if (variant->kind == EXT_LOOKUP || variant->kind == EXT_DUMP) {
		ret = run_on_fd(self, variant, O_RDONLY, true, self->page);
		EXPECT_EQ(-EBADF, ret) {
			TH_LOG("LOOKUP_DELETE/DUMP_DELETE on an O_RDONLY fd: got %d",
			       ret);
		}
		expect_unchanged(_metadata, self, "O_RDONLY LOOKUP_DELETE");
	}
	if (variant->kind == EXT_BATCH) {
		/* the call works; its INSERT op is the one refused */
		ret = run_on_fd(self, variant, O_RDONLY, true, self->page);
		EXPECT_EQ(0, ret);
		EXPECT_EQ(-EBADF, self->op.result);
		EXPECT_EQ(1, ((struct objhash_batch *)self->page)->failed);
		expect_unchanged(_metadata, self, "O_RDONLY BATCH INSERT");
	}
}

TEST_F(objhash_cmd, access_wronly)
{
	int ret = run_on_fd(self, variant, O_WRONLY, true, self->page);

	if (variant->needs_read) {
		EXPECT_EQ(-EBADF, ret);
		expect_unchanged(_metadata, self, "O_WRONLY");
		if (variant->kind == EXT_STATS)
			EXPECT_EQ(0, ((struct objhash_stats *)self->page)->buckets);
	} else {
		ASSERT_EQ(0, ret);
		expect_effect(_metadata, self, variant, self->page, true,
			      "O_WRONLY");
	}
	if (variant->kind == EXT_BATCH) {
		/* a LOOKUP op on a write-only fd */
		ASSERT_EQ(0, reset_table(self));
		ret = run_on_fd(self, variant, O_WRONLY, false, self->page);
		EXPECT_EQ(0, ret);
		EXPECT_EQ(-EBADF, self->op.result);
		expect_unchanged(_metadata, self, "O_WRONLY BATCH LOOKUP");
	}
}

TEST_F(objhash_cmd, access_rdwr)
{
	int ret = run_on_fd(self, variant, O_RDWR, true, self->page);

	ASSERT_EQ(0, ret);
	expect_effect(_metadata, self, variant, self->page, true, "O_RDWR");
}

/* EBADF is checked before the struct is read or its size looked at. */
TEST_F(objhash_cmd, access_checked_first)
{
	int mode = variant->needs_write ? O_RDONLY : O_WRONLY;
	int fd;

	if (variant->kind == EXT_BATCH)
		return;		/* any fd may BATCH: its ops are checked */
	fd = open(OBJHASH_DEV, mode);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBADF, oh_ioctl(fd, cmd_sized(variant, variant->size0),
				   NULL)) {
		TH_LOG("NULL struct on a fd without access: not EBADF");
	}
	EXPECT_EQ(-EBADF, oh_ioctl(fd, cmd_sized(variant, variant->size0 - 8),
				   self->page)) {
		TH_LOG("short struct on a fd without access: not EBADF");
	}
	close(fd);
	expect_unchanged(_metadata, self, "no access");
}

OBJHASH_TEST_MAIN
