// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_batchbench: OBJHASH_IOC_BATCH against single ioctls, and both
 * against a BPF_MAP_TYPE_HASH map of the same size driven by the bpf(2)
 * syscall (BPF_MAP_UPDATE_BATCH / BPF_MAP_LOOKUP_BATCH, and the single
 * BPF_MAP_UPDATE_ELEM / LOOKUP_ELEM); OBJHASH_IOC_DUMP against a
 * BPF_MAP_LOOKUP_BATCH walk of the whole map.
 *
 *   objhash_batchbench [-n objects] [-b batch] [-r rounds] [-d device]
 *                      [-o workload:variant]
 *
 * -o runs only that measurement, in the check pass and the timed rounds
 * (to profile it, e.g. under perf record; the BPF map is then filled only
 * for a BPF variant).
 *
 * One thread.  Every round runs every variant of a workload back to back,
 * in one order on even rounds and the reverse order on odd ones, so each
 * ratio of two variants can be taken per round (paired) and reported with
 * its spread over the rounds (scripts/bench does that).  Each measurement
 * prints one OBJHASH-BENCH bop line: ops done, elapsed ns, system calls.
 *
 * Workloads, every one over the same n keys (16 bytes, random) and 64-byte
 * values:
 *   insert   create n keys in an empty table: objhash purged (PURGE_WAIT)
 *            before each variant, a fresh BPF map (max_entries = n,
 *            preallocated) for each BPF variant; and bpf_batch_noprealloc,
 *            UPDATE_BATCH into a BPF_F_NO_PREALLOC map, which allocates
 *            each element as objhash allocates each object.
 *            BPF_MAP_UPDATE_BATCH takes no BPF_NOEXIST (elem_flags may
 *            only be BPF_F_LOCK), so every BPF variant uses BPF_ANY.
 *   replace  replace the value of each of the n keys of a full table:
 *            OBJHASH_INSERT_REPLACE, BPF_ANY on a full map.
 *   lookup   look up each of the n keys once (hits), in a scattered
 *            order.  BPF has no keyed batch lookup: its bpf_batch variant
 *            is BPF_MAP_LOOKUP_BATCH of b entries per call walking the
 *            whole map (n entries), which needs no hashing at all.
 *   dump     read every object: OBJHASH_IOC_DUMP into a 64 KiB buffer
 *            until OBJHASH_DUMP_DONE, against BPF_MAP_LOOKUP_BATCH walking
 *            the map with 64 KiB of key and value buffers per call.
 *
 * Before the timed rounds, one untimed pass runs every variant and compares
 * every value read with the one written (each value starts with its key's
 * index), and checks that each walk returns every key exactly once.
 *
 * A kernel without OBJHASH_IOC_BATCH or OBJHASH_IOC_DUMP (ENOTTY) gets a
 * bskip line for those variants and the rest runs.
 *
 * Exit status: 0, or 1 if a call gave a wrong result (the line says which).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/objhash.h>

#define KEY_LEN		16
#define VALUE_LEN	64
#define DUMP_BUF	65536
#define TAG		"OBJHASH-BENCH "
#define MAX_BATCH	4096

/* The attr sizes libbpf passes: no zero tail for the kernel to check. */
#define ATTR_END(f)	(offsetof(union bpf_attr, f) + \
			 sizeof(((union bpf_attr *)0)->f))
#define BPF_ELEM_ATTR_SIZE	ATTR_END(flags)
#define BPF_BATCH_ATTR_SIZE	ATTR_END(batch)

static unsigned int nr = 16384, batch = 64;
static uint8_t *keys;		/* nr keys, insert order */
static uint8_t *values;		/* nr values, value i for key i */
static unsigned int *order;	/* lookup order: a permutation of 0..nr-1 */
static int dev;
static int have_batch = 1, have_dump = 1, have_bpf_batch = 1;
static unsigned long long total_errors;
/*
 * The untimed first pass: every value read is compared with the one
 * written, and a walk must return each key exactly once.  The timed
 * rounds only check results and lengths.
 */
