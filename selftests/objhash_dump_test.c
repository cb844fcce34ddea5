// SPDX-License-Identifier: GPL-2.0
/*
 * objhash DUMP: the guarantees of struct objhash_dump in the UAPI header.
 *  - a static table comes out exactly once, whatever the buffer size,
 *    max_records and KEYS_ONLY, with the values and versions stored, in
 *    records that parse by rec_len, and a dump ends DONE and stays DONE;
 *  - a record too big for the buffer: ERANGE, needed exact, cursor kept,
 *    and a retry with needed bytes moves on;
 *  - a buffer that faults part-way returns the records before the fault;
 *    a first record that faults is EFAULT with the cursor kept;
 *  - drains (OBJHASH_DUMP_DELETE): access, two concurrent drainers share
 *    the table exactly, an unwritable buffer deletes nothing;
 *  - the version filter, bad flags, forged cursors (EINVAL), cursors of an
 *    earlier load (ESTALE), fd access (EBADF);
 *  - under concurrent inserts, replaces, deletes, re-creates, prefix
 *    purges and resizes (a table grown from 16 buckets and shrunk back
 *    within one dump): stable keys exactly once, no key twice, no unknown
 *    key, no torn value, every record's version the one its value got;
 *  - a rehash (keys forged to collide under a known secret) makes the next
 *    call of a dump begun before fail ESTALE; a dump started over is whole.
 * Concurrent tests run until every side reached its floor; a generous
 * deadline fails them, no test runs for a fixed time.  Threads never
 * ASSERT: they count errors and keep the first message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define REC_HDR		sizeof(struct objhash_dump_rec)	/* 24 */
#define ALIGN8(x)	(((x) + 7) & ~7UL)
#define DEADLINE_S	400
#define LONG_TIMEOUT	(DEADLINE_S + 120)

/* ---- self-describing values -------------------------------------------- */

/* "KEY/GEN/" then a pattern; 0..~700 bytes, some past the 256 copied under RCU */
static __u32 val_make(char *buf, size_t size, const char *key, unsigned int gen)
{
	unsigned int n = snprintf(buf, size, "%s/%u/", key, gen), i, len;

	len = n + (gen * 131 + strlen(key) * 17 + key[strlen(key) - 1]) % 400;
	if (gen % 11 == 3)
		len += 300;
	for (i = n; i < len && i < size; i++)
		buf[i] = 'a' + (i * 7 + gen) % 26;
	return i;
}

/* The generation @val names for @key (@klen bytes), or -1 if torn/foreign. */
static long val_check(const char *val, __u32 len, const char *key, __u32 klen)
{
	char k[300], want[1200];
	unsigned long gen;
	char *end;

	if (len < klen + 2 || memcmp(val, key, klen) || val[klen] != '/')
		return -1;
	memcpy(k, key, klen);
	k[klen] = '\0';
	gen = strtoul(val + klen + 1, &end, 10);
	if (end >= val + len || *end != '/')
		return -1;
	if (val_make(want, sizeof(want), k, gen) != len || memcmp(want, val, len))
		return -1;
	return gen;
}

/* ---- parsing a DUMP buffer --------------------------------------------- */

struct rec {
	const char *key;
	const char *val;	/* NULL when omitted */
	__u32 key_len, value_len, flags;
	__u64 version;
};

typedef void (*rec_fn)(void *ctx, const struct rec *r);

/*
 * Walk @bytes of records at @buf (any alignment): each rec_len exact
 * (header, key, value unless omitted, padded to 8 with zeros), @records
 * of them, VALUE_OMITTED set exactly when @keys_only.  0, or -1 with @err.
 */
static int recs_parse(const unsigned char *buf, __u32 bytes, __u32 records,
		      bool keys_only, rec_fn fn, void *ctx, char *err,
		      size_t errsz)
{
	__u32 off = 0, n = 0, i;

	while (off < bytes) {
		struct objhash_dump_rec h;
		struct rec r;
		__u32 body;

		if (bytes - off < REC_HDR) {
			snprintf(err, errsz, "record %u: %u bytes left", n,
				 bytes - off);
			return -1;
		}
		memcpy(&h, buf + off, REC_HDR);
		if (h.flags & ~OBJHASH_REC_VALUE_OMITTED ||
		    !!(h.flags & OBJHASH_REC_VALUE_OMITTED) != keys_only) {
			snprintf(err, errsz, "record %u: flags %#x", n, h.flags);
			return -1;
		}
		if (h.key_len < 1 || h.key_len > OBJHASH_KEY_MAX) {
			snprintf(err, errsz, "record %u: key_len %u", n,
				 h.key_len);
			return -1;
		}
		body = REC_HDR + h.key_len + (keys_only ? 0 : h.value_len);
		if (h.rec_len != ALIGN8(body) || h.rec_len > bytes - off) {
			snprintf(err, errsz,
				 "record %u: rec_len %u, key %u, value %u, %u bytes left",
				 n, h.rec_len, h.key_len, h.value_len,
				 bytes - off);
			return -1;
		}
		for (i = body; i < h.rec_len; i++)
			if (buf[off + i]) {
				snprintf(err, errsz, "record %u: padding not zero",
					 n);
				return -1;
			}
		r.key = (const char *)buf + off + REC_HDR;
		r.key_len = h.key_len;
		r.val = keys_only ? NULL : r.key + h.key_len;
		r.value_len = h.value_len;
		r.flags = h.flags;
		r.version = h.version;
		if (fn)
			fn(ctx, &r);
		off += h.rec_len;
		n++;
	}
	if (n != records) {
		snprintf(err, errsz, "%u records parsed, %u reported", n,
			 records);
		return -1;
	}
	return 0;
}

/* ---- one whole dump ---------------------------------------------------- */

struct dump_opts {
	__u32 buf_len;		/* the buffer each call gets */
	__u32 misalign;		/* buffer start offset from 8-alignment */
	__u32 max_records;
	__u32 flags;
	__u64 min_version, max_version;
	/* called between calls (after call n, n >= 1) */
	void (*between)(void *ctx, unsigned int n);
	unsigned long max_calls;	/* bound on the calls of one dump */
};

struct dump_res {
	unsigned long calls, records, eranges, empty_calls;
	__u64 first_version, last_version;
	__u32 skipped;
	int err;		/* 0, or the -errno that ended the dump */
	char msg[200];		/* a protocol error, if any */
};

/* Same cursor? */
static bool cursor_eq(const __u64 *a, const __u64 *b)
{
	return !memcmp(a, b, OBJHASH_CURSOR_WORDS * sizeof(__u64));
}

/*
 * Run one dump from a zero cursor to DONE, checking every call's out
 * fields and records; an ERANGE is retried once with @needed bytes (the
 * next call goes back to @buf_len).  Records go to @fn.
 */
static void dump_run(int fd, const struct dump_opts *o, rec_fn fn, void *ctx,
		     struct dump_res *res)
{
	size_t cap = o->buf_len + 8;
	unsigned char *mem = malloc(cap), *big = NULL;
	__u64 cursor[OBJHASH_CURSOR_WORDS] = { 0 };
	__u32 len = o->buf_len;

	memset(res, 0, sizeof(*res));
	if (!mem) {
		res->err = -ENOMEM;
		return;
	}
	for (;;) {
		struct objhash_dump d = {
			.buf_len = len,
			.flags = o->flags,
			.min_version = o->min_version,
			.max_version = o->max_version,
			.max_records = o->max_records,
			.records = 0xdead, .bytes = 0xdead, .needed = 0xdead,
			.status = 0xdead0000,
		};
		unsigned char *b = len == o->buf_len ? mem + o->misalign : big;
		int ret;

		if (res->calls >= o->max_calls) {
			snprintf(res->msg, sizeof(res->msg),
				 "no DONE after %lu calls", res->calls);
			break;
		}
		d.buf = oh_ptr(b);
		memcpy(d.cursor, cursor, sizeof(cursor));
		ret = oh_dump(fd, &d);
		res->calls++;
		if (ret == -ERANGE) {
			res->eranges++;
			if (!cursor_eq(d.cursor, cursor)) {
				snprintf(res->msg, sizeof(res->msg),
					 "ERANGE moved the cursor");
				break;
			}
			if (d.needed <= len || d.needed % 8 ||
			    d.needed < REC_HDR + 1 || len != o->buf_len) {
				snprintf(res->msg, sizeof(res->msg),
					 "ERANGE with needed %u for a %u-byte buffer",
					 d.needed, len);
				break;
			}
			free(big);
			big = malloc(d.needed);
			if (!big) {
				res->err = -ENOMEM;
				break;
			}
			len = d.needed;
			continue;
		}
		if (ret) {
			res->err = ret;
			break;
		}
		if (!res->first_version)
			res->first_version = d.version;
		res->last_version = d.version;
		res->skipped += d.skipped;
		if (d.status & ~OBJHASH_DUMP_DONE || d.bytes > len ||
		    (o->max_records && d.records > o->max_records)) {
			snprintf(res->msg, sizeof(res->msg),
				 "status %#x, %u records, %u bytes of %u",
				 d.status, d.records, d.bytes, len);
			break;
		}
		if (len != o->buf_len) {
			/* the retry: its first record is the one that needed it */
			struct objhash_dump_rec h;

			memcpy(&h, b, REC_HDR);
			if (!d.records || h.rec_len != len) {
				snprintf(res->msg, sizeof(res->msg),
					 "retry with needed %u: %u records, first %u bytes",
					 len, d.records, d.records ? h.rec_len : 0);
				break;
			}
		}
		if (recs_parse(b, d.bytes, d.records,
			       o->flags & OBJHASH_DUMP_KEYS_ONLY, fn, ctx,
			       res->msg, sizeof(res->msg)))
			break;
		res->records += d.records;
		res->empty_calls += !d.records;
		memcpy(cursor, d.cursor, sizeof(cursor));
		len = o->buf_len;
		if (d.status & OBJHASH_DUMP_DONE) {
			/* a DONE cursor stays DONE, with nothing more */
			d.records = 0xdead;
			d.status = 0;
			d.buf = oh_ptr(mem);
			d.buf_len = o->buf_len;
			ret = oh_dump(fd, &d);
			if (ret || !(d.status & OBJHASH_DUMP_DONE) || d.records ||
			    d.bytes || !cursor_eq(d.cursor, cursor))
				snprintf(res->msg, sizeof(res->msg),
					 "DONE cursor again: ret %d, status %#x, %u records",
					 ret, d.status, d.records);
			break;
		}
		if (o->between)
			o->between(ctx, res->calls);
	}
	free(big);
	free(mem);
}

