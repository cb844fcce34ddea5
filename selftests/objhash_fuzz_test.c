// SPDX-License-Identifier: GPL-2.0
/*
 * objhash ioctl fuzzer.  For a bounded time, several threads throw at
 * /dev/objhash (DUMP and BATCH included: dump buffers, cursors kept from
 * earlier calls or forged, version filters, drains; op arrays of random
 * ops with random op sizes and counts, arrays that run into a PROT_NONE
 * page or sit in a read-only one; PURGE prefixes):
 *  - commands: ours with random direction and size (0..16383), every
 *    number around ours under our magic, neighbouring and random magics
 *    (commands the VFS itself handles, e.g. FIONBIO or FS_IOC_GETFLAGS,
 *    are left out: their errnos are not the module's);
 *  - structs: valid ones with one to three fields mutated (flags, reserved,
 *    lengths, versions, pointers), random bytes, extended sizes with zero
 *    or non-zero tails;
 *  - pointers: NULL, kernel addresses, non-canonical, unmapped, a read-only
 *    mapping, buffers that straddle into a PROT_NONE page, valid ones;
 *  - fds: O_RDONLY, O_WRONLY, O_RDWR, O_PATH and closed ones.
 * Every ioctl must fail, if at all, with an errno of the documented set.
 * Afterwards the table must still work (insert/lookup/delete round trip),
 * the stats deltas must match the calls that succeeded, and a PURGE_WAIT
 * must leave objects, bytes and pending_release at 0.  The kernel itself
 * is watched by the runner (vm-run fails on any splat).
 *
 * Knobs: OBJHASH_FUZZ_SECONDS (default 10), OBJHASH_FUZZ_THREADS (3),
 * OBJHASH_FUZZ_BATCH (1; 0 leaves BATCH out),
 * OBJHASH_FUZZ_SEED (printed; set it to replay a run's choices).
 */
#define _GNU_SOURCE
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define MAX_THREADS	16
#define DATA_PAGES	34		/* keys, then values up to 132 KiB */
/* MAX_THREADS slices of 4 pages (a struct up to 16383 bytes), then data */
#define ARENA_PAGES	(MAX_THREADS * 4 + DATA_PAGES)
#define NR_KEYS		16
#define OWN_PAGES	16		/* per thread: dump buffer, ops array */
#define MAX_OPS		64
/*
 * Op arrays live apart from every buffer the kernel writes values or
 * records into: a LOOKUP op whose value lands on later ops of its batch
 * would turn stored bytes into ops that aim the kernel anywhere.
 */
#define OPS_PAGES	4

static unsigned int opt_seconds = 10;
static unsigned int opt_threads = 3;
/*
 * Floor per thread: calls, and at least one successful INSERT, one
 * EFAULT and one ENOTTY (the fuzzer reached the table, bad pointers and
 * bad commands).  The run lasts until every thread is at its floor and
 * opt_seconds have passed; past opt_deadline the test fails.
 */
static unsigned long opt_calls = 500;
static unsigned int opt_deadline = 300;
static unsigned long long opt_seed;
static unsigned int opt_batch;