static int verifying;
static uint8_t *seen;		/* per key: returned by this walk */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

static int bpf_hash_create(uint32_t map_flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_HASH;
	attr.map_flags = map_flags;
	attr.key_size = KEY_LEN;
	attr.value_size = VALUE_LEN;
	attr.max_entries = nr;
	return sys_bpf(BPF_MAP_CREATE, &attr, ATTR_END(map_extra));
}

static int bpf_elem(int cmd, int fd, const void *key, void *value,
		    uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, BPF_ELEM_ATTR_SIZE);
	attr.map_fd = fd;
	attr.key = (uintptr_t)key;
	attr.value = (uintptr_t)value;
	attr.flags = flags;
	return sys_bpf(cmd, &attr, BPF_ELEM_ATTR_SIZE);
}

/* One measurement's outcome, printed as a bop line. */
struct meas {
	const char *workload, *variant;
	unsigned int round;
	uint64_t ops, calls, errors, ns;
	int first_errno;
	const char *first_what;
};

static void meas_error(struct meas *m, int err, const char *what)
{
	if (!m->errors++) {
		m->first_errno = err;
		m->first_what = what;
	}
}

/* Whether @value is key @idx's value; for walks also @key and no repeat. */
static void check_value(struct meas *m, unsigned int idx, const uint8_t *key,
			const uint8_t *value)
{
	if (!verifying)
		return;
	if (key) {
		memcpy(&idx, value, sizeof(idx));	/* the value names its key */
		if (idx >= nr || memcmp(key, keys + (size_t)idx * KEY_LEN, KEY_LEN)) {
			meas_error(m, EBADMSG, "walk_key");
			return;
		}
		if (seen[idx]++)
			meas_error(m, EBADMSG, "walk_repeat");
	}
	if (memcmp(value, values + (size_t)idx * VALUE_LEN, VALUE_LEN))
		meas_error(m, EBADMSG, "value");
}

static void meas_print(const struct meas *m)
{
	if (verifying) {
		if (m->errors)
			printf(TAG "bverify workload=%s variant=%s errors=%llu first_error=%s:%s\n",
			       m->workload, m->variant,
			       (unsigned long long)m->errors, m->first_what,
			       strerror(m->first_errno));
		total_errors += m->errors;
		return;
	}
	printf(TAG "bop round=%u workload=%s variant=%s ops=%llu ns=%llu calls=%llu errors=%llu",
	       m->round, m->workload, m->variant,
	       (unsigned long long)m->ops, (unsigned long long)m->ns,
	       (unsigned long long)m->calls, (unsigned long long)m->errors);
	if (m->errors)
		printf(" first_error=%s:%s", m->first_what,
		       strerror(m->first_errno));
	printf("\n");
	fflush(stdout);
	total_errors += m->errors;
}

static void skip(const char *variant, const char *why)
{
	printf(TAG "bskip variant=%s reason=%s\n", variant, why);
	fflush(stdout);
}

/* Empty the table and wait until the objects are freed: untimed. */
static void objhash_empty(void)
{
	struct objhash_purge p = { .flags = OBJHASH_PURGE_WAIT };

	if (ioctl(dev, OBJHASH_IOC_PURGE, &p)) {
		perror("OBJHASH_IOC_PURGE");
		exit(1);
	}
}

static uint64_t objhash_objects(void)
{
	struct objhash_stats st;

	if (ioctl(dev, OBJHASH_IOC_STATS, &st)) {
		perror("OBJHASH_IOC_STATS");
		exit(1);
	}
	return st.objects;
}

/* ---- objhash, one ioctl per operation ---------------------------------- */