/* ---- the static-table oracle ------------------------------------------- */

#define ST_KEYS		3000

struct st_oracle {
	__u64 ver[ST_KEYS];
	__u32 len[ST_KEYS];
	unsigned int seen[ST_KEYS];
	unsigned long dups, unknown, bad_value, bad_version;
	bool keys_only;
	char first[160];
};

static int st_key(char *buf, size_t size, unsigned int i)
{
	return snprintf(buf, size, "dk-%05u", i);
}

/* Index of a "dk-NNNNN" key, or -1. */
static int st_index(const struct rec *r)
{
	char k[16];
	unsigned int i;

	if (r->key_len != 8 || memcmp(r->key, "dk-", 3))
		return -1;
	memcpy(k, r->key, 8);
	k[8] = '\0';
	i = strtoul(k + 3, NULL, 10);
	return i < ST_KEYS ? (int)i : -1;
}

static void st_visit(void *ctx, const struct rec *r)
{
	struct st_oracle *o = ctx;
	int i = st_index(r);

	if (i < 0) {
		if (!o->unknown++)
			snprintf(o->first, sizeof(o->first), "unknown key %.*s",
				 (int)r->key_len, r->key);
		return;
	}
	if (o->seen[i]++ && !o->dups++)
		snprintf(o->first, sizeof(o->first), "dk-%05d twice", i);
	if (r->version != o->ver[i] && !o->bad_version++)
		snprintf(o->first, sizeof(o->first), "dk-%05d: version %llu, stored %llu",
			 i, (unsigned long long)r->version,
			 (unsigned long long)o->ver[i]);
	if (r->value_len != o->len[i] ||
	    (!o->keys_only && val_check(r->val, r->value_len, r->key,
					r->key_len) != i)) {
		if (!o->bad_value++)
			snprintf(o->first, sizeof(o->first),
				 "dk-%05d: value of %u bytes wrong", i,
				 r->value_len);
	}
}

FIXTURE(dump)
{
	int fd;
	struct objhash_stats st0;
	struct st_oracle *o;
};

FIXTURE_SETUP(dump)
{
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	self->o = calloc(1, sizeof(*self->o));
	ASSERT_NE(NULL, self->o);
}

FIXTURE_TEARDOWN(dump)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	close(self->fd);
	free(self->o);
}

