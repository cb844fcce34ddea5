/* SPDX-License-Identifier: GPL-2.0 */
/*
 * objhash_bench: the pieces shared by the benchmark's files.  Every table
 * under test sits behind one struct bench_variant, so the runner times the
 * same loop around each of them and each operation does the same work: an
 * insert allocates and links one object with a 16-byte key and a 64-byte
 * value, a lookup finds a key and copies its value into the caller's buffer.
 */
#ifndef _OBJHASH_BENCH_H
#define _OBJHASH_BENCH_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/types.h>

#define BENCH_KEY_LEN		16
#define BENCH_VALUE_LEN		64
#define BENCH_MAX_THREADS	8

/* Every machine-readable line starts with this; scripts/bench parses them. */
#define BENCH_TAG		"OBJHASH-BENCH "

/* Operations between two cond_resched() calls: bounded loops under TCG. */
#define BENCH_CHUNK		256

struct bench_key {
	u8 b[BENCH_KEY_LEN];
};

/**
 * struct bench_variant - one table implementation under test
 * @name: short name printed in the results
 * @create: make an empty table sized for @nr objects; NULL on failure
 * @destroy: free the table and every object in it, waiting for RCU frees
 * @insert: create @key with a value derived from @version; -EEXIST if there
 * @replace: replace @key's value with a new object; -ENOENT if absent
 * @remove: unlink and free @key's object; -ENOENT if absent
 * @lookup: copy @key's value into @buf (BENCH_VALUE_LEN bytes); -ENOENT
 * @purge: unlink and free every object whose version is at most @cut;
 *	NULL for variants not in the purge comparison
 * @settle: wait until a self-sizing table has finished the resizes its
 *	load asks for and freed the arrays it left; NULL for fixed tables
 * @skip_ops: BIT(op) for each enum bench_op phase not to run
 *
 * The version passed to @insert is the object's index + 1, which is also the
 * version objhash hands out when one thread fills a new table in index
 * order, so a purge cut means the same objects for every variant.
 */
struct bench_variant {
	const char *name;
	void *(*create)(unsigned int nr);
	void (*destroy)(void *tbl);
	int (*insert)(void *tbl, const struct bench_key *key, u64 version);
	int (*replace)(void *tbl, const struct bench_key *key, u64 version);
	int (*remove)(void *tbl, const struct bench_key *key);
	int (*lookup)(void *tbl, const struct bench_key *key, u8 *buf);
	int (*purge)(void *tbl, u64 cut);
	int (*settle)(void *tbl);
	unsigned int skip_ops;
};

extern const struct bench_variant bench_objhash;
extern const struct bench_variant bench_rht;
extern const struct bench_variant bench_rht_kref;
extern const struct bench_variant bench_global;
extern const struct bench_variant bench_global_copyout;
extern const struct bench_variant bench_sharded;
extern const struct bench_variant bench_floor;
extern const struct bench_variant bench_objhash_singly;
extern const struct bench_variant bench_objhash_auto;
extern const struct bench_variant bench_rht_auto;

struct objhash_table;
struct objhash_table *bench_oh_table(void *tbl);
void *bench_oh_create_bits(unsigned int bits);

/**
 * struct bench_keys - the key universe of one run
 * @hit: @nr keys the tables are filled with
 * @miss: @nr keys never inserted
 * @nr: keys in each array
 */
struct bench_keys {
	struct bench_key *hit;
	struct bench_key *miss;
	unsigned int nr;
};

int bench_keys_init(struct bench_keys *keys, unsigned int nr);
void bench_keys_free(struct bench_keys *keys);
void bench_value_fill(u8 *value, u64 version);
unsigned int bench_hash_bits(unsigned int nr);
unsigned int bench_key_index(unsigned int start, unsigned int i,
			     unsigned int nr);
int bench_fill(const struct bench_variant *var, void *tbl,
	       const struct bench_keys *keys);

/**
 * struct bench_team - threads started together, one per CPU
 * @fn: body of thread @tid; returns 0 or a negative errno
 * @arg: passed through to @fn
 * @nr: threads, at most BENCH_MAX_THREADS
 * @ready: threads that reached the start line
 * @all_ready: completed by the last thread to arrive
 * @go: completed once all have arrived, to release them together
 * @start_ns: when each thread left the start line
 * @end_ns: when each thread's @fn returned
 * @err: what each thread's @fn returned
 */
struct bench_team {
	int (*fn)(struct bench_team *team, unsigned int tid);
	void *arg;
	unsigned int nr;
	atomic_t ready;
	struct completion all_ready;
	struct completion go;
	u64 start_ns[BENCH_MAX_THREADS];
	u64 end_ns[BENCH_MAX_THREADS];
	int err[BENCH_MAX_THREADS];
};

int bench_team_run(struct bench_team *team);
u64 bench_team_wall_ns(const struct bench_team *team);
u64 bench_team_busy_ns(const struct bench_team *team);

enum bench_op {
	BENCH_INSERT,
	BENCH_LOOKUP_HIT,
	BENCH_LOOKUP_MISS,
	BENCH_HOTKEY,
	BENCH_REPLACE,
	BENCH_REMOVE,
	BENCH_NR_OPS,
};

/**
 * struct bench_result - what one timed phase measured
 * @ops: operations done by all threads
 * @wall_ns: first thread's start to last thread's end
 * @busy_ns: sum of each thread's own start-to-end time
 * @errors: operations whose result was not the expected one
 */
struct bench_result {
	u64 ops;
	u64 wall_ns;
	u64 busy_ns;
	u64 errors;
};

/**
 * struct bench_phase - one timed operation over a table
 * @var: the table's implementation
 * @tbl: the table
 * @keys: key universe
 * @op: what each thread does
 * @lookups: lookups per thread for the lookup operations
 * @hot: keys the hot-key lookups cycle through
 */
struct bench_phase {
	const struct bench_variant *var;
	void *tbl;
	const struct bench_keys *keys;
	enum bench_op op;
	unsigned int lookups;
	unsigned int hot;
};

extern const char * const bench_op_names[BENCH_NR_OPS];

int bench_phase_run(const struct bench_phase *ph, unsigned int nr_threads,
		    struct bench_result *res);

int bench_purge_run(const struct bench_variant *var,
		    const struct bench_keys *keys, unsigned int round);
int bench_grow_run(const struct bench_keys *keys, unsigned int round);
int bench_reclaim_run(const struct bench_variant *var,
		      const struct bench_keys *keys, unsigned int round);
int bench_load_run(const struct bench_keys *keys, unsigned int lookups,
		   unsigned int round);

#endif /* _OBJHASH_BENCH_H */