static void oh_single_write(struct meas *m, uint32_t flags)
{
	uint64_t t0;
	unsigned int i;

	t0 = now_ns();
	for (i = 0; i < nr; i++) {
		struct objhash_insert in = {
			.key = (uintptr_t)(keys + (size_t)i * KEY_LEN),
			.value = (uintptr_t)(values + (size_t)i * VALUE_LEN),
			.key_len = KEY_LEN,
			.value_len = VALUE_LEN,
			.flags = flags,
		};

		if (ioctl(dev, OBJHASH_IOC_INSERT, &in))
			meas_error(m, errno, "insert");
	}
	m->ns = now_ns() - t0;
	m->ops = m->calls = nr;
}

static void oh_single_lookup(struct meas *m)
{
	uint8_t value[VALUE_LEN];
	uint64_t t0;
	unsigned int i;

	t0 = now_ns();
	for (i = 0; i < nr; i++) {
		struct objhash_lookup lk = {
			.key = (uintptr_t)(keys + (size_t)order[i] * KEY_LEN),
			.value = (uintptr_t)value,
			.key_len = KEY_LEN,
			.value_len = VALUE_LEN,
		};

		if (ioctl(dev, OBJHASH_IOC_LOOKUP, &lk))
			meas_error(m, errno, "lookup");
		else if (lk.value_len != VALUE_LEN)
			meas_error(m, EBADMSG, "lookup_len");
		else
			check_value(m, order[i], NULL, value);
	}
	m->ns = now_ns() - t0;
	m->ops = m->calls = nr;
}

/* ---- objhash, OBJHASH_IOC_BATCH of @batch ops ---------------------------- */

static struct objhash_batch_op ops[MAX_BATCH];
static uint8_t lookup_out[MAX_BATCH * VALUE_LEN];

/* One BATCH call; 0, or -1 with errno when the call itself failed. */
static int oh_batch_call(struct meas *m, unsigned int count)
{
	struct objhash_batch b = {
		.ops = (uintptr_t)ops,
		.count = count,
		.op_size = sizeof(ops[0]),
	};
	unsigned int j;

	m->calls++;
	if (ioctl(dev, OBJHASH_IOC_BATCH, &b))
		return -1;
	if (b.done != count)
		meas_error(m, EPROTO, "batch_done");
	if (b.failed) {
		for (j = 0; j < count; j++)
			if (ops[j].result)
				meas_error(m, -ops[j].result, "batch_op");
	}
	return 0;
}

static int oh_batch_run(struct meas *m, uint32_t op, uint32_t flags)
{
	unsigned int i, j, n;
	uint64_t t0;

	t0 = now_ns();
	for (i = 0; i < nr; i += n) {
		n = nr - i < batch ? nr - i : batch;
		for (j = 0; j < n; j++) {
			struct objhash_batch_op *o = &ops[j];
			unsigned int k = op == OBJHASH_BATCH_LOOKUP ?
					 order[i + j] : i + j;

			memset(o, 0, sizeof(*o));
			o->key = (uintptr_t)(keys + (size_t)k * KEY_LEN);
			o->key_len = KEY_LEN;
			o->op = op;
			o->flags = flags;
			o->value_len = VALUE_LEN;
			o->value = op == OBJHASH_BATCH_LOOKUP ?
				   (uintptr_t)(lookup_out + (size_t)j * VALUE_LEN) :
				   (uintptr_t)(values + (size_t)k * VALUE_LEN);
		}
		if (oh_batch_call(m, n))
			return -1;
		for (j = 0; op == OBJHASH_BATCH_LOOKUP && j < n; j++) {
			if (ops[j].result)
				continue;	/* counted by oh_batch_call() */
			if (ops[j].value_len != VALUE_LEN)
				meas_error(m, EBADMSG, "lookup_len");
			else
				check_value(m, order[i + j], NULL,
					    lookup_out + (size_t)j * VALUE_LEN);
		}
	}
	m->ns = now_ns() - t0;
	m->ops = nr;
	return 0;
}