/* Insert keys 0..n-1 of the static table; their versions go to the oracle. */
static int st_fill(int fd, struct st_oracle *o, unsigned int n)
{
	char key[16], val[1200];
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		st_key(key, sizeof(key), i);
		o->len[i] = val_make(val, sizeof(val), key, i);
		ret = oh_insert(fd, key, 8, val, o->len[i], 0, 0, &o->ver[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static void st_reset(struct st_oracle *o, bool keys_only)
{
	memset(o->seen, 0, sizeof(o->seen));
	o->dups = o->unknown = o->bad_value = o->bad_version = 0;
	o->first[0] = '\0';
	o->keys_only = keys_only;
}

/* Every key of 0..n-1 seen exactly once, nothing else: a count of misses. */
static unsigned long st_missing(const struct st_oracle *o, unsigned int n)
{
	unsigned long miss = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		miss += !o->seen[i];
	return miss;
}

#define EXPECT_ORACLE_CLEAN(o, n, what)					\
	do {								\
		unsigned long __miss = st_missing(o, n);		\
		EXPECT_EQ(0, __miss + (o)->dups + (o)->unknown +	\
			  (o)->bad_value + (o)->bad_version) {		\
			TH_LOG("%s: %lu missing, %lu twice, %lu unknown, %lu bad values, %lu bad versions; %s", \
			       what, __miss, (o)->dups, (o)->unknown,	\
			       (o)->bad_value, (o)->bad_version, (o)->first); \
		}							\
	} while (0)

/* The biggest record of the static table. */
static __u32 st_max_rec(const struct st_oracle *o, unsigned int n)
{
	__u32 m = 0, i;

	for (i = 0; i < n; i++)
		if (ALIGN8(REC_HDR + 8 + o->len[i]) > m)
			m = ALIGN8(REC_HDR + 8 + o->len[i]);
	return m;
}

/*
 * A static table, dumped with every combination of buffer size (one
 * record, a few, a page, 64 KiB, 4 MiB, and a small one that needs ERANGE
 * retries), max_records 0, 1 and 7, KEYS_ONLY on and off, with the buffer
 * at an odd address: each dump returns every key once, whole.
 */
TEST_F_TIMEOUT(dump, static_exactly_once, 300)
{
	__u32 bufs[6], mrs[3] = { 0, 1, 7 };
	unsigned int b, m, k;
	unsigned long calls = 0;

	ASSERT_EQ(0, st_fill(self->fd, self->o, ST_KEYS));
	bufs[0] = st_max_rec(self->o, ST_KEYS);	/* any one record fits */
	bufs[1] = 3 * bufs[0] + 8;
	bufs[2] = 4096;
	bufs[3] = 65536;
	bufs[4] = 4 << 20;
	bufs[5] = 96;				/* most records need ERANGE */
	for (b = 0; b < 6; b++) {
		for (m = 0; m < 3; m++) {
			for (k = 0; k < 2; k++) {
				struct dump_opts opt = {
					.buf_len = bufs[b],
					.misalign = (b + m + k) % 2 ? 3 : 0,
					.max_records = mrs[m],
					.flags = k ? OBJHASH_DUMP_KEYS_ONLY : 0,
					.max_calls = 4 * ST_KEYS + 100,
				};
				struct dump_res res;
				char what[96];

				/* one-record calls on a big table: a few suffice */
				if (mrs[m] == 1 && b != 0 && b != 4)
					continue;
				snprintf(what, sizeof(what),
					 "buf %u, max_records %u, keys_only %u",
					 bufs[b], mrs[m], k);
				st_reset(self->o, k);
				dump_run(self->fd, &opt, st_visit, self->o, &res);
				calls += res.calls;
				EXPECT_EQ(0, res.err) TH_LOG("%s: %s", what,
							     strerror(-res.err));
				EXPECT_STREQ("", res.msg) TH_LOG("%s", what);
				EXPECT_EQ(ST_KEYS, res.records) TH_LOG("%s", what);
				EXPECT_ORACLE_CLEAN(self->o, ST_KEYS, what);
				if (mrs[m] == 1)
					EXPECT_LE(ST_KEYS, res.calls);
				/* ERANGE only when a record cannot fit */
				if (b != 5 || k) {
					EXPECT_EQ(0, res.eranges) TH_LOG("%s", what);
				} else {
					EXPECT_LT(0, res.eranges);
				}
			}
		}
	}
	TH_LOG("%lu DUMP calls", calls);
}

/* An empty table: DONE at once, no record. */
TEST_F(dump, empty_table)
{
	struct dump_opts opt = { .buf_len = 4096, .max_calls = 100 };
	struct dump_res res;

	st_reset(self->o, false);
	dump_run(self->fd, &opt, st_visit, self->o, &res);
	EXPECT_EQ(0, res.err);
	EXPECT_STREQ("", res.msg);
	EXPECT_EQ(0, res.records);
}

/* A zero-length buffer with max_records 0: ERANGE with needed, no progress. */
TEST_F(dump, zero_buffer_erange)
{
	__u64 zero[OBJHASH_CURSOR_WORDS] = { 0 };
	struct objhash_dump d = { 0 };
	char key[16];
	__u64 v;

	st_key(key, sizeof(key), 0);
	ASSERT_EQ(0, oh_insert(self->fd, key, 8, "abc", 3, 0, 0, &v));
	EXPECT_EQ(-ERANGE, oh_dump(self->fd, &d));
	EXPECT_EQ(ALIGN8(REC_HDR + 8 + 3), d.needed);
	d.flags = OBJHASH_DUMP_KEYS_ONLY;
	EXPECT_EQ(-ERANGE, oh_dump(self->fd, &d));
	EXPECT_EQ(REC_HDR + 8, d.needed);
	EXPECT_TRUE(cursor_eq(zero, d.cursor));
}

/* ---- ERANGE progress with one huge value ----------------------------- */

#define HUGE_KEYS	200

/*
 * One value of max_value_len bytes among small ones, a one-page buffer:
 * the call reaching it first fails ERANGE with needed exactly its record
 * and the cursor as it was; retried with needed bytes it returns it.
 * Every key once, and at most one ERANGE per dump (the number of calls is
 * bounded by the records plus that one).
 */
TEST_F(dump, erange_huge_value)
{
	unsigned long long vmax = 0;
	struct dump_res res;
	char key[16], *huge;
	unsigned int i;
	__u64 hv;
	int idx = HUGE_KEYS / 2;

	ASSERT_EQ(0, oh_param_read("max_value_len", &vmax));
	huge = malloc(vmax);
	ASSERT_NE(NULL, huge);
	ASSERT_EQ(0, st_fill(self->fd, self->o, HUGE_KEYS));
	/* key idx gets the huge value: "dk-NNNNN/idx/" then a pattern */
	st_key(key, sizeof(key), idx);
	i = snprintf(huge, vmax, "%s/%d/", key, idx);
	for (; i < vmax; i++)
		huge[i] = (char)(i * 13);
	ASSERT_EQ(0, oh_insert(self->fd, key, 8, huge, vmax,
			       OBJHASH_INSERT_REPLACE, 0, &hv));
	self->o->ver[idx] = hv;
	self->o->len[idx] = vmax;

	{
		struct dump_opts opt = {
			.buf_len = 4096, .max_calls = HUGE_KEYS + 10,
		};
		struct dump_opts one = {
			.buf_len = 4096, .max_records = 1,
			.max_calls = HUGE_KEYS + 10,
		};
		struct dump_opts keys = {
			.buf_len = 4096, .flags = OBJHASH_DUMP_KEYS_ONLY,
			.max_calls = HUGE_KEYS + 10,
		};
		/* the value check cannot know the huge value: count it apart */
		st_reset(self->o, false);
		self->o->len[idx] = 0;
		dump_run(self->fd, &opt, NULL, NULL, &res);
		EXPECT_EQ(0, res.err);
		EXPECT_STREQ("", res.msg);
		EXPECT_EQ(HUGE_KEYS, res.records);
		EXPECT_EQ(1, res.eranges);
		dump_run(self->fd, &one, NULL, NULL, &res);
		EXPECT_EQ(0, res.err);
		EXPECT_STREQ("", res.msg);
		EXPECT_EQ(HUGE_KEYS, res.records);
		EXPECT_EQ(1, res.eranges);
		/* each record once, one ERANGE, its retry, maybe an empty DONE */
		EXPECT_GE(HUGE_KEYS + 3, res.calls);
		self->o->len[idx] = vmax;
		st_reset(self->o, true);
		dump_run(self->fd, &keys, st_visit, self->o, &res);
		EXPECT_EQ(0, res.err);
		EXPECT_STREQ("", res.msg);
		EXPECT_EQ(0, res.eranges);
		EXPECT_ORACLE_CLEAN(self->o, HUGE_KEYS, "keys only");
	}
	/* by hand: the ERANGE call itself */
	{
		__u64 cur[OBJHASH_CURSOR_WORDS] = { 0 };
		unsigned char *buf = malloc(ALIGN8(REC_HDR + 8 + vmax));
		bool hit = false;
		unsigned int calls = 0;

		ASSERT_NE(NULL, buf);
		while (calls++ < HUGE_KEYS + 10) {
			struct objhash_dump d = {
				.buf = oh_ptr(buf), .buf_len = 4096,
			};
			int ret;

			memcpy(d.cursor, cur, sizeof(cur));
			ret = oh_dump(self->fd, &d);
			if (ret == -ERANGE) {
				struct objhash_dump_rec h;

				EXPECT_TRUE(cursor_eq(cur, d.cursor));
				EXPECT_EQ(ALIGN8(REC_HDR + 8 + vmax), d.needed);
				/* one byte short is still ERANGE */
				d.buf_len = d.needed - 1;
				EXPECT_EQ(-ERANGE, oh_dump(self->fd, &d));
				EXPECT_TRUE(cursor_eq(cur, d.cursor));
				d.buf_len = d.needed;
				ASSERT_EQ(0, oh_dump(self->fd, &d));
				ASSERT_EQ(1, d.records);
				memcpy(&h, buf, REC_HDR);
				EXPECT_EQ(vmax, h.value_len);
				EXPECT_EQ(hv, h.version);
				EXPECT_EQ(0, memcmp(buf + REC_HDR, key, 8));
				EXPECT_EQ(0, memcmp(buf + REC_HDR + 8, huge, vmax));
				hit = true;
			} else {
				ASSERT_EQ(0, ret);
			}
			memcpy(cur, d.cursor, sizeof(cur));
			if (d.status & OBJHASH_DUMP_DONE)
				break;
		}
		EXPECT_TRUE(hit);
		free(buf);
	}
	free(huge);
}

/* ---- buffers that fault part-way --------------------------------------- */

struct seen_set {
	unsigned int seen[ST_KEYS];
	unsigned long unknown;
};

static void seen_visit(void *ctx, const struct rec *r)
{
	struct seen_set *s = ctx;
	int i = st_index(r);

	if (i < 0)
		s->unknown++;
	else
		s->seen[i]++;
}

#define FAULT_KEYS	400

/*
 * Two pages, the second PROT_NONE, as one buffer of two pages: a call
 * returns the records that fit before the hole with the cursor after
 * them; a buffer whose first record meets the hole fails EFAULT and keeps
 * the cursor.  A dump mixing such calls with good ones loses nothing and
 * repeats nothing.
 */
TEST_F(dump, buffer_faults_part_way)
{
	long psz = sysconf(_SC_PAGESIZE);
	unsigned char *two = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *good = malloc(1 << 20);
	__u64 cur[OBJHASH_CURSOR_WORDS] = { 0 };
	struct seen_set *s = calloc(1, sizeof(*s));
	unsigned int calls = 0, partial = 0, efaults = 0, i;
	char msg[200] = "";
	bool done = false;

	ASSERT_NE(MAP_FAILED, two);
	ASSERT_NE(NULL, good);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, mprotect(two + psz, psz, PROT_NONE));
	ASSERT_EQ(0, st_fill(self->fd, self->o, FAULT_KEYS));
	while (!done && calls++ < 4 * FAULT_KEYS) {
		struct objhash_dump d = { 0 };
		int ret;

		memcpy(d.cursor, cur, sizeof(cur));
		switch (calls % 3) {
		case 0:	/* whole first page and the hole after it */
			d.buf = oh_ptr(two);
			d.buf_len = 2 * psz;
			break;
		case 1:	/* the first record meets the hole */
			d.buf = oh_ptr(two + psz - 16);
			d.buf_len = 4096;
			break;
		default: /* all in the hole */
			d.buf = oh_ptr(two + psz);
			d.buf_len = 4096;
			break;
		}
		ret = oh_dump(self->fd, &d);
		if (calls % 3) {
			EXPECT_EQ(-EFAULT, ret) TH_LOG("call %u", calls);
			EXPECT_TRUE(cursor_eq(cur, d.cursor)) {
				TH_LOG("call %u: EFAULT moved the cursor", calls);
			}
			efaults++;
			/* then the same cursor with a good buffer */
			d.buf = oh_ptr(good);
			d.buf_len = 4096;
			memcpy(d.cursor, cur, sizeof(cur));
			ret = oh_dump(self->fd, &d);
			ASSERT_EQ(0, ret);
			ASSERT_EQ(0, recs_parse(good, d.bytes, d.records, false,
						seen_visit, s, msg, sizeof(msg)))
				TH_LOG("%s", msg);
		} else {
			ASSERT_EQ(0, ret) TH_LOG("call %u", calls);
			EXPECT_GE(psz, d.bytes);
			ASSERT_EQ(0, recs_parse(two, d.bytes, d.records, false,
						seen_visit, s, msg, sizeof(msg)))
				TH_LOG("%s", msg);
			/* stopped at the hole, not at the end of the table */
			if (!(d.status & OBJHASH_DUMP_DONE))
				partial++;
		}
		memcpy(cur, d.cursor, sizeof(cur));
		done = d.status & OBJHASH_DUMP_DONE;
	}
	EXPECT_TRUE(done);
	EXPECT_LT(0, partial);
	EXPECT_LT(0, efaults);
	EXPECT_EQ(0, s->unknown);
	for (i = 0; i < FAULT_KEYS; i++)
		EXPECT_EQ(1, s->seen[i]) TH_LOG("dk-%05u seen %u times", i,
						s->seen[i]);
	munmap(two, 2 * psz);
	free(good);
	free(s);
}

/*
 * The module writes only inside [buf, buf + buf_len): whatever the
 * buffer size, a canary right past it survives, and so does one before.
 */
TEST_F(dump, writes_stay_in_buffer)
{
	static unsigned char mem[70000];
	unsigned int sizes[] = { 0, 1, 24, 40, 100, 250, 1000, 4096, 65536 };
	unsigned int s, i, bad = 0;

	ASSERT_EQ(0, st_fill(self->fd, self->o, 40));
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (i = 0; i < 4; i++) {
			struct objhash_dump d = {
				.buf = oh_ptr(mem + 64), .buf_len = sizes[s],
				.flags = i & 1 ? OBJHASH_DUMP_KEYS_ONLY : 0,
				.max_records = i & 2 ? 1 : 0,
			};
			unsigned int j;
			int ret;

			memset(mem, 0xa5, sizeof(mem));
			ret = oh_dump(self->fd, &d);
			if (ret && ret != -ERANGE)
				bad++;
			for (j = 0; j < 64; j++)
				bad += mem[j] != 0xa5;
			for (j = 64 + sizes[s]; j < sizeof(mem); j++)
				bad += mem[j] != 0xa5;
			if (bad) {
				TH_LOG("buf_len %u, flags %u: %d, %u bytes written outside",
				       sizes[s], i, ret, bad);
				break;
			}
		}
	}
	EXPECT_EQ(0, bad);
}

/* ---- drains ------------------------------------------------------------ */

TEST_F(dump, access)
{
	int ro = open(OBJHASH_DEV, O_RDONLY), wo = open(OBJHASH_DEV, O_WRONLY);
	unsigned char buf[4096];
	struct objhash_dump d = { .buf = oh_ptr(buf), .buf_len = sizeof(buf) };
	struct objhash_stats st;

	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	ASSERT_EQ(0, st_fill(self->fd, self->o, 10));
	/* read-only: a dump works, a drain does not */
	EXPECT_EQ(0, oh_dump(ro, &d));
	EXPECT_EQ(10, d.records);
	memset(d.cursor, 0, sizeof(d.cursor));
	d.flags = OBJHASH_DUMP_DELETE;
	EXPECT_EQ(-EBADF, oh_dump(ro, &d));
	/* write-only: neither, not even with a NULL struct */
	d.flags = 0;
	EXPECT_EQ(-EBADF, oh_dump(wo, &d));
	EXPECT_EQ(-EBADF, oh_ioctl(wo, OBJHASH_IOC_DUMP, NULL));
	d.flags = OBJHASH_DUMP_DELETE;
	EXPECT_EQ(-EBADF, oh_dump(wo, &d));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(10, st.objects);
	/* read-write: the drain takes everything */
	memset(d.cursor, 0, sizeof(d.cursor));
	EXPECT_EQ(0, oh_dump(self->fd, &d));
	EXPECT_EQ(10, d.records);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.objects);
	close(ro);
	close(wo);
}