static __u64 rng_next(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static __u32 rnd(__u64 *s, __u32 n)
{
	return n ? (__u32)((rng_next(s) >> 32) % n) : 0;
}

/* Commands the VFS answers before the driver: not ours to judge. */
static bool vfs_owned(unsigned int cmd)
{
	static const unsigned int cmds[] = {
		FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE, FIFREEZE,
		FITHAW, FS_IOC_FIEMAP, FIGETBSZ, FICLONE, FICLONERANGE,
		FIDEDUPERANGE, FIONREAD, FS_IOC_GETFLAGS, FS_IOC_SETFLAGS,
		FS_IOC_FSGETXATTR, FS_IOC_FSSETXATTR, FIBMAP,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (cmd == cmds[i])
			return true;
	return false;
}

static bool errno_documented(int err)
{
	switch (err) {
	case ENOTTY: case EINVAL: case E2BIG: case EFAULT: case EBADF:
	case ENOENT: case EEXIST: case ESTALE: case ERANGE: case EMSGSIZE:
	case ENOSPC: case ENOMEM: case EOVERFLOW:
		return true;
	}
	return false;
}

/* Memory every thread aims its pointers at. */
struct mem {
	unsigned char *arena;		/* ARENA_PAGES read-write pages ... */
	unsigned char *guard;		/* ... then one PROT_NONE page */
	unsigned char *ro;		/* a read-only page */
	void *unmapped;
	long psz;
};

static int mem_setup(struct mem *m)
{
	m->psz = sysconf(_SC_PAGESIZE);
	m->arena = mmap(NULL, (ARENA_PAGES + 1) * m->psz,
			PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (m->arena == MAP_FAILED)
		return -errno;
	m->guard = m->arena + ARENA_PAGES * m->psz;
	if (mprotect(m->guard, m->psz, PROT_NONE))
		return -errno;
	m->ro = mmap(NULL, m->psz, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->ro == MAP_FAILED)
		return -errno;
	memset(m->ro, 0, m->psz);
	/* a plausible key at the start of the read-only page */
	memcpy(m->ro, "fuzz-key-0", 10);
	if (mprotect(m->ro, m->psz, PROT_READ))
		return -errno;
	/*
	 * Below mmap_min_addr: never mapped.  (A page mapped and unmapped
	 * again would be reused by the threads' stacks, and the fuzzer would
	 * have the kernel write into them.)
	 */
	m->unmapped = (void *)0x1000;
	return 0;
}

/* Counts of one thread. */
struct counts {
	unsigned long calls;
	unsigned long ok;
	unsigned long err[256];		/* by errno */
	unsigned long bad;		/* errno outside the documented set */
	unsigned long insert_ok;	/* INSERT that returned 0 */
	unsigned long delete_ok;	/* DELETE and LOOKUP_DELETE that returned 0 */
	unsigned long purged;		/* sum of successful PURGE's purged */
	unsigned long ours;		/* calls with one of our seven commands */
	unsigned long dumps_ok;		/* DUMP calls that returned 0 */
	unsigned long batch_ops;	/* BATCH ops run (done) */
	unsigned long bad_records;	/* DUMP output that does not parse */
	char first_bad[160];
};

struct worker {
	pthread_t tid;
	unsigned int id;
	__u64 rng;
	atomic_bool *stop;
	int fds[5];			/* RDONLY, WRONLY, RDWR, PATH, closed */
	struct mem *m;
	unsigned char *structbuf;	/* this thread's slice of the arena */
	unsigned char *databuf;		/* keys and values, 64 KiB+ */
	unsigned char *own;		/* OWN_PAGES of its own, then PROT_NONE */
	unsigned char *opsmem;		/* OPS_PAGES for op arrays, then PROT_NONE */
	__u64 cursor[OBJHASH_CURSOR_WORDS];	/* from its last good DUMP */
	struct counts c;
	atomic_bool at_floor;
};

static const unsigned int our_cmds[] = {
	OBJHASH_IOC_INSERT, OBJHASH_IOC_LOOKUP, OBJHASH_IOC_DELETE,
	OBJHASH_IOC_PURGE, OBJHASH_IOC_STATS, OBJHASH_IOC_DUMP,
	OBJHASH_IOC_BATCH,
};

/* A user pointer of some kind, for @len bytes. */
static __u64 pick_ptr(struct worker *w, __u32 len, bool key)
{
	struct mem *m = w->m;
	__u32 k = rnd(&w->rng, 40);

	/*
	 * Pointers below the guard stay within the arena's data: a huge
	 * length must not aim the kernel's writes at a thread's stack.
	 */
	if (len > 65536)
		len = 65536;
	switch (k) {
	case 0: return 0;
	case 1: return 0xffffffff81000000ULL;
	case 2: return 0xffff888000000000ULL + rnd(&w->rng, 1 << 20) * 4096ULL;
	case 3: return 0x8000000000000000ULL;
	case 4: return oh_ptr(m->unmapped);
	case 5: return oh_ptr(m->ro);
	case 6: /* its last 1 to 64 bytes are in the PROT_NONE page */
		return oh_ptr(m->guard) - len + 1 + rnd(&w->rng, len < 64 ? len : 64);
	case 7: /* ends exactly at the guard page */
		return oh_ptr(m->guard) - len;
	case 8: return rng_next(&w->rng);
	case 9: return oh_ptr(m->guard) + rnd(&w->rng, 4096);
	default:
		return oh_ptr(key ? w->databuf + rnd(&w->rng, 4) :
			      w->databuf + 4096);
	}
}

static __u32 pick_len(struct worker *w, bool key)
{
	switch (rnd(&w->rng, 12)) {
	case 0: return 0;
	case 1: return key ? OBJHASH_KEY_MAX : 65536;
	case 2: return key ? OBJHASH_KEY_MAX + 1 : 65537;
	case 3: return 0xffffffffU;
	case 4: return 1U << rnd(&w->rng, 32);
	case 5: return OBJHASH_VALUE_MAX + rnd(&w->rng, 3) - 1;
	default:
		return key ? 6 + rnd(&w->rng, 6) : rnd(&w->rng, 300) +
			(rnd(&w->rng, 4) ? 0 : rnd(&w->rng, 20000));
	}
}

static __u32 pick_flags(struct worker *w)
{
	switch (rnd(&w->rng, 6)) {
	case 0: return (__u32)rng_next(&w->rng);
	case 1: return 1U << rnd(&w->rng, 32);
	default: return rnd(&w->rng, 4);
	}
}

static __u64 pick_u64(struct worker *w)
{
	switch (rnd(&w->rng, 5)) {
	case 0: return 0;
	case 1: return rng_next(&w->rng);
	case 2: return ~0ULL;
	default: return rnd(&w->rng, 100000);
	}
}

/*
 * A PROT_NONE reservation below each of the thread's buffers: whatever
 * is mapped next (a thread's stack, whose top holds its TLS) is not right
 * below a buffer the kernel writes into.
 */
static void gap_guard(long psz)
{
	mmap(NULL, 256 * psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* A buffer of the thread's own for @len bytes, or a bad one. */
static __u64 pick_own(struct worker *w, __u32 len)
{
	long psz = w->m->psz;
	unsigned char *end = w->own + OWN_PAGES * psz;

	switch (rnd(&w->rng, 12)) {
	case 0: return 0;
	case 1: return oh_ptr(w->m->ro);
	case 2: return oh_ptr(w->m->unmapped);
	case 3: /* runs into the PROT_NONE page after it */
		return oh_ptr(end - (len > 1 ? 1 + rnd(&w->rng, len < 4096 ?
							   len : 4096) : 0));
	case 4: return 0xffff888000000000ULL;
	default:
		return oh_ptr(w->own);
	}
}

/* DUMP: a buffer, flags, a cursor fresh, kept or forged, version filters. */
static void make_dump(struct worker *w, unsigned char *buf, __u32 size,
		      unsigned int mut)
{
	static const __u32 flagsets[] = {
		0, OBJHASH_DUMP_KEYS_ONLY, OBJHASH_DUMP_DELETE,
		OBJHASH_DUMP_VERSIONS, OBJHASH_DUMP_KEYS_ONLY | OBJHASH_DUMP_DELETE,
	};
	struct objhash_dump a = {
		.buf_len = rnd(&w->rng, 3) ? rnd(&w->rng, OWN_PAGES * 4096) :
			   rnd(&w->rng, 200),
		.flags = flagsets[rnd(&w->rng, ARRAY_SIZE(flagsets))],
		.max_records = rnd(&w->rng, 2) ? 0 : rnd(&w->rng, 10),
	};
	unsigned int i;

	a.buf = oh_ptr(w->own);
	if (rnd(&w->rng, 2))
		memcpy(a.cursor, w->cursor, sizeof(a.cursor));
	if (a.flags & OBJHASH_DUMP_VERSIONS) {
		a.min_version = rnd(&w->rng, 2) ? 0 : pick_u64(w);
		a.max_version = rnd(&w->rng, 2) ? 0 : pick_u64(w);
	}
	for (i = 0; i < mut; i++) {
		switch (rnd(&w->rng, 8)) {
		case 0: a.buf = pick_own(w, a.buf_len); break;
		case 1: a.buf_len = pick_len(w, false); break;
		case 2: a.flags = pick_flags(w); break;
		case 3: a.cursor[rnd(&w->rng, 4)] ^= 1ULL << rnd(&w->rng, 64);
			break;
		case 4: a.cursor[rnd(&w->rng, 4)] = rng_next(&w->rng); break;
		case 5: a.min_version = pick_u64(w); break;
		case 6: a.max_version = pick_u64(w); break;
		case 7: a.max_records = pick_len(w, false); break;
		}
	}
	memcpy(buf, &a, size < sizeof(a) ? size : sizeof(a));
}

/* BATCH: up to MAX_OPS random ops at the end of the thread's own pages. */
static void make_batch(struct worker *w, unsigned char *buf, __u32 size,
		       unsigned int mut)
{
	long psz = w->m->psz;
	__u32 opsz = rnd(&w->rng, 4) ? sizeof(struct objhash_batch_op) :
		     sizeof(struct objhash_batch_op) + 8 * rnd(&w->rng, 10);
	struct objhash_batch a = {
		.count = rnd(&w->rng, MAX_OPS + 1),
		.op_size = opsz,
		.flags = rnd(&w->rng, 3) ? 0 : OBJHASH_BATCH_STOP_ON_ERROR,
	};
	unsigned char *opsend = w->opsmem + OPS_PAGES * psz;
	unsigned char *ops = opsend - MAX_OPS * 200;
	unsigned int i;

	memset(ops, 0, MAX_OPS * 200);
	for (i = 0; i < a.count; i++) {
		struct objhash_batch_op o = {
			.op = 1 + rnd(&w->rng, 3),
			.key = oh_ptr(w->databuf + rnd(&w->rng, 4)),
			.key_len = 6 + rnd(&w->rng, 6),
			.value = oh_ptr(w->databuf + 4096),
			.value_len = rnd(&w->rng, 300),
		};

		if (o.op == OBJHASH_BATCH_INSERT)
			o.flags = rnd(&w->rng, 4);
		else if (o.op == OBJHASH_BATCH_LOOKUP) {
			/* into the dump half of the own pages */
			o.value = oh_ptr(w->own);
			o.flags = rnd(&w->rng, 6) ? 0 : OBJHASH_LOOKUP_DELETE;
		}
		switch (rnd(&w->rng, 12)) {
		case 0: o.key = pick_own(w, o.key_len); break;
		case 1: o.value = pick_own(w, o.value_len); break;
		case 2: o.key_len = pick_len(w, true); break;
		case 3: o.value_len = pick_len(w, false); break;
		case 4: o.flags = pick_flags(w); break;
		case 5: o.op = rng_next(&w->rng); break;
		case 6: o.reserved = 1; break;
		case 7: o.expect_version = pick_u64(w); break;
		}
		memcpy(ops + i * opsz, &o, sizeof(o));
		if (opsz > sizeof(o) && !rnd(&w->rng, 8))
			ops[i * opsz + sizeof(o) + rnd(&w->rng, opsz - sizeof(o))] = 1;
	}
	a.ops = oh_ptr(ops);
	for (i = 0; i < mut; i++) {
		switch (rnd(&w->rng, 7)) {
		case 0: /* a bad array, or the good one */
			a.ops = pick_own(w, a.count * opsz);
			if (a.ops == oh_ptr(w->own))
				a.ops = oh_ptr(ops);
			else if (a.ops >= oh_ptr(w->own) &&
				 a.ops < oh_ptr(w->own) + OWN_PAGES * psz)
				a.ops = oh_ptr(opsend - (oh_ptr(w->own) +
					OWN_PAGES * psz - a.ops));
			break;
		case 1: /* the array runs into the PROT_NONE page (from at
			 * most MAX_OPS ops before it: never below opsmem) */
			a.ops = oh_ptr(opsend - rnd(&w->rng, (a.count < MAX_OPS ?
							   a.count : MAX_OPS) + 1) *
				       opsz);
			break;
		case 2: a.count = pick_len(w, false); break;
		case 3: a.op_size = pick_len(w, true); break;
		case 4: a.flags = pick_flags(w); break;
		case 5: a.reserved = (__u32)rng_next(&w->rng); break;
		case 6: a.done = (__u32)rng_next(&w->rng); break;
		}
	}
	memcpy(buf, &a, size < sizeof(a) ? size : sizeof(a));
}

/* Fill @buf with a mostly valid struct for @nr (1..7), then mutate it. */
static void make_struct(struct worker *w, unsigned int nr, unsigned char *buf,
			__u32 size)
{
	unsigned int mut = rnd(&w->rng, 4), i;
	__u32 klen = 6 + rnd(&w->rng, 6);

	memset(buf, 0, size);
	if (rnd(&w->rng, 20) == 0) {
		for (i = 0; i < size; i++)
			buf[i] = (unsigned char)rng_next(&w->rng);
		return;
	}
	switch (nr) {
	case 1: {
		struct objhash_insert a = {
			.key = oh_ptr(w->databuf + rnd(&w->rng, 4)),
			.value = oh_ptr(w->databuf + 4096),
			.key_len = klen,
			.value_len = rnd(&w->rng, 300) +
				(rnd(&w->rng, 4) ? 0 : rnd(&w->rng, 20000)),
			.flags = rnd(&w->rng, 4),
		};
		for (i = 0; i < mut; i++) {
			switch (rnd(&w->rng, 7)) {
			case 0: a.key = pick_ptr(w, a.key_len, true); break;
			case 1: a.value = pick_ptr(w, a.value_len, false); break;
			case 2: a.key_len = pick_len(w, true); break;
			case 3: a.value_len = pick_len(w, false); break;
			case 4: a.flags = pick_flags(w); break;
			case 5: a.reserved = (__u32)rng_next(&w->rng); break;
			case 6: a.expect_version = pick_u64(w); break;
			}
		}
		memcpy(buf, &a, size < sizeof(a) ? size : sizeof(a));
		break;
	}
	case 2: {
		struct objhash_lookup a = {
			.key = oh_ptr(w->databuf + rnd(&w->rng, 4)),
			.value = oh_ptr(w->databuf + 4096),
			.key_len = klen,
			.value_len = rnd(&w->rng, 3) ? 65536 : rnd(&w->rng, 400),
			.flags = rnd(&w->rng, 8) ? 0 : OBJHASH_LOOKUP_DELETE,
		};
		for (i = 0; i < mut; i++) {
			switch (rnd(&w->rng, 6)) {
			case 0: a.key = pick_ptr(w, a.key_len, true); break;
			case 1: a.value = pick_ptr(w, a.value_len, false); break;
			case 2: a.key_len = pick_len(w, true); break;
			case 3: a.value_len = pick_len(w, false); break;
			case 4: a.flags = pick_flags(w); break;
			case 5: a.reserved = (__u32)rng_next(&w->rng); break;
			}
		}
		memcpy(buf, &a, size < sizeof(a) ? size : sizeof(a));
		break;
	}
	case 3: {
		struct objhash_delete a = {
			.key = oh_ptr(w->databuf + rnd(&w->rng, 4)),
			.key_len = klen,
		};
		for (i = 0; i < mut; i++) {
			switch (rnd(&w->rng, 4)) {
			case 0: a.key = pick_ptr(w, a.key_len, true); break;
			case 1: a.key_len = pick_len(w, true); break;
			case 2: a.flags = pick_flags(w); break;
			case 3: a.expect_version = pick_u64(w); break;
			}
		}
		memcpy(buf, &a, size < sizeof(a) ? size : sizeof(a));
		break;
	}
	case 4: {
		struct objhash_purge a = {
			.flags = rnd(&w->rng, 4) ? 0 : OBJHASH_PURGE_WAIT,
			.max_version = pick_u64(w),
		};
		if (rnd(&w->rng, 2)) {	/* "f", "fu", ... of the keys */
			a.prefix_len = 1 + rnd(&w->rng, 11);
			a.prefix = oh_ptr(w->databuf);
		}
		for (i = 0; i < mut; i++) {
			switch (rnd(&w->rng, 6)) {
			case 0: a.flags = pick_flags(w); break;
			case 1: a.reserved = (__u32)rng_next(&w->rng); break;
			case 2: a.purged = rng_next(&w->rng); break;
			case 3: a.prefix = pick_ptr(w, a.prefix_len, true); break;
			case 4: a.prefix_len = pick_len(w, true); break;
			case 5: a.reserved2 = (__u32)rng_next(&w->rng); break;
			}
		}
		memcpy(buf, &a, size < sizeof(a) ? size : sizeof(a));
		break;
	}
	case 6:
		make_dump(w, buf, size, mut);
		break;
	case 7:
		make_batch(w, buf, size, mut);
		break;
	default:
		for (i = 0; i < size && i < 128; i++)
			buf[i] = (unsigned char)rng_next(&w->rng);
		break;
	}
	/* a non-zero byte past the known struct, sometimes */
	if (size > 128 && rnd(&w->rng, 3) == 0)
		buf[128 + rnd(&w->rng, size - 128)] = 1 + rnd(&w->rng, 255);
}

/* A command number: ours, ours bent, our magic, or other magics. */
static unsigned int pick_cmd(struct worker *w)
{
	static const unsigned int magics[] = {
		OBJHASH_IOC_MAGIC - 1, OBJHASH_IOC_MAGIC + 1, 0, 'T', 'f',
		'X', 0x94, 0xff,
	};
	unsigned int cmd, dir, nr, size, type;

	do {
		cmd = our_cmds[rnd(&w->rng, ARRAY_SIZE(our_cmds))];
		dir = _IOC_DIR(cmd);
		nr = _IOC_NR(cmd);
		size = _IOC_SIZE(cmd);
		type = OBJHASH_IOC_MAGIC;
		switch (rnd(&w->rng, 10)) {
		case 0: case 1: case 2: case 3:
			break;				/* as published */
		case 4:					/* extended size */
			size += rnd(&w->rng, 2) ? rnd(&w->rng, 64) * 8 :
				rnd(&w->rng, 16384 - size);
			break;
		case 5:
			size = rnd(&w->rng, 16384);
			break;
		case 6:
			dir = rnd(&w->rng, 4);
			break;
		case 7:
			nr = rnd(&w->rng, 2) ? rnd(&w->rng, 16) : rnd(&w->rng, 256);
			dir = rnd(&w->rng, 4);
			size = rnd(&w->rng, 2) ? size : rnd(&w->rng, 16384);
			break;
		case 8:
			type = magics[rnd(&w->rng, ARRAY_SIZE(magics))];
			break;
		default:
			cmd = (unsigned int)rng_next(&w->rng);
			return vfs_owned(cmd) ? OBJHASH_IOC_STATS : cmd;
		}
		cmd = _IOC(dir, type, nr, size);
	} while (vfs_owned(cmd));
	return cmd;
}

static bool cmd_is(unsigned int cmd, unsigned int nr, unsigned int dir)
{
	return _IOC_TYPE(cmd) == OBJHASH_IOC_MAGIC && _IOC_NR(cmd) == nr &&
	       _IOC_DIR(cmd) == dir;
}

static void note_bad(struct worker *w, const char *fmt, unsigned long a,
		     unsigned long b)
{
	w->c.bad++;
	if (!w->c.first_bad[0])
		snprintf(w->c.first_bad, sizeof(w->c.first_bad), fmt, a, b);
}

/* A DUMP that returned 0: records parse, drains count as deletes. */
static void count_dump(struct worker *w, const struct objhash_dump *a)
{
	const unsigned char *buf = (const void *)(uintptr_t)a->buf;
	__u32 off = 0, n = 0;

	w->c.dumps_ok++;
	if (a->flags & OBJHASH_DUMP_DELETE)
		w->c.delete_ok += a->records;
	memcpy(w->cursor, a->cursor, sizeof(w->cursor));
	if (a->bytes > a->buf_len || (a->max_records && a->records > a->max_records))
		note_bad(w, "DUMP: %lu records, %lu bytes", a->records, a->bytes);
	if (buf != w->own || a->bytes > OWN_PAGES * w->m->psz)
		return;
	while (off + sizeof(struct objhash_dump_rec) <= a->bytes) {
		struct objhash_dump_rec h;

		memcpy(&h, buf + off, sizeof(h));
		if (h.rec_len % 8 || h.rec_len < sizeof(h) + h.key_len ||
		    h.rec_len > a->bytes - off)
			break;
		off += h.rec_len;
		n++;
	}
	if (off != a->bytes || n != a->records) {
		w->c.bad_records++;
		note_bad(w, "DUMP: records do not parse: %lu of %lu", n,
			 a->records);
	}
}

/* A BATCH that ran ops: count what the ops that succeeded did. */
static void count_batch(struct worker *w, const struct objhash_batch *a)
{
	const unsigned char *ops = (const void *)(uintptr_t)a->ops;
	const unsigned char *end = w->opsmem + OPS_PAGES * w->m->psz;
	__u32 i;

	if (a->done > a->count) {
		note_bad(w, "BATCH: done %lu of %lu", a->done, a->count);
		return;
	}
	w->c.batch_ops += a->done;
	for (i = 0; i < a->done; i++) {
		struct objhash_batch_op o;
		const unsigned char *p = ops + (size_t)i * a->op_size;

		if (p < w->opsmem || p > end - sizeof(o)) {
			/* ops ran from memory we cannot read back */
			note_bad(w, "BATCH: op %lu ran at %#lx", i,
				 (unsigned long)(uintptr_t)p);
			return;
		}
		memcpy(&o, p, sizeof(o));
		if (o.result)
			continue;
		if (o.op == OBJHASH_BATCH_INSERT)
			w->c.insert_ok++;
		else if (o.op == OBJHASH_BATCH_DELETE ||
			 (o.op == OBJHASH_BATCH_LOOKUP &&
			  o.flags & OBJHASH_LOOKUP_DELETE))
			w->c.delete_ok++;
	}
}

static void count_result(struct worker *w, unsigned int cmd, int ret,
			 void *arg)
{
	struct counts *c = &w->c;

	c->calls++;
	if (arg && (ret == 0 || ret == -EFAULT) &&
	    cmd_is(cmd, 7, _IOC_READ | _IOC_WRITE) &&
	    _IOC_SIZE(cmd) >= OH_BATCH_SIZE0)
		count_batch(w, arg);
	if (ret == 0 && arg && cmd_is(cmd, 6, _IOC_READ | _IOC_WRITE) &&
	    _IOC_SIZE(cmd) >= OH_DUMP_SIZE0)
		count_dump(w, arg);
	if (ret == 0) {
		c->ok++;
		if (!arg)
			return;
		if (cmd == OBJHASH_IOC_INSERT ||
		    (_IOC_TYPE(cmd) == OBJHASH_IOC_MAGIC && _IOC_NR(cmd) == 1 &&
		     _IOC_DIR(cmd) == (_IOC_READ | _IOC_WRITE)))
			c->insert_ok++;
		else if (_IOC_TYPE(cmd) == OBJHASH_IOC_MAGIC &&
			 _IOC_NR(cmd) == 3 && _IOC_DIR(cmd) == _IOC_WRITE)
			c->delete_ok++;
		else if (_IOC_TYPE(cmd) == OBJHASH_IOC_MAGIC &&
			 _IOC_NR(cmd) == 2 && _IOC_DIR(cmd) == (_IOC_READ | _IOC_WRITE) &&
			 (((struct objhash_lookup *)arg)->flags & OBJHASH_LOOKUP_DELETE))
			c->delete_ok++;
		else if (_IOC_TYPE(cmd) == OBJHASH_IOC_MAGIC &&
			 _IOC_NR(cmd) == 4 && _IOC_DIR(cmd) == (_IOC_READ | _IOC_WRITE))
			c->purged += ((struct objhash_purge *)arg)->purged;
		return;
	}
	c->err[-ret & 255]++;
	if (!errno_documented(-ret)) {
		c->bad++;
		if (!c->first_bad[0])
			snprintf(c->first_bad, sizeof(c->first_bad),
				 "cmd %#x (dir %u type %#x nr %u size %u): %s",
				 cmd, _IOC_DIR(cmd), _IOC_TYPE(cmd),
				 _IOC_NR(cmd), _IOC_SIZE(cmd), strerror(-ret));
	}
}

static void fuzz_one(struct worker *w)
{
	unsigned int cmd = pick_cmd(w), sz = _IOC_SIZE(cmd);
	unsigned int nr = _IOC_TYPE(cmd) == OBJHASH_IOC_MAGIC ? _IOC_NR(cmd) : 0;
	unsigned char *arg = w->structbuf;
	int fd = w->fds[rnd(&w->rng, 10) < 7 ? 2 : rnd(&w->rng, 5)];
	void *argp = arg;
	bool readable_arg = true;
	int ret;

	if (nr >= 1 && nr <= 7)
		w->c.ours++;
	/* OBJHASH_FUZZ_BATCH=0 leaves BATCH out */
	if (nr == 7 && !opt_batch)
		nr = 5, cmd = OBJHASH_IOC_STATS, sz = _IOC_SIZE(cmd);
	/* PURGE and DUMP walk every bucket: keep them rarer */
	if ((nr == 4 && rnd(&w->rng, 8)) || (nr == 6 && rnd(&w->rng, 2)))
		nr = 5, cmd = OBJHASH_IOC_STATS, sz = _IOC_SIZE(cmd);
	make_struct(w, nr, arg, sz);
	switch (rnd(&w->rng, 16)) {
	case 0: argp = NULL; readable_arg = false; break;
	case 1: argp = (void *)0xffffffff81000000UL; readable_arg = false; break;
	case 2: argp = w->m->unmapped; readable_arg = false; break;
	case 3: argp = w->m->ro; readable_arg = false; break;
	case 4: /* the struct runs into the PROT_NONE page */
		argp = w->m->guard - (sz > 1 ? 1 + rnd(&w->rng, sz - 1) : 0);
		readable_arg = false;
		break;
	}
	ret = ioctl(fd, cmd, argp) < 0 ? -errno : 0;
	/* ret == 0 with an unreadable struct: only commands that take none */
	count_result(w, cmd, ret, readable_arg ? arg : NULL);
	if (!ret && !readable_arg &&
	    ((nr >= 1 && nr <= 4 && sz >= 24) ||
	     (nr == 6 && sz >= OH_DUMP_SIZE0) ||
	     (nr == 7 && sz >= OH_BATCH_SIZE0)) &&
	    _IOC_TYPE(cmd) == OBJHASH_IOC_MAGIC && _IOC_DIR(cmd) != 0) {
		w->c.bad++;
		if (!w->c.first_bad[0])
			snprintf(w->c.first_bad, sizeof(w->c.first_bad),
				 "cmd %#x succeeded on a bad struct pointer %p",
				 cmd, argp);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
		fuzz_one(w);
		if (!atomic_load_explicit(&w->at_floor, memory_order_relaxed) &&
		    w->c.calls >= opt_calls && w->c.insert_ok &&
		    w->c.err[EFAULT] && w->c.err[ENOTTY])
			atomic_store(&w->at_floor, true);
	}
	return NULL;
}

FIXTURE(fuzz) {
	int fd;				/* O_RDWR, for setup and checks */
	struct mem m;
	struct objhash_stats before;
};

FIXTURE_SETUP(fuzz)
{
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	ASSERT_EQ(0, mem_setup(&self->m));
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &self->before));
}

FIXTURE_TEARDOWN(fuzz)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	close(self->fd);
}

static void round_trip(struct __test_metadata *_metadata, int fd)
{
	char val[600], out[600];
	__u32 len = sizeof(out);
	__u64 v = 0, v2 = 0;
	int i;

	for (i = 0; i < (int)sizeof(val); i++)
		val[i] = (char)(i * 7);
	ASSERT_EQ(0, oh_insert(fd, "fuzz-after", 10, val, sizeof(val), 0, 0, &v));
	ASSERT_EQ(0, oh_lookup(fd, "fuzz-after", 10, out, &len, 0, &v2));
	EXPECT_EQ(sizeof(val), len);
	EXPECT_EQ(v, v2);
	EXPECT_EQ(0, memcmp(val, out, sizeof(val)));
	EXPECT_EQ(0, oh_delete(fd, "fuzz-after", 10, v));
	EXPECT_EQ(0, oh_present(fd, "fuzz-after", 10, NULL, NULL));
}

TEST_F(fuzz, random_ioctls)
{
	struct worker *w = calloc(opt_threads, sizeof(*w));
	struct counts sum = { 0 };
	struct objhash_stats after;
	atomic_bool stop = false;
	unsigned int i, e, under;
	double t0, elapsed;
	__u64 purged = 0;
	int k;

	ASSERT_NE(NULL, w);
	TH_LOG("seed %llu, %u threads, %u s", opt_seed, opt_threads,
	       opt_seconds);
	for (i = 0; i < opt_threads; i++) {
		w[i].id = i;
		w[i].rng = (opt_seed + 1) * 0x9e3779b97f4a7c15ULL + i * 7919 + 1;
		w[i].stop = &stop;
		w[i].m = &self->m;
		w[i].fds[0] = open(OBJHASH_DEV, O_RDONLY);
		w[i].fds[1] = open(OBJHASH_DEV, O_WRONLY);
		w[i].fds[2] = open(OBJHASH_DEV, O_RDWR);
		w[i].fds[3] = open(OBJHASH_DEV, O_PATH);
		w[i].fds[4] = open(OBJHASH_DEV, O_RDONLY);
		for (k = 0; k < 5; k++)
			ASSERT_LE(0, w[i].fds[k]);
		close(w[i].fds[4]);	/* a closed fd number */
		w[i].fds[4] = 1000 + i;
		/* per thread: 4 pages for the struct; keys and values shared */
		w[i].structbuf = self->m.arena + i * self->m.psz * 4;
		w[i].databuf = self->m.arena + MAX_THREADS * 4 * self->m.psz;
		/* its own pages, then a PROT_NONE one */
		gap_guard(self->m.psz);
		w[i].own = mmap(NULL, (OWN_PAGES + 1) * self->m.psz,
				PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, w[i].own);
		ASSERT_EQ(0, mprotect(w[i].own + OWN_PAGES * self->m.psz,
				      self->m.psz, PROT_NONE));
		w[i].opsmem = mmap(NULL, (OPS_PAGES + 1) * self->m.psz,
				   PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, w[i].opsmem);
		gap_guard(self->m.psz);
		ASSERT_EQ(0, mprotect(w[i].opsmem + OPS_PAGES * self->m.psz,
				      self->m.psz, PROT_NONE));
	}
	/* the shared key/value area: a few short keys, then values */
	for (k = 0; k < DATA_PAGES * self->m.psz; k++)
		self->m.arena[MAX_THREADS * 4 * self->m.psz + k] =
			k < 4096 ? "fuzz-key-"[k % 9] : (unsigned char)k;

	t0 = oh_now_s();
	for (i = 0; i < opt_threads; i++)
		ASSERT_EQ(0, pthread_create(&w[i].tid, NULL, worker_main, &w[i]));
	for (;;) {
		for (i = 0, under = 0; i < opt_threads; i++)
			under += !atomic_load(&w[i].at_floor);
		elapsed = oh_now_s() - t0;
		if ((!under && elapsed >= opt_seconds) ||
		    elapsed > opt_deadline)
			break;
		usleep(50000);
	}
	atomic_store(&stop, true);
	for (i = 0; i < opt_threads; i++) {
		ASSERT_EQ(0, pthread_join(w[i].tid, NULL));
		for (k = 0; k < 4; k++)
			close(w[i].fds[k]);
		if (w[i].c.first_bad[0])
			TH_LOG("thread %u: %s", i, w[i].c.first_bad);
		EXPECT_TRUE(atomic_load(&w[i].at_floor)) {
			TH_LOG("thread %u under its floor after %u s: %lu calls, %lu inserts, %lu EFAULT, %lu ENOTTY",
			       i, opt_deadline, w[i].c.calls, w[i].c.insert_ok,
			       w[i].c.err[EFAULT], w[i].c.err[ENOTTY]);
		}
		sum.calls += w[i].c.calls;
		sum.ok += w[i].c.ok;
		sum.bad += w[i].c.bad;
		sum.ours += w[i].c.ours;
		sum.insert_ok += w[i].c.insert_ok;
		sum.delete_ok += w[i].c.delete_ok;
		sum.purged += w[i].c.purged;
		sum.dumps_ok += w[i].c.dumps_ok;
		sum.batch_ops += w[i].c.batch_ops;
		munmap(w[i].own, (OWN_PAGES + 1) * self->m.psz);
		munmap(w[i].opsmem, (OPS_PAGES + 1) * self->m.psz);
		for (e = 0; e < 256; e++)
			sum.err[e] += w[i].c.err[e];
	}

	printf("# fuzz: seed %llu: %lu ioctls (%lu to our commands), %lu ok (%lu inserts, %lu deletes, %lu purged, %lu dumps, %lu batch ops)\n",
	       opt_seed, sum.calls, sum.ours, sum.ok, sum.insert_ok,
	       sum.delete_ok, sum.purged, sum.dumps_ok, sum.batch_ops);
	for (e = 0; e < 256; e++)
		if (sum.err[e])
			printf("# fuzz:   %-10s %lu\n", strerror(e), sum.err[e]);

	EXPECT_EQ(0, sum.bad);
	/* the fuzzer reached DUMP and BATCH, not only their errors */
	EXPECT_LT(0, sum.dumps_ok);
	if (opt_batch)
		EXPECT_LT(0, sum.batch_ops);

	/* still works, and nothing unaccounted */
	round_trip(_metadata, self->fd);
	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, &purged));
	ASSERT_EQ(0, oh_stats(self->fd, &after));
	EXPECT_EQ(0, after.objects);
	EXPECT_EQ(0, after.bytes);
	EXPECT_EQ(0, after.pending_release);
	/* the round trip made one insert and one delete */
	EXPECT_EQ(sum.insert_ok + 1, (after.inserts - self->before.inserts) +
				     (after.replaces - self->before.replaces));
	EXPECT_EQ(sum.delete_ok + 1, after.deletes - self->before.deletes);
	EXPECT_EQ(sum.purged + purged, after.purged - self->before.purged);
	EXPECT_EQ(after.inserts - self->before.inserts,
		  (after.deletes - self->before.deletes) +
		  (after.purged - self->before.purged));
	free(w);
}

int main(int argc, char **argv)
{


	struct __fixture_metadata *f;
	struct __test_metadata *t;

	opt_seconds = oh_env_ulong("OBJHASH_FUZZ_SECONDS", opt_seconds) ?: 1;
	opt_threads = oh_env_ulong("OBJHASH_FUZZ_THREADS", opt_threads);
	opt_calls = oh_env_ulong("OBJHASH_FUZZ_CALLS", opt_calls);
	opt_deadline = oh_env_ulong("OBJHASH_FUZZ_DEADLINE", opt_deadline);
	if (!opt_threads || opt_threads > MAX_THREADS)
		opt_threads = 3;
	opt_seed = oh_env_ulong("OBJHASH_FUZZ_SEED", time(NULL));
	opt_batch = oh_env_ulong("OBJHASH_FUZZ_BATCH", 1);
	if (!oh_device_present())
		ksft_exit_skip(OBJHASH_DEV " not present: load objhash.ko first\n");
	printf("# seed %llu (OBJHASH_FUZZ_SEED)\n", opt_seed);
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout = opt_seconds + opt_deadline + 120;
	return test_harness_run(argc, argv);
}