/* Runs the batch variant unless BATCH is known to be missing. */
static int oh_batch(struct meas *m, uint32_t op, uint32_t flags)
{
	if (!have_batch)
		return -1;
	if (oh_batch_run(m, op, flags) == 0)
		return 0;
	if (errno == ENOTTY) {
		have_batch = 0;
		skip("objhash_batch", "ENOTTY:BATCH_not_supported_by_this_module");
	} else {
		meas_error(m, errno, "batch_call");
		m->ops = 0;
		meas_print(m);
	}
	return -1;
}

/* ---- objhash DUMP ---------------------------------------------------------- */

static uint64_t dump_buf[DUMP_BUF / 8];

static int oh_dump(struct meas *m)
{
	struct objhash_dump d;
	uint64_t t0, records = 0;
	uint32_t off;

	if (!have_dump)
		return -1;
	if (verifying)
		memset(seen, 0, nr);
	memset(&d, 0, sizeof(d));
	t0 = now_ns();
	for (;;) {
		d.buf = (uintptr_t)dump_buf;
		d.buf_len = sizeof(dump_buf);
		d.flags = 0;
		d.max_records = 0;
		m->calls++;
		if (ioctl(dev, OBJHASH_IOC_DUMP, &d)) {
			if (errno == ENOTTY && m->calls == 1) {
				have_dump = 0;
				skip("objhash_dump", "ENOTTY:DUMP_not_supported_by_this_module");
				return -1;
			}
			meas_error(m, errno, "dump");
			break;
		}
		/* Walk the records as a reader would. */
		for (off = 0; off < d.bytes;) {
			const struct objhash_dump_rec *r =
				(const void *)((const uint8_t *)dump_buf + off);

			if (r->key_len != KEY_LEN || r->value_len != VALUE_LEN ||
			    r->rec_len < sizeof(*r) + KEY_LEN + VALUE_LEN) {
				meas_error(m, EBADMSG, "dump_rec");
				break;
			}
			check_value(m, 0, (const uint8_t *)(r + 1),
				    (const uint8_t *)(r + 1) + KEY_LEN);
			records++;
			off += r->rec_len;
		}
		if (d.status & OBJHASH_DUMP_DONE)
			break;
		if (m->calls > 4 * (uint64_t)nr + 1000) {
			meas_error(m, ELOOP, "dump_never_done");
			break;
		}
	}
	m->ns = now_ns() - t0;
	m->ops = records;
	if (records != nr)
		meas_error(m, EBADMSG, "dump_count");
	return 0;
}

/* ---- BPF hash map ------------------------------------------------------------ */

static void bpf_single_update(struct meas *m, int fd)
{
	uint64_t t0;
	unsigned int i;

	t0 = now_ns();
	for (i = 0; i < nr; i++)
		if (bpf_elem(BPF_MAP_UPDATE_ELEM, fd, keys + (size_t)i * KEY_LEN,
			     values + (size_t)i * VALUE_LEN, BPF_ANY))
			meas_error(m, errno, "update_elem");
	m->ns = now_ns() - t0;
	m->ops = m->calls = nr;
}

static void bpf_single_lookup(struct meas *m, int fd)
{
	uint8_t value[VALUE_LEN];
	uint64_t t0;
	unsigned int i;

	t0 = now_ns();
	for (i = 0; i < nr; i++)
		if (bpf_elem(BPF_MAP_LOOKUP_ELEM, fd,
			     keys + (size_t)order[i] * KEY_LEN, value, 0))
			meas_error(m, errno, "lookup_elem");
		else
			check_value(m, order[i], NULL, value);
	m->ns = now_ns() - t0;
	m->ops = m->calls = nr;
}


/* The bpf(2) batch commands exist (Linux 5.6+) unless this says otherwise. */
static int bpf_batch_missing(int err)
{
	return err == EINVAL || err == EOPNOTSUPP || err == 524 /* ENOTSUPP */;
}