/* A drain returns each object it unlinked, whole, and the table empties. */
TEST_F(dump, drain_all)
{
	struct dump_opts opt = {
		.buf_len = 8192, .flags = OBJHASH_DUMP_DELETE,
		.max_calls = ST_KEYS + 100,
	};
	struct dump_res res;
	struct objhash_stats st;

	ASSERT_EQ(0, st_fill(self->fd, self->o, 1000));
	st_reset(self->o, false);
	dump_run(self->fd, &opt, st_visit, self->o, &res);
	EXPECT_EQ(0, res.err);
	EXPECT_STREQ("", res.msg);
	EXPECT_EQ(0, res.skipped);
	EXPECT_ORACLE_CLEAN(self->o, 1000, "drain");
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.bytes);
}

/*
 * Drains whose buffer cannot be written delete nothing: read-only, in the
 * hole, or a first record that meets the hole.  One that faults after some
 * records deletes exactly those.
 */
TEST_F(dump, drain_unwritable_buffer)
{
	long psz = sysconf(_SC_PAGESIZE);
	unsigned char *two = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *ro = mmap(NULL, psz, PROT_READ,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct seen_set *s = calloc(1, sizeof(*s));
	struct objhash_dump d = { .flags = OBJHASH_DUMP_DELETE };
	struct objhash_stats st;
	char msg[200] = "";
	unsigned int i, gone = 0;

	ASSERT_NE(MAP_FAILED, two);
	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, mprotect(two + psz, psz, PROT_NONE));
	ASSERT_EQ(0, st_fill(self->fd, self->o, FAULT_KEYS));

	d.buf = oh_ptr(ro);
	d.buf_len = psz;
	EXPECT_EQ(-EFAULT, oh_dump(self->fd, &d));
	d.buf = oh_ptr(two + psz);
	EXPECT_EQ(-EFAULT, oh_dump(self->fd, &d));
	d.buf = oh_ptr(two + psz - 8);
	EXPECT_EQ(-EFAULT, oh_dump(self->fd, &d));
	d.buf = 0;
	EXPECT_EQ(-EFAULT, oh_dump(self->fd, &d));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(FAULT_KEYS, st.objects) TH_LOG("a failed drain deleted");
	for (i = 0; i < FAULT_KEYS; i++) {
		char key[16];

		st_key(key, sizeof(key), i);
		EXPECT_EQ(1, oh_present(self->fd, key, 8, NULL, NULL));
	}
	/* faulting after some records: those, and only those, are gone */
	d.buf = oh_ptr(two);
	d.buf_len = 2 * psz;
	ASSERT_EQ(0, oh_dump(self->fd, &d));
	EXPECT_LT(0, d.records);
	EXPECT_FALSE(d.status & OBJHASH_DUMP_DONE);
	ASSERT_EQ(0, recs_parse(two, d.bytes, d.records, false, seen_visit, s,
				msg, sizeof(msg))) TH_LOG("%s", msg);
	for (i = 0; i < FAULT_KEYS; i++) {
		char key[16];
		int p;

		st_key(key, sizeof(key), i);
		p = oh_present(self->fd, key, 8, NULL, NULL);
		EXPECT_EQ(!s->seen[i], p) TH_LOG("dk-%05u seen %u, present %d",
						 i, s->seen[i], p);
		gone += !p;
	}
	EXPECT_EQ(d.records, gone);
	munmap(two, 2 * psz);
	munmap(ro, psz);
	free(s);
}

#define DRAIN_KEYS	2000

struct drainer {
	pthread_t th;
	int fd;
	pthread_barrier_t *bar;
	struct seen_set *s;
	struct dump_res res;
	unsigned long records;
};

static void *drainer_main(void *arg)
{
	struct drainer *dr = arg;
	struct dump_opts opt = {
		.buf_len = 2048, .max_records = 3,
		.flags = OBJHASH_DUMP_DELETE, .max_calls = DRAIN_KEYS + 1000,
	};

	pthread_barrier_wait(dr->bar);
	dump_run(dr->fd, &opt, seen_visit, dr->s, &dr->res);
	return NULL;
}

/*
 * Two drainers on one table: what they returned together is the table,
 * each key once (one drainer, never both).  Rounds go on until both
 * drainers got keys in a round, i.e. they really interleaved.
 */
TEST_F_TIMEOUT(dump, concurrent_drainers, LONG_TIMEOUT)
{
	double deadline = oh_now_s() + DEADLINE_S;
	unsigned int round = 0, shared = 0;
	pthread_barrier_t bar;
	struct objhash_stats st;

	ASSERT_EQ(0, pthread_barrier_init(&bar, NULL, 2));
	while (shared < 3 && oh_now_s() < deadline) {
		struct drainer dr[2];
		unsigned int i, j, both = 0, none = 0;

		ASSERT_EQ(0, st_fill(self->fd, self->o, DRAIN_KEYS));
		for (j = 0; j < 2; j++) {
			memset(&dr[j], 0, sizeof(dr[j]));
			dr[j].fd = open(OBJHASH_DEV, O_RDWR);
			dr[j].bar = &bar;
			dr[j].s = calloc(1, sizeof(struct seen_set));
			ASSERT_LE(0, dr[j].fd);
			ASSERT_NE(NULL, dr[j].s);
		}
		for (j = 0; j < 2; j++)
			ASSERT_EQ(0, pthread_create(&dr[j].th, NULL,
						    drainer_main, &dr[j]));
		for (j = 0; j < 2; j++) {
			pthread_join(dr[j].th, NULL);
			close(dr[j].fd);
			EXPECT_EQ(0, dr[j].res.err);
			EXPECT_STREQ("", dr[j].res.msg);
			EXPECT_EQ(0, dr[j].s->unknown);
		}
		for (i = 0; i < DRAIN_KEYS; i++) {
			unsigned int n = dr[0].s->seen[i] + dr[1].s->seen[i];

			both += dr[0].s->seen[i] && dr[1].s->seen[i];
			none += !n;
			EXPECT_GE(1, dr[0].s->seen[i]);
			EXPECT_GE(1, dr[1].s->seen[i]);
		}
		EXPECT_EQ(0, both) TH_LOG("round %u: %u keys drained twice",
					  round, both);
		EXPECT_EQ(0, none) TH_LOG("round %u: %u keys never drained",
					  round, none);
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		EXPECT_EQ(0, st.objects);
		if (dr[0].res.records && dr[1].res.records)
			shared++;
		TH_LOG("round %u: %lu + %lu records, %u + %u skipped", round,
		       dr[0].res.records, dr[1].res.records,
		       dr[0].res.skipped, dr[1].res.skipped);
		free(dr[0].s);
		free(dr[1].s);
		round++;
		if (_metadata->passed == 0)
			break;
	}
	EXPECT_LE(3, shared) TH_LOG("drainers never both got keys in %d s",
				    DEADLINE_S);
	pthread_barrier_destroy(&bar);
}

