/* SPDX-License-Identifier: GPL-2.0 */
/*
 * objhash_bench (native): what the driver (bench_main.c) and the tables
 * under test (bench_objhash.c, bench_lfht.c, bench_ckht.c, bench_locked.c)
 * share.  Plain
 * C types only: bench_objhash.c is built against the kernel shims, the
 * others against libc and liburcu, and the two sets of headers do not mix.
 *
 * Every table does the same work per operation, as module/bench does in
 * the guest: an insert allocates one object (16-byte key, 64-byte value)
 * and links it, failing if the key is there; a lookup finds a key and
 * copies its value out under the read-side lock (RCU, or the table's lock);
 * a replace links a new object in place of the old one; a remove unlinks
 * and frees, after a grace period where readers take no lock.
 */
#ifndef _OBJHASH_NATIVE_BENCH_H
#define _OBJHASH_NATIVE_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#define BENCH_KEY_LEN	16
#define BENCH_VALUE_LEN	64

struct bench_key {
	uint8_t b[BENCH_KEY_LEN];
};

/**
 * struct bench_variant - one table implementation under test
 * @name: short name printed in the results
 * @create: an empty table of 1 << @bits chains; NULL on failure
 * @destroy: free the table and every object, waiting for RCU frees
 * @insert: create @key with the value of @version; nonzero if present
 * @replace: replace @key's object with one of @version; nonzero if absent
 * @remove: unlink and free @key's object; nonzero if absent
 * @lookup: copy @key's value into @buf; nonzero if absent
 * @purge: unlink every object of version <= @cut, count them in @purged
 *
 * objhash numbers versions itself (1, 2, ... in insert order); the others
 * store the @version they are given.  A table filled from one thread in
 * key order gives key i version i + 1 in every variant, so a purge cut
 * means the same objects for all of them.
 */
struct bench_variant {
	const char *name;
	void *(*create)(unsigned int bits);
	void (*destroy)(void *tbl);
	int (*insert)(void *tbl, const struct bench_key *key, uint64_t version);
	int (*replace)(void *tbl, const struct bench_key *key, uint64_t version);
	int (*remove)(void *tbl, const struct bench_key *key);
	int (*lookup)(void *tbl, const struct bench_key *key, uint8_t *buf);
	int (*purge)(void *tbl, uint64_t cut, uint64_t *purged);
};

extern const struct bench_variant bench_objhash;
extern const struct bench_variant bench_lfht;
extern const struct bench_variant bench_ckht;
extern const struct bench_variant bench_global;
extern const struct bench_variant bench_sharded;
extern const struct bench_variant bench_floor;

/* bench_objhash.c: the object caches, once per process. */
int bench_objhash_init(void);
void bench_objhash_exit(void);
/* Start the shim's workqueue thread now, from the calling thread. */
void bench_start_workqueue(void);

/* The kernel's hsiphash of a 16-byte key (lib/siphash.c), for all tables. */
uint32_t bench_hash(const struct bench_key *key, const uint64_t secret[2]);
void bench_value_fill(uint8_t *value, uint64_t version);
/* getrandom(2), retried until @len bytes came. */
void bench_random(void *buf, unsigned long len);

#endif