static int bpf_batch_update(struct meas *m, int fd)
{
	union bpf_attr attr;
	unsigned int i, n;
	uint64_t t0;

	if (!have_bpf_batch)
		return -1;
	t0 = now_ns();
	for (i = 0; i < nr; i += n) {
		n = nr - i < batch ? nr - i : batch;
		memset(&attr, 0, BPF_BATCH_ATTR_SIZE);
		attr.batch.map_fd = fd;
		attr.batch.keys = (uintptr_t)(keys + (size_t)i * KEY_LEN);
		attr.batch.values = (uintptr_t)(values + (size_t)i * VALUE_LEN);
		attr.batch.count = n;
		m->calls++;
		if (sys_bpf(BPF_MAP_UPDATE_BATCH, &attr, BPF_BATCH_ATTR_SIZE)) {
			if (i == 0 && bpf_batch_missing(errno)) {
				have_bpf_batch = 0;
				skip("bpf_batch", "BPF_MAP_UPDATE_BATCH_not_supported");
				return -1;
			}
			meas_error(m, errno, "update_batch");
			break;
		}
		if (attr.batch.count != n)
			meas_error(m, EPROTO, "update_batch_count");
	}
	m->ns = now_ns() - t0;
	m->ops = nr;
	return 0;
}

#define WALK_MAX	(DUMP_BUF / (KEY_LEN + VALUE_LEN))
static uint8_t walk_keys[WALK_MAX * KEY_LEN];
static uint8_t walk_values[WALK_MAX * VALUE_LEN];

/* BPF_MAP_LOOKUP_BATCH of @count entries per call over the whole map. */
static int bpf_walk(struct meas *m, int fd, unsigned int count)
{
	union bpf_attr attr;
	uint32_t in = 0, out = 0;
	uint64_t t0, entries = 0;
	unsigned int i;
	int err;

	if (!have_bpf_batch)
		return -1;
	if (verifying)
		memset(seen, 0, nr);
	t0 = now_ns();
	for (;;) {
		memset(&attr, 0, BPF_BATCH_ATTR_SIZE);
		attr.batch.map_fd = fd;
		attr.batch.in_batch = m->calls ? (uintptr_t)&in : 0;
		attr.batch.out_batch = (uintptr_t)&out;
		attr.batch.keys = (uintptr_t)walk_keys;
		attr.batch.values = (uintptr_t)walk_values;
		attr.batch.count = count;
		m->calls++;
		err = sys_bpf(BPF_MAP_LOOKUP_BATCH, &attr, BPF_BATCH_ATTR_SIZE) ?
		      errno : 0;
		if (err && err != ENOENT) {
			if (m->calls == 1 && bpf_batch_missing(err)) {
				have_bpf_batch = 0;
				skip("bpf_batch", "BPF_MAP_LOOKUP_BATCH_not_supported");
				return -1;
			}
			meas_error(m, err, "lookup_batch");
			break;
		}
		for (i = 0; verifying && i < attr.batch.count; i++)
			check_value(m, 0, walk_keys + (size_t)i * KEY_LEN,
				    walk_values + (size_t)i * VALUE_LEN);
		entries += attr.batch.count;
		if (err == ENOENT)
			break;
		in = out;
		if (m->calls > 4 * (uint64_t)nr + 1000) {
			meas_error(m, ELOOP, "lookup_batch_never_done");
			break;
		}
	}
	m->ns = now_ns() - t0;
	m->ops = entries;
	if (entries != nr)
		meas_error(m, EBADMSG, "lookup_batch_count");
	return 0;
}

/* ---- rounds ------------------------------------------------------------------ */

enum variant { V_OH_SINGLE, V_OH_BATCH, V_BPF_SINGLE, V_BPF_BATCH,
	       V_BPF_BATCH_NP, NR_V };
enum workload { W_INSERT, W_REPLACE, W_LOOKUP, W_DUMP, NR_W };