/* ---- flags, versions, cursors ----------------------------------------- */

TEST_F(dump, version_filter)
{
	unsigned int n = 300, i;
	struct {
		__u64 min, max;
	} ranges[6];
	unsigned int r;

	ASSERT_EQ(0, st_fill(self->fd, self->o, n));
	ranges[0].min = self->o->ver[0];
	ranges[0].max = self->o->ver[0];
	ranges[1].min = self->o->ver[10];
	ranges[1].max = self->o->ver[200];
	ranges[2].min = self->o->ver[250];
	ranges[2].max = 0;			/* no upper bound */
	ranges[3].min = 0;
	ranges[3].max = self->o->ver[99];
	ranges[4].min = self->o->ver[n - 1] + 1;	/* none */
	ranges[4].max = 0;
	ranges[5].min = 0;
	ranges[5].max = 0;			/* all */
	for (r = 0; r < 6; r++) {
		struct dump_opts opt = {
			.buf_len = 4096, .flags = OBJHASH_DUMP_VERSIONS,
			.min_version = ranges[r].min,
			.max_version = ranges[r].max, .max_calls = n + 100,
		};
		struct dump_res res;
		unsigned long want = 0, wrong = 0;

		st_reset(self->o, false);
		dump_run(self->fd, &opt, st_visit, self->o, &res);
		EXPECT_EQ(0, res.err);
		EXPECT_STREQ("", res.msg);
		EXPECT_EQ(0, self->o->dups + self->o->unknown +
			  self->o->bad_value + self->o->bad_version);
		for (i = 0; i < n; i++) {
			__u64 v = self->o->ver[i];
			bool in = v >= ranges[r].min &&
				  (!ranges[r].max || v <= ranges[r].max);

			want += in;
			wrong += in != !!self->o->seen[i];
		}
		EXPECT_EQ(0, wrong) TH_LOG("range %u [%llu, %llu]", r,
					   (unsigned long long)ranges[r].min,
					   (unsigned long long)ranges[r].max);
		EXPECT_EQ(want, res.records);
	}
}

TEST_F(dump, bad_arguments)
{
	unsigned char buf[4096];
	struct objhash_dump d = { .buf = oh_ptr(buf), .buf_len = sizeof(buf) };
	int bit;

	ASSERT_EQ(0, st_fill(self->fd, self->o, 5));
	for (bit = 3; bit < 32; bit++) {
		memset(d.cursor, 0, sizeof(d.cursor));
		d.flags = 1U << bit;
		EXPECT_EQ(-EINVAL, oh_dump(self->fd, &d)) TH_LOG("bit %d", bit);
	}
	d.flags = 0;
	d.min_version = 1;
	EXPECT_EQ(-EINVAL, oh_dump(self->fd, &d)) TH_LOG("min without flag");
	d.min_version = 0;
	d.max_version = 1;
	EXPECT_EQ(-EINVAL, oh_dump(self->fd, &d)) TH_LOG("max without flag");
	d.flags = OBJHASH_DUMP_VERSIONS;
	d.min_version = 5;
	d.max_version = 4;
	EXPECT_EQ(-EINVAL, oh_dump(self->fd, &d)) TH_LOG("min > max");
	d.max_version = 5;
	EXPECT_EQ(0, oh_dump(self->fd, &d)) TH_LOG("min == max");
}

/*
 * Any cursor the module did not write: EINVAL.  The one exception the
 * module cannot avoid: a cursor naming another load of the module (its
 * secrets are gone, so it cannot be told from a forgery) is ESTALE.  So
 * every single flipped bit must fail EINVAL or ESTALE, and ESTALE only
 * for the bits that can name a load: at most one word of the four.
 */
TEST_F(dump, forged_cursor)
{
	unsigned char buf[4096];
	struct objhash_dump d = {
		.buf = oh_ptr(buf), .buf_len = sizeof(buf), .max_records = 1,
	};
	__u64 good[OBJHASH_CURSOR_WORDS];
	unsigned int bit, w, bad = 0, stale = 0;

	ASSERT_EQ(0, st_fill(self->fd, self->o, 50));
	ASSERT_EQ(0, oh_dump(self->fd, &d));
	ASSERT_EQ(1, d.records);
	ASSERT_FALSE(d.status & OBJHASH_DUMP_DONE);
	memcpy(good, d.cursor, sizeof(good));
	/* every single bit flipped */
	for (bit = 0; bit < 64 * OBJHASH_CURSOR_WORDS; bit++) {
		int ret;

		memcpy(d.cursor, good, sizeof(good));
		d.cursor[bit / 64] ^= 1ULL << (bit % 64);
		ret = oh_dump(self->fd, &d);
		stale += ret == -ESTALE;
		if (ret != -EINVAL && ret != -ESTALE && !bad++)
			TH_LOG("cursor bit %u flipped: %d", bit, ret);
	}
	EXPECT_EQ(0, bad);
	EXPECT_GE(64, stale) TH_LOG("%u flipped bits gave ESTALE", stale);
	TH_LOG("%u of %u flipped bits: ESTALE (a load's name), the rest EINVAL",
	       stale, 64 * OBJHASH_CURSOR_WORDS);
	/* patterns */
	for (w = 0; w < 4; w++) {
		memset(d.cursor, w == 0 ? 0xff : 0, sizeof(d.cursor));
		if (w == 1)
			d.cursor[0] = 1;
		if (w == 2)
			d.cursor[3] = 1;
		if (w == 3)
			memcpy(d.cursor, "objhash-cursor-forged-by-a-test", 32);
		EXPECT_EQ(-EINVAL, oh_dump(self->fd, &d)) TH_LOG("pattern %u", w);
	}
	/* the good cursor still works, and went nowhere meanwhile */
	memcpy(d.cursor, good, sizeof(good));
	EXPECT_EQ(0, oh_dump(self->fd, &d));
	EXPECT_EQ(1, d.records);
}

/* ---- reloads: stale cursors, rehash ----------------------------------- */

FIXTURE(reload)
{
	int fd;
};

FIXTURE_SETUP(reload)
{
	ASSERT_EQ(0, access(oh_ko(), R_OK)) TH_LOG("%s (set OBJHASH_KO)",
						   oh_ko());
	self->fd = -1;
}

FIXTURE_TEARDOWN(reload)
{
	if (self->fd >= 0)
		close(self->fd);
	/* the rest of the suite expects the defaults */
	EXPECT_EQ(0, oh_reload(""));
}

static int simple_fill(int fd, const char *fmt, unsigned int n)
{
	char key[32], val[1200];
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), fmt, i);
		ret = oh_insert(fd, key, strlen(key), val,
				val_make(val, sizeof(val), key, 0), 0, 0, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/* A cursor from before rmmod/insmod: ESTALE, even with the same keys. */
TEST_F(reload, cursor_of_earlier_load)
{
	unsigned char buf[4096];
	struct objhash_dump d = {
		.buf = oh_ptr(buf), .buf_len = sizeof(buf), .max_records = 1,
	};
	__u64 cur[OBJHASH_CURSOR_WORDS];

	ASSERT_EQ(0, oh_reload(""));
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, simple_fill(self->fd, "st-%u", 50));
	ASSERT_EQ(0, oh_dump(self->fd, &d));
	ASSERT_EQ(1, d.records);
	memcpy(cur, d.cursor, sizeof(cur));
	close(self->fd);
	ASSERT_EQ(0, oh_reload(""));
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, simple_fill(self->fd, "st-%u", 50));
	memcpy(d.cursor, cur, sizeof(cur));
	EXPECT_EQ(-ESTALE, oh_dump(self->fd, &d));
	/* and a fresh one works */
	memset(d.cursor, 0, sizeof(d.cursor));
	EXPECT_EQ(0, oh_dump(self->fd, &d));
	EXPECT_EQ(1, d.records);
}

#define FL_PARAMS	"hash_bits=10 max_hash_bits=10 test_hooks=1 " \
			"test_secret=" OH_TEST_SECRET
#define FL_FILL		400
#define FL_FLOOD	40

struct fl_seen {
	unsigned int fill[FL_FILL], flood[FL_FLOOD];
	unsigned long unknown;
	char (*flood_keys)[32];
};

static void fl_visit(void *ctx, const struct rec *r)
{
	struct fl_seen *s = ctx;
	char k[40];
	unsigned int i;

	if (r->key_len >= sizeof(k)) {
		s->unknown++;
		return;
	}
	memcpy(k, r->key, r->key_len);
	k[r->key_len] = '\0';
	if (!strncmp(k, "fl-fill-", 8) && atoi(k + 8) < FL_FILL) {
		s->fill[atoi(k + 8)]++;
		return;
	}
	for (i = 0; i < FL_FLOOD; i++)
		if (!strcmp(k, s->flood_keys[i])) {
			s->flood[i]++;
			return;
		}
	s->unknown++;
}

/*
 * A dump begun, then keys forged to collide under the known secret make
 * the table rehash: the dump's next call fails ESTALE (again if retried),
 * and a dump started over returns every key once.
 */
TEST_F_TIMEOUT(reload, rehash_makes_dump_stale, LONG_TIMEOUT)
{
	static char flood[FL_FLOOD][32];
	unsigned char buf[4096];
	struct objhash_dump d = {
		.buf = oh_ptr(buf), .buf_len = sizeof(buf), .max_records = 1,
	};
	struct objhash_stats st;
	double deadline = oh_now_s() + DEADLINE_S;
	struct fl_seen *s = calloc(1, sizeof(*s));
	struct dump_opts opt = { .buf_len = 4096, .max_calls = 2000 };
	struct dump_res res;
	unsigned int n = 0, c, target = 0, i;
	char val[1200];

	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, oh_reload(FL_PARAMS)) TH_LOG("insmod %s", FL_PARAMS);
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	for (c = 0; n < FL_FLOOD && c < 100000000; c++) {
		__u32 h;

		snprintf(flood[n], sizeof(flood[n]), "fl-flood-%u", c);
		h = oh_hsiphash(flood[n], strlen(flood[n]), OH_TEST_K0, OH_TEST_K1) >> 22;
		if (!n)
			target = h;
		if (h == target)
			n++;
	}
	ASSERT_EQ(FL_FLOOD, n);
	ASSERT_EQ(0, simple_fill(self->fd, "fl-fill-%u", FL_FILL));
	/* a dump begun under the first secret */
	ASSERT_EQ(0, oh_dump(self->fd, &d));
	ASSERT_EQ(1, d.records);
	ASSERT_EQ(0, oh_dump(self->fd, &d));
	ASSERT_EQ(1, d.records);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	ASSERT_EQ(0, st.rehashes);
	for (i = 0; i < FL_FLOOD; i++)
		ASSERT_EQ(0, oh_insert(self->fd, flood[i], strlen(flood[i]), val,
				       val_make(val, sizeof(val), flood[i], 0),
				       0, 0, NULL));
	do {
		ASSERT_EQ(0, oh_stats(self->fd, &st));
	} while (!st.rehashes && oh_now_s() < deadline && !usleep(10000));
	ASSERT_LE(1, st.rehashes) TH_LOG("the forged keys made no rehash");
	EXPECT_EQ(-ESTALE, oh_dump(self->fd, &d));
	EXPECT_EQ(-ESTALE, oh_dump(self->fd, &d));
	/* start over: complete */
	s->flood_keys = flood;
	dump_run(self->fd, &opt, fl_visit, s, &res);
	EXPECT_EQ(0, res.err);
	EXPECT_STREQ("", res.msg);
	EXPECT_EQ(FL_FILL + FL_FLOOD, res.records);
	EXPECT_EQ(0, s->unknown);
	for (i = 0; i < FL_FILL; i++)
		EXPECT_EQ(1, s->fill[i]);
	for (i = 0; i < FL_FLOOD; i++)
		EXPECT_EQ(1, s->flood[i]);
	free(s);
}

/* ---- dumps while the table is written and resized ---------------------- */

#define CC_PARAMS	"hash_bits=4 max_hash_bits=16 test_hooks=1"
#define CC_STABLE	300
#define CC_WRITERS	2
#define CC_OWN		150	/* churn keys per writer */
#define CC_FILL		3000	/* grows 16 buckets to 4096 */

/* One successful write of a churn key: its generation got this version. */
struct cc_log {
	__u32 k, gen;
	__u64 version;
};

struct cc_writer {
	pthread_t th;
	int fd, id;
	atomic_bool *stop;
	unsigned int seed;
	atomic_ulong ops;
	struct cc_log *log;	/* indexed by generation */
	unsigned long nlog, cap;
	__u64 held[CC_OWN];	/* version we hold, 0 absent */
	unsigned long creates, replaces, deletes, recreates, purged_seen;
	unsigned long bad;
	char err[160];
};

/* One record of a churn key, checked after the writers stopped. */
struct cc_rec {
	__u32 w, k, gen;
	__u64 version, call_version;
};

struct cc_dump {
	unsigned int stable[CC_STABLE];
	unsigned int churn[CC_WRITERS][CC_OWN];
	unsigned int *fill;
	__u64 stable_ver[CC_STABLE];
	struct cc_rec *recs;
	unsigned long nrecs, cap;
	unsigned long dups, unknown, torn, bad_stable, above_call;
	__u64 call_version;	/* @version of the call being parsed */
	char first[200];
};

static void cc_bad(struct cc_dump *c, unsigned long *ctr, const char *what,
		   const struct rec *r)
{
	if (!(*ctr)++ && !c->first[0])
		snprintf(c->first, sizeof(c->first), "%s: %.*s", what,
			 (int)(r->key_len > 40 ? 40 : r->key_len), r->key);
}

static void cc_visit(void *ctx, const struct rec *r)
{
	struct cc_dump *c = ctx;
	char k[48];
	unsigned int a, b;
	long gen;

	if (r->key_len >= sizeof(k)) {
		cc_bad(c, &c->unknown, "unknown", r);
		return;
	}
	memcpy(k, r->key, r->key_len);
	k[r->key_len] = '\0';
	gen = val_check(r->val, r->value_len, r->key, r->key_len);
	if (gen < 0) {
		cc_bad(c, &c->torn, "torn value", r);
		return;
	}
	if (r->version > c->call_version)
		cc_bad(c, &c->above_call, "version above the call's", r);
	if (sscanf(k, "cs-%u", &a) == 1 && a < CC_STABLE) {
		if (c->stable[a]++)
			cc_bad(c, &c->dups, "stable twice", r);
		if (gen || r->version != c->stable_ver[a])
			cc_bad(c, &c->bad_stable, "stable changed", r);
	} else if (sscanf(k, "cc-%u-%u", &a, &b) == 2 && a < CC_WRITERS &&
		   b < CC_OWN) {
		if (c->churn[a][b]++)
			cc_bad(c, &c->dups, "churn twice", r);
		if (c->nrecs == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 4096;
			c->recs = realloc(c->recs, c->cap * sizeof(*c->recs));
		}
		c->recs[c->nrecs++] = (struct cc_rec){
			.w = a, .k = b, .gen = gen, .version = r->version,
			.call_version = c->call_version,
		};
	} else if (sscanf(k, "cf-%u", &a) == 1 && a < CC_FILL && c->fill) {
		if (c->fill[a]++)
			cc_bad(c, &c->dups, "fill twice", r);
	} else {
		cc_bad(c, &c->unknown, "unknown", r);
	}
}

static void cc_writer_log(struct cc_writer *w, unsigned int k, __u64 v)
{
	if (w->nlog == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 8192;
		w->log = realloc(w->log, w->cap * sizeof(*w->log));
	}
	w->log[w->nlog] = (struct cc_log){ .k = k, .gen = w->nlog, .version = v };
	w->nlog++;
}

/*
 * Own keys: create when absent, else replace (conditional on the version
 * held), delete or LOOKUP_DELETE; a purge (of the "cc-" prefix) is seen
 * as ENOENT, and the key is then created again.  The generation is the
 * writer's write count, so (writer, generation) names one write.
 */
static void *cc_writer_main(void *arg)
{
	struct cc_writer *w = arg;
	char key[32], val[1200];

	while (!atomic_load(w->stop)) {
		unsigned int k = rand_r(&w->seed) % CC_OWN, op;
		__u32 len;
		__u64 v = 0;
		int ret;

		snprintf(key, sizeof(key), "cc-%d-%u", w->id, k);
		if (!w->held[k]) {
			len = val_make(val, sizeof(val), key, w->nlog);
			ret = oh_insert(w->fd, key, strlen(key), val, len, 0, 0,
					&v);
			if (!ret) {
				cc_writer_log(w, k, v);
				w->held[k] = v;
				w->creates++;
			}
		} else if ((op = rand_r(&w->seed) % 8) < 5) {
			len = val_make(val, sizeof(val), key, w->nlog);
			ret = oh_insert(w->fd, key, strlen(key), val, len,
					OBJHASH_INSERT_REPLACE |
					OBJHASH_INSERT_NOCREATE, w->held[k], &v);
			if (!ret) {
				cc_writer_log(w, k, v);
				w->held[k] = v;
				w->replaces++;
			}
		} else if (op < 7) {
			ret = oh_delete(w->fd, key, strlen(key), w->held[k]);
			if (!ret) {
				w->held[k] = 0;
				w->deletes++;
			}
		} else {
			len = sizeof(val);
			ret = oh_lookup(w->fd, key, strlen(key), val, &len,
					OBJHASH_LOOKUP_DELETE, &v);
			if (!ret) {
				if (v != w->held[k] && !w->bad++)
					snprintf(w->err, sizeof(w->err),
						 "%s: took version %llu, held %llu",
						 key, (unsigned long long)v,
						 (unsigned long long)w->held[k]);
				w->held[k] = 0;
				w->recreates++;
			}
		}
		if (ret == -ENOENT && w->held[k]) {
			w->held[k] = 0;		/* purged */
			w->purged_seen++;
		} else if (ret && ret != -ENOENT && !w->bad++) {
			snprintf(w->err, sizeof(w->err), "%s: %s", key,
				 strerror(-ret));
		}
		atomic_fetch_add(&w->ops, 1);
	}
	return NULL;
}

struct cc_side {
	pthread_t th;
	int fd;
	atomic_bool *stop;
	atomic_ulong done;
	unsigned int seed;
	int err;
	__u64 purged;
};