static const char *const workload_names[] = { "insert", "replace", "lookup", "dump" };
static const char *const variant_names[NR_W][NR_V] = {
	/* bpf_batch_noprealloc: BPF_F_NO_PREALLOC, allocating as objhash does */
	[W_INSERT] = { "objhash_single", "objhash_batch", "bpf_single", "bpf_batch",
		       "bpf_batch_noprealloc" },
	[W_REPLACE] = { "objhash_single", "objhash_batch", "bpf_single", "bpf_batch" },
	[W_LOOKUP] = { "objhash_single", "objhash_batch", "bpf_single", "bpf_batch" },
	/* dump: objhash's DUMP and BPF's walk with 64 KiB per call */
	[W_DUMP] = { "objhash_dump", NULL, NULL, "bpf_batch" },
};

static const char *only;	/* -o workload:variant */
static int bpf_full = -1;	/* the map every keyed BPF variant but insert uses */

static int bpf_fill(int fd)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (bpf_elem(BPF_MAP_UPDATE_ELEM, fd, keys + (size_t)i * KEY_LEN,
			     values + (size_t)i * VALUE_LEN, BPF_ANY))
			return -1;
	return 0;
}

/* Make sure the objhash table holds exactly the nr keys (untimed). */
static void objhash_full(void)
{
	unsigned int i;

	if (objhash_objects() == nr)
		return;
	objhash_empty();
	for (i = 0; i < nr; i++) {
		struct objhash_insert in = {
			.key = (uintptr_t)(keys + (size_t)i * KEY_LEN),
			.value = (uintptr_t)(values + (size_t)i * VALUE_LEN),
			.key_len = KEY_LEN,
			.value_len = VALUE_LEN,
		};

		if (ioctl(dev, OBJHASH_IOC_INSERT, &in)) {
			perror("objhash fill");
			exit(1);
		}
	}
}

static void run_one(enum workload w, enum variant v, unsigned int round)
{
	struct meas m = {
		.workload = workload_names[w],
		.variant = variant_names[w][v],
		.round = round,
	};
	int fd = bpf_full, ran = 0;

	if (!m.variant)
		return;
	if (only) {
		size_t wl = strlen(m.workload);

		if (strncmp(only, m.workload, wl) || only[wl] != ':' ||
		    strcmp(only + wl + 1, m.variant))
			return;
	}
	if (v >= V_BPF_SINGLE && bpf_full < 0)
		return;
	if (w == W_INSERT && (v == V_OH_SINGLE || v == V_OH_BATCH))
		objhash_empty();
	if (w == W_INSERT && v >= V_BPF_SINGLE) {
		fd = bpf_hash_create(v == V_BPF_BATCH_NP ? BPF_F_NO_PREALLOC : 0);
		if (fd < 0) {
			perror("bpf(BPF_MAP_CREATE)");
			exit(1);
		}
	}
	switch (v) {
	case V_OH_SINGLE:
		if (w == W_LOOKUP)
			oh_single_lookup(&m);
		else if (w == W_DUMP)
			ran = oh_dump(&m);
		else
			oh_single_write(&m, w == W_REPLACE ? OBJHASH_INSERT_REPLACE : 0);
		break;
	case V_OH_BATCH:
		ran = oh_batch(&m, w == W_LOOKUP ? OBJHASH_BATCH_LOOKUP :
				   OBJHASH_BATCH_INSERT,
			       w == W_REPLACE ? OBJHASH_INSERT_REPLACE : 0);
		break;
	case V_BPF_SINGLE:
		if (w == W_LOOKUP)
			bpf_single_lookup(&m, fd);
		else
			bpf_single_update(&m, fd);
		break;
	case V_BPF_BATCH:
	case V_BPF_BATCH_NP:
		if (w == W_LOOKUP)
			ran = bpf_walk(&m, fd, batch);
		else if (w == W_DUMP)
			ran = bpf_walk(&m, fd, WALK_MAX);
		else
			ran = bpf_batch_update(&m, fd);
		break;
	default:
		break;
	}
	if (ran == 0)
		meas_print(&m);
	if (fd != bpf_full)
		close(fd);
}