/* Purge the churn keys ("cc-") at the current version, over and over. */
static void *cc_purger_main(void *arg)
{
	struct cc_side *p = arg;

	while (!atomic_load(p->stop)) {
		struct objhash_stats st;
		__u64 n = 0;
		int ret = oh_stats(p->fd, &st) ?:
			  oh_purge_prefix(p->fd, 0, st.version, "cc-", 3, &n);

		if (ret && !p->err)
			p->err = ret;
		p->purged += n;
		atomic_fetch_add(&p->done, 1);
		usleep(2000);
	}
	return NULL;
}

/* Force resizes to random sizes in [4, 10] bits. */
static void *cc_resizer_main(void *arg)
{
	struct cc_side *r = arg;

	while (!atomic_load(r->stop)) {
		int ret = oh_debugfs_write("resize", 4 + rand_r(&r->seed) % 7);

		if (ret && !r->err)
			r->err = ret;
		atomic_fetch_add(&r->done, 1);
	}
	return NULL;
}

FIXTURE(dumpcc)
{
	int fd;
	struct objhash_stats st0;
	struct cc_dump *c;
};

FIXTURE_SETUP(dumpcc)
{
	ASSERT_EQ(0, access(oh_ko(), R_OK)) TH_LOG("%s (set OBJHASH_KO)",
						   oh_ko());
	ASSERT_EQ(0, oh_reload(CC_PARAMS)) TH_LOG("insmod %s", CC_PARAMS);
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	ASSERT_EQ(16, self->st0.buckets);
	self->c = calloc(1, sizeof(*self->c));
	ASSERT_NE(NULL, self->c);
	self->c->fill = calloc(CC_FILL, sizeof(unsigned int));
	ASSERT_NE(NULL, self->c->fill);
}

FIXTURE_TEARDOWN(dumpcc)
{
	if (self->fd >= 0) {
		EXPECT_EQ(0, oh_purge_all(self->fd));
		close(self->fd);
	}
	if (self->c) {
		free(self->c->recs);
		free(self->c->fill);
		free(self->c);
	}
	EXPECT_EQ(0, oh_reload(""));
}

static void cc_reset(struct cc_dump *c)
{
	memset(c->stable, 0, sizeof(c->stable));
	memset(c->churn, 0, sizeof(c->churn));
	memset(c->fill, 0, CC_FILL * sizeof(unsigned int));
	/* churn records of every dump are kept for the check at the end */
}

/*
 * One dump by hand, @max_records per call into a buffer of @buf_len, with
 * cc_visit's call_version kept current; @between(ctx, call) runs after
 * each call.  Returns 0 or -errno; protocol errors go to c->first.
 */
static int cc_dump_once(int fd, struct cc_dump *c, __u32 buf_len,
			__u32 max_records, __u32 flags,
			void (*between)(void *, unsigned int), void *bctx,
			unsigned long *calls)
{
	unsigned char *buf = malloc(buf_len);
	__u64 cur[OBJHASH_CURSOR_WORDS] = { 0 };
	char msg[200] = "";
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (*calls = 0; *calls < 100000;) {
		struct objhash_dump d = {
			.buf = oh_ptr(buf), .buf_len = buf_len,
			.max_records = max_records, .flags = flags,
		};

		memcpy(d.cursor, cur, sizeof(cur));
		ret = oh_dump(fd, &d);
		(*calls)++;
		if (ret == -ERANGE) {
			/* values are < 1200 bytes: the buffer is big enough */
			snprintf(c->first, sizeof(c->first),
				 "ERANGE, needed %u of %u", d.needed, buf_len);
			break;
		}
		if (ret)
			break;
		c->call_version = d.version;
		if (recs_parse(buf, d.bytes, d.records, false, cc_visit, c, msg,
			       sizeof(msg))) {
			snprintf(c->first, sizeof(c->first), "%s", msg);
			ret = -EBADMSG;
			break;
		}
		memcpy(cur, d.cursor, sizeof(cur));
		if (d.status & OBJHASH_DUMP_DONE)
			break;
		if (between)
			between(bctx, *calls);
	}
	free(buf);
	return ret;
}

/* Every record of a churn key names a write the writer made, with its version. */
static unsigned long cc_check_logs(struct cc_dump *c, struct cc_writer *w,
				   char *msg, size_t size)
{
	unsigned long i, bad = 0;

	for (i = 0; i < c->nrecs; i++) {
		const struct cc_rec *r = &c->recs[i];
		const struct cc_writer *wr = &w[r->w];

		if (r->gen >= wr->nlog || wr->log[r->gen].k != r->k ||
		    wr->log[r->gen].version != r->version) {
			if (!bad++)
				snprintf(msg, size,
					 "cc-%u-%u gen %u version %llu: not a write made",
					 r->w, r->k, r->gen,
					 (unsigned long long)r->version);
		}
	}
	return bad;
}

#define CC_MIN_DUMPS	6
#define CC_MIN_OPS	3000	/* per writer */
#define CC_MIN_PURGES	20
#define CC_MIN_RESIZES	20

/*
 * Stable keys, churn keys written by two writers (create, conditional
 * replace, delete, LOOKUP_DELETE, create again), a purger of the churn
 * prefix and a resizer, while dumps go on with 1..8 records per call.
 * Per dump: each stable key exactly once with its value and version, no
 * key twice, no unknown key, no torn value, no version above the call's;
 * afterwards every churn record is checked against the writers' logs.
 */
TEST_F_TIMEOUT(dumpcc, churn_purge_resize, LONG_TIMEOUT)
{
	struct cc_writer *w = calloc(CC_WRITERS, sizeof(*w));
	struct cc_side purger = { 0 }, resizer = { .seed = 5 };
	atomic_bool stop = false;
	struct cc_dump *c = self->c;
	struct objhash_stats sa, sb;
	double deadline = oh_now_s() + DEADLINE_S;
	unsigned long dumps = 0, calls_total = 0, writes_during = 0, stale = 0;
	unsigned long bad_logs = 0, i, ops_min;
	char msg[200] = "", key[32], val[1200];
	bool floors = false;
	unsigned int j;

	ASSERT_NE(NULL, w);
	for (i = 0; i < CC_STABLE; i++) {
		snprintf(key, sizeof(key), "cs-%lu", i);
		ASSERT_EQ(0, oh_insert(self->fd, key, strlen(key), val,
				       val_make(val, sizeof(val), key, 0), 0, 0,
				       &c->stable_ver[i]));
	}
	ASSERT_EQ(0, oh_debugfs_write("resize_delay_us", 20));
	for (j = 0; j < CC_WRITERS; j++) {
		w[j].fd = open(OBJHASH_DEV, O_RDWR);
		w[j].id = j;
		w[j].stop = &stop;
		w[j].seed = 100 + j;
		ASSERT_LE(0, w[j].fd);
		ASSERT_EQ(0, pthread_create(&w[j].th, NULL, cc_writer_main,
					    &w[j]));
	}
	purger.fd = open(OBJHASH_DEV, O_RDWR);
	resizer.fd = -1;
	purger.stop = resizer.stop = &stop;
	ASSERT_LE(0, purger.fd);
	ASSERT_EQ(0, pthread_create(&purger.th, NULL, cc_purger_main, &purger));
	ASSERT_EQ(0, pthread_create(&resizer.th, NULL, cc_resizer_main,
				    &resizer));
	while (!floors && oh_now_s() < deadline) {
		unsigned long calls = 0, p0 = atomic_load(&purger.done);
		unsigned long r0 = atomic_load(&resizer.done), o0 = 0, o1 = 0;
		int ret;

		for (j = 0; j < CC_WRITERS; j++)
			o0 += atomic_load(&w[j].ops);
		cc_reset(c);
		ASSERT_EQ(0, oh_stats(self->fd, &sa));
		ret = cc_dump_once(self->fd, c, 4096, 1 + dumps % 8, 0, NULL,
				   NULL, &calls);
		ASSERT_EQ(0, oh_stats(self->fd, &sb));
		/*
		 * With 16 buckets forced under hundreds of keys, chains of
		 * 16 happen and ask for a rehash, the one documented reason
		 * for ESTALE: that dump starts over.
		 */
		if (ret == -ESTALE && sb.rehashes > sa.rehashes) {
			stale++;
			calls_total += calls;
			continue;
		}
		EXPECT_EQ(0, ret) TH_LOG("dump %lu: %s %s", dumps,
					 strerror(-ret), c->first);
		for (i = 0; i < CC_STABLE; i++)
			if (c->stable[i] != 1 && !c->bad_stable++)
				snprintf(c->first, sizeof(c->first),
					 "dump %lu: cs-%lu seen %u times", dumps,
					 i, c->stable[i]);
		for (j = 0; j < CC_WRITERS; j++)
			o1 += atomic_load(&w[j].ops);
		dumps++;
		calls_total += calls;
		writes_during += o1 - o0;
		/* the floors count what overlapped the dumps */
		floors = dumps >= CC_MIN_DUMPS &&
			 atomic_load(&purger.done) - p0 > 0 &&
			 atomic_load(&resizer.done) - r0 > 0;
		if (ret)
			break;
	}
	ops_min = ~0UL;
	for (j = 0; j < CC_WRITERS; j++)
		if (atomic_load(&w[j].ops) < ops_min)
			ops_min = atomic_load(&w[j].ops);
	/* writers and the side threads must have done their share too */
	while ((ops_min < CC_MIN_OPS ||
		atomic_load(&purger.done) < CC_MIN_PURGES ||
		atomic_load(&resizer.done) < CC_MIN_RESIZES) &&
	       oh_now_s() < deadline) {
		unsigned long calls = 0;

		int ret;

		cc_reset(c);
		ASSERT_EQ(0, oh_stats(self->fd, &sa));
		ret = cc_dump_once(self->fd, c, 4096, 5, 0, NULL, NULL, &calls);
		ASSERT_EQ(0, oh_stats(self->fd, &sb));
		calls_total += calls;
		if (ret == -ESTALE && sb.rehashes > sa.rehashes) {
			stale++;
			continue;
		}
		EXPECT_EQ(0, ret) TH_LOG("%s %s", strerror(-ret), c->first);
		for (i = 0; i < CC_STABLE; i++)
			if (c->stable[i] != 1 && !c->bad_stable++)
				snprintf(c->first, sizeof(c->first),
					 "dump %lu: cs-%lu seen %u times", dumps,
					 i, c->stable[i]);
		dumps++;
		ops_min = ~0UL;
		for (j = 0; j < CC_WRITERS; j++)
			if (atomic_load(&w[j].ops) < ops_min)
				ops_min = atomic_load(&w[j].ops);
	}
	atomic_store(&stop, true);
	pthread_join(purger.th, NULL);
	pthread_join(resizer.th, NULL);
	close(purger.fd);
	for (j = 0; j < CC_WRITERS; j++) {
		pthread_join(w[j].th, NULL);
		close(w[j].fd);
		EXPECT_EQ(0, w[j].bad) TH_LOG("writer %u: %s", j, w[j].err);
		TH_LOG("writer %u: %lu ops: %lu creates, %lu replaces, %lu deletes, %lu taken, %lu purged under it",
		       j, atomic_load(&w[j].ops), w[j].creates, w[j].replaces,
		       w[j].deletes, w[j].recreates, w[j].purged_seen);
	}
	/* every dump's churn records against the logs */
	bad_logs = cc_check_logs(c, w, msg, sizeof(msg));
	ASSERT_EQ(0, oh_stats(self->fd, &sb));
	TH_LOG("%lu whole dumps (%lu more overtaken by one of %llu rehashes), %lu calls, %lu writes during them, %lu purges (%llu objects), %lu resizes (%llu grows, %llu shrinks)",
	       dumps, stale, (unsigned long long)sb.rehashes, calls_total,
	       writes_during, atomic_load(&purger.done),
	       (unsigned long long)purger.purged, atomic_load(&resizer.done),
	       (unsigned long long)sb.grows, (unsigned long long)sb.shrinks);
	EXPECT_EQ(0, c->dups + c->unknown + c->torn + c->bad_stable +
		  c->above_call) {
		TH_LOG("%lu twice, %lu unknown, %lu torn, %lu stable wrong, %lu above the call's version; first: %s",
		       c->dups, c->unknown, c->torn, c->bad_stable,
		       c->above_call, c->first);
	}
	EXPECT_EQ(0, bad_logs) TH_LOG("%s", msg);
	EXPECT_TRUE(floors && ops_min >= CC_MIN_OPS) {
		TH_LOG("floors not reached in %d s", DEADLINE_S);
	}
	EXPECT_EQ(0, purger.err) TH_LOG("purge: %s", strerror(-purger.err));
	EXPECT_EQ(0, resizer.err) TH_LOG("resize: %s", strerror(-resizer.err));
	for (j = 0; j < CC_WRITERS; j++)
		free(w[j].log);
	free(w);
}