/* Every variant of each workload; even rounds forward, odd ones reversed. */
static void run_round(unsigned int round)
{
	enum workload w;
	int i, v;

	for (w = 0; w < NR_W; w++) {
		if (w != W_INSERT)
			objhash_full();
		for (i = 0; i < NR_V; i++) {
			v = round % 2 ? NR_V - 1 - i : i;
			run_one(w, v, round);
		}
	}
}

static unsigned int arg_uint(const char *s, unsigned int min, unsigned int max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "objhash_batchbench: bad number '%s' (%u..%u)\n",
			s, min, max);
		exit(2);
	}
	return v;
}

static void data_make(void)
{
	size_t want = (size_t)nr * KEY_LEN, got = 0;
	unsigned int i, j, t;
	int fd;
	ssize_t n;

	keys = malloc(want);
	values = malloc((size_t)nr * VALUE_LEN);
	order = malloc((size_t)nr * sizeof(*order));
	fd = open("/dev/urandom", O_RDONLY);
	if (!keys || !values || !order || fd < 0) {
		perror("objhash_batchbench: setup");
		exit(1);
	}
	while (got < want && (n = read(fd, keys + got, want - got)) > 0)
		got += n;
	close(fd);
	if (got < want) {
		perror("read /dev/urandom");
		exit(1);
	}
	for (i = 0; i < nr; i++)
		for (j = 0; j < VALUE_LEN; j++)
			values[(size_t)i * VALUE_LEN + j] = (uint8_t)(i * 31 + j);
	for (i = 0; i < nr; i++)
		memcpy(values + (size_t)i * VALUE_LEN, &i, sizeof(i));
	/* The lookup order: a shuffle, so consecutive lookups share nothing. */
	srand(12345);
	for (i = 0; i < nr; i++)
		order[i] = i;
	for (i = nr - 1; i > 0; i--) {
		j = (unsigned int)(((uint64_t)rand() << 16 ^ rand()) % (i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

int main(int argc, char **argv)
{
	const char *dev_path = "/dev/objhash";
	unsigned int rounds = 9, round;
	cpu_set_t set;
	int opt;

	while ((opt = getopt(argc, argv, "n:b:r:d:o:")) != -1) {
		switch (opt) {
		case 'n': nr = arg_uint(optarg, 1, 1U << 24); break;
		case 'b': batch = arg_uint(optarg, 1, MAX_BATCH); break;
		case 'r': rounds = arg_uint(optarg, 1, 1000); break;
		case 'd': dev_path = optarg; break;
		case 'o': only = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-n objects] [-b batch] [-r rounds] [-d dev] [-o workload:variant]\n",
				argv[0]);
			return 2;
		}
	}
	dev = open(dev_path, O_RDWR);
	if (dev < 0) {
		fprintf(stderr, "objhash_batchbench: open %s: %s\n", dev_path,
			strerror(errno));
		return 1;
	}
	/* One thread on one CPU: the variants share its caches alike. */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	data_make();
	printf(TAG "bconfig nr=%u batch=%u rounds=%u key_len=%u value_len=%u dump_buf=%u bpf_walk_count=%u\n",
	       nr, batch, rounds, KEY_LEN, VALUE_LEN, DUMP_BUF,
	       (unsigned int)WALK_MAX);
	bpf_full = bpf_hash_create(0);
	if (bpf_full < 0) {
		skip("bpf_single", strerror(errno));
		skip("bpf_batch", strerror(errno));
	} else if ((!only || strstr(only, "bpf_")) && bpf_fill(bpf_full)) {
		perror("objhash_batchbench: filling the BPF map");
		return 1;
	}
	/* Untimed: every variant once, each value read compared. */
	verifying = 1;
	seen = calloc(nr, 1);
	if (!seen) {
		perror("objhash_batchbench: setup");
		return 1;
	}
	run_round(0);
	verifying = 0;
	printf(TAG "bverify errors=%llu\n", total_errors);
	for (round = 0; round < rounds; round++)
		run_round(round);
	objhash_empty();
	close(dev);
	printf(TAG "bdone errors=%llu\n", total_errors);
	return total_errors ? 1 : 0;
}