struct gs_ctx {
	int fd;
	unsigned int fill_at, empty_at;
	int err;
	double deadline;
	struct objhash_stats at_fill, at_empty;
};

static void gs_fill(struct gs_ctx *g)
{
	struct objhash_stats st;
	char key[32], val[1200];
	unsigned int i;

	/*
	 * 3,000 keys poured into 16 buckets faster than the worker grows
	 * them make chains of 16, and so a rehash, the one thing allowed to
	 * stop a dump (ESTALE): let the worker keep up, 16 keys at a time.
	 */
	for (i = 0; i < CC_FILL && !g->err; i++) {
		snprintf(key, sizeof(key), "cf-%u", i);
		g->err = oh_insert(g->fd, key, strlen(key), val,
				   val_make(val, sizeof(val), key, 0), 0, 0,
				   NULL);
		if (i % 16)
			continue;
		do {
			g->err = g->err ?: oh_stats(g->fd, &st);
		} while (!g->err && st.objects > st.buckets &&
			 oh_now_s() < g->deadline && !usleep(1000));
	}
	/* the worker grows the table: wait for it */
	do {
		g->err = g->err ?: oh_stats(g->fd, &g->at_fill);
	} while (!g->err && g->at_fill.buckets < 1024 &&
		 oh_now_s() < g->deadline && !usleep(5000));
}

static void gs_empty(struct gs_ctx *g)
{
	char key[32];
	unsigned int i;

	for (i = 0; i < CC_FILL && !g->err; i++) {
		snprintf(key, sizeof(key), "cf-%u", i);
		g->err = oh_delete(g->fd, key, strlen(key), 0);
	}
	/*
	 * The worker shrinks it as far as its load says (to 32 buckets for
	 * a dozen keys: it shrinks below a quarter); the last step back to
	 * 16 is forced.
	 */
	do {
		g->err = g->err ?: oh_stats(g->fd, &g->at_empty);
	} while (!g->err && g->at_empty.buckets > 32 &&
		 oh_now_s() < g->deadline && !usleep(5000));
	g->err = g->err ?: oh_debugfs_write("resize", 4) ?:
		 oh_stats(g->fd, &g->at_empty);
}

static void gs_between(void *ctx, unsigned int call)
{
	struct gs_ctx *g = ctx;

	if (call == g->fill_at)
		gs_fill(g);
	if (call == g->empty_at)
		gs_empty(g);
}

/*
 * A table of 16 buckets holding a few stable keys: a dump begins, a fill
 * grows the table to thousands of buckets, the dump goes on, the fill is
 * deleted and the table shrinks back to 16, the dump ends.  Stable keys
 * exactly once; fill keys at most once.  Rounds put the grow and the
 * shrink after different calls.
 */
TEST_F_TIMEOUT(dumpcc, grow_and_shrink_within_one_dump, LONG_TIMEOUT)
{
	struct cc_dump *c = self->c;
	struct gs_ctx g = { .fd = self->fd,
			    .deadline = oh_now_s() + DEADLINE_S };
	char key[32], val[1200];
	unsigned int round, i, fills_seen = 0;

	for (i = 0; i < 12; i++) {
		snprintf(key, sizeof(key), "cs-%u", i);
		ASSERT_EQ(0, oh_insert(self->fd, key, strlen(key), val,
				       val_make(val, sizeof(val), key, 0), 0, 0,
				       &c->stable_ver[i]));
	}
	for (round = 0; round < 4; round++) {
		struct objhash_stats a, b;
		unsigned long calls = 0, fill_recs = 0;
		int ret;

		ASSERT_EQ(0, oh_stats(self->fd, &a));
		ASSERT_EQ(16, a.buckets);
		g.fill_at = 1 + round;
		g.empty_at = 3 + 2 * round;
		cc_reset(c);
		ret = cc_dump_once(self->fd, c, 4096, 1, 0, gs_between, &g,
				   &calls);
		ASSERT_EQ(0, oh_stats(self->fd, &b));
		ASSERT_EQ(0, ret) TH_LOG("%s %s; %llu rehashes during the dump",
					 strerror(-ret), c->first,
					 (unsigned long long)(b.rehashes - a.rehashes));
		ASSERT_EQ(0, g.err) TH_LOG("fill/empty: %s", strerror(-g.err));
		ASSERT_EQ(0, oh_stats(self->fd, &b));
		ASSERT_EQ(a.rehashes, b.rehashes);
		EXPECT_LE(1024, g.at_fill.buckets);
		EXPECT_EQ(16, g.at_empty.buckets);
		EXPECT_LT(a.grows, b.grows);
		EXPECT_LT(a.shrinks, b.shrinks);
		EXPECT_LT(g.empty_at, calls) TH_LOG("the dump ended too soon");
		for (i = 0; i < 12; i++)
			EXPECT_EQ(1, c->stable[i]) TH_LOG("round %u: cs-%u seen %u times",
							   round, i, c->stable[i]);
		for (i = 0; i < CC_FILL; i++)
			fill_recs += c->fill[i];
		fills_seen += fill_recs > 0;
		EXPECT_EQ(0, c->dups + c->unknown + c->torn + c->bad_stable +
			  c->above_call) TH_LOG("round %u: %s", round, c->first);
		TH_LOG("round %u: %lu calls, %lu fill records, %llu buckets at the peak",
		       round, calls, fill_recs,
		       (unsigned long long)g.at_fill.buckets);
	}
	/* the dumps walked the grown table too */
	EXPECT_LT(0, fills_seen);
}

OBJHASH_TEST_MAIN
