// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_ubench: lookups and inserts per second through /dev/objhash,
 * against a BPF_MAP_TYPE_HASH map driven by the bpf(2) syscall with the same
 * key and value sizes, and against an ioctl the device rejects with ENOTTY
 * (the floor every ioctl pays).  Threads are pinned one per CPU and
 * released together; each prints one machine-readable OBJHASH-BENCH line.
 *
 *   objhash_ubench [-n objects] [-l lookups per thread] [-t max threads]
 *                  [-r rounds] [-d device]
 *
 * Exit status: 0, or 1 if a call failed unexpectedly (the line says which).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
#define MAX_THREADS	8
#define TAG		"OBJHASH-BENCH "

/* The attr size libbpf passes for element calls: no zero tail to check. */
#define BPF_ELEM_ATTR_SIZE	(offsetof(union bpf_attr, flags) + \
				 sizeof(((union bpf_attr *)0)->flags))

enum target { T_OBJHASH, T_BPF, T_EMPTY };
enum op { OP_INSERT, OP_LOOKUP, OP_LOOKUP_MISS };

static const char *const target_names[] = { "objhash", "bpf_hash", "empty_ioctl" };
static const char *const op_names[] = { "insert", "lookup", "lookup_miss" };

/* What every thread of a phase shares; read-only while the threads run. */
struct phase {
	enum target target;
	enum op op;
	int fd;			/* /dev/objhash, or the BPF map */
	const uint8_t *keys;	/* nr present keys of KEY_LEN bytes, then nr absent */
	unsigned int nr;
	unsigned int lookups;
	unsigned int nr_threads;
	pthread_barrier_t start;
};

struct worker {
	struct phase *ph;
	unsigned int tid;
	pthread_t thread;
	uint64_t start_ns, end_ns, ops, errors;
	int first_errno;
};

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

static int bpf_hash_create(unsigned int nr)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_HASH;
	attr.key_size = KEY_LEN;
	attr.value_size = VALUE_LEN;
	attr.max_entries = nr;
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
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

static int objhash_insert(int fd, const void *key, const void *value)
{
	struct objhash_insert in = {
		.key = (uintptr_t)key,
		.value = (uintptr_t)value,
		.key_len = KEY_LEN,
		.value_len = VALUE_LEN,
	};

	return ioctl(fd, OBJHASH_IOC_INSERT, &in);
}

static int objhash_lookup(int fd, const void *key, void *value)
{
	struct objhash_lookup lk = {
		.key = (uintptr_t)key,
		.value = (uintptr_t)value,
		.key_len = KEY_LEN,
		.value_len = VALUE_LEN,
	};

	return ioctl(fd, OBJHASH_IOC_LOOKUP, &lk);
}

/* One operation, as the system call returned it. */
static int do_op(const struct phase *ph, const uint8_t *key, uint8_t *value)
{
	switch (ph->target) {
	case T_OBJHASH:
		return ph->op == OP_INSERT ? objhash_insert(ph->fd, key, value) :
					     objhash_lookup(ph->fd, key, value);
	case T_BPF:
		return ph->op == OP_INSERT ?
			bpf_elem(BPF_MAP_UPDATE_ELEM, ph->fd, key, value, BPF_NOEXIST) :
			bpf_elem(BPF_MAP_LOOKUP_ELEM, ph->fd, key, value, 0);
	default:
		/* Number 0 is no command: the device's shortest way out. */
		return ioctl(ph->fd, _IO(OBJHASH_IOC_MAGIC, 0));
	}
}

/* Whether a call returned what the phase expects of it. */
static int op_ok(const struct phase *ph, int ret)
{
	if (ph->target == T_EMPTY)
		return ret == -1 && errno == ENOTTY;
	if (ph->op == OP_LOOKUP_MISS)
		return ret == -1 && errno == ENOENT;
	return ret == 0;
}

/* Inserts split the keys between threads; lookups stride over all. */
static void worker_loop(struct worker *w)
{
	const struct phase *ph = w->ph;
	unsigned int i, from = 0, to = ph->lookups, idx;
	const uint8_t *keys = ph->keys;
	uint8_t value[VALUE_LEN];

	if (ph->op == OP_INSERT) {
		from = (uint64_t)ph->nr * w->tid / ph->nr_threads;
		to = (uint64_t)ph->nr * (w->tid + 1) / ph->nr_threads;
	}
	if (ph->op == OP_LOOKUP_MISS)
		keys += (size_t)ph->nr * KEY_LEN;
	memset(value, 0xa5, sizeof(value));
	for (i = from; i < to; i++) {
		idx = ph->op == OP_INSERT ? i :
		      (ph->nr / ph->nr_threads * w->tid + i * 7919ULL) % ph->nr;
		if (!op_ok(ph, do_op(ph, keys + (size_t)idx * KEY_LEN, value))) {
			if (!w->errors++)
				w->first_errno = errno;
		}
	}
	w->ops = to - from;
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(w->tid % (ncpu > 0 ? ncpu : 1), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	pthread_barrier_wait(&w->ph->start);
	w->start_ns = now_ns();
	worker_loop(w);
	w->end_ns = now_ns();
	return NULL;
}

static void report(const struct phase *ph, unsigned int round,
		   const struct worker *w)
{
	uint64_t start = UINT64_MAX, end = 0, busy = 0, ops = 0, errors = 0;
	int first_errno = 0;
	unsigned int i;

	for (i = 0; i < ph->nr_threads; i++) {
		start = w[i].start_ns < start ? w[i].start_ns : start;
		end = w[i].end_ns > end ? w[i].end_ns : end;
		busy += w[i].end_ns - w[i].start_ns;
		ops += w[i].ops;
		errors += w[i].errors;
		first_errno = first_errno ?: w[i].first_errno;
	}
	printf(TAG "uop target=%s op=%s threads=%u round=%u ops=%llu wall_ns=%llu busy_ns=%llu errors=%llu",
	       target_names[ph->target], op_names[ph->op], ph->nr_threads,
	       round, (unsigned long long)ops, (unsigned long long)(end - start),
	       (unsigned long long)busy, (unsigned long long)errors);
	if (errors)
		printf(" first_error=%s", strerror(first_errno));
	printf("\n");
	fflush(stdout);
}

/* Run @ph on its threads; returns the number of failed operations. */
static uint64_t phase_run(struct phase *ph, unsigned int round)
{
	struct worker w[MAX_THREADS];
	uint64_t errors = 0;
	unsigned int i;

	memset(w, 0, sizeof(w));
	pthread_barrier_init(&ph->start, NULL, ph->nr_threads);
	for (i = 0; i < ph->nr_threads; i++) {
		w[i].ph = ph;
		w[i].tid = i;
		if (pthread_create(&w[i].thread, NULL, worker_fn, &w[i])) {
			perror("pthread_create");
			exit(1);
		}
	}
	for (i = 0; i < ph->nr_threads; i++) {
		pthread_join(w[i].thread, NULL);
		errors += w[i].errors;
	}
	pthread_barrier_destroy(&ph->start);
	report(ph, round, w);
	return errors;
}

/* Empty the device's table so every insert phase creates every key. */
static int objhash_empty(int fd)
{
	struct objhash_purge p = { .flags = OBJHASH_PURGE_WAIT };

	if (ioctl(fd, OBJHASH_IOC_PURGE, &p)) {
		perror("OBJHASH_IOC_PURGE");
		return -1;
	}
	return 0;
}

/*
 * Fill with inserts, then look up present and absent keys; all timed.  A
 * fresh BPF map each time.
 */
static uint64_t target_run(struct phase *ph, int dev, unsigned int round)
{
	uint64_t errors;

	if (ph->target == T_BPF) {
		ph->fd = bpf_hash_create(ph->nr);
		if (ph->fd < 0) {
			perror("bpf(BPF_MAP_CREATE)");
			return 1;
		}
	} else {
		ph->fd = dev;
		if (ph->target == T_OBJHASH && objhash_empty(dev))
			return 1;
	}
	ph->op = OP_INSERT;
	errors = ph->target == T_EMPTY ? 0 : phase_run(ph, round);
	ph->op = OP_LOOKUP;
	errors += phase_run(ph, round);
	if (ph->target != T_EMPTY) {
		ph->op = OP_LOOKUP_MISS;
		errors += phase_run(ph, round);
	}
	if (ph->target == T_BPF)
		close(ph->fd);
	return errors;
}

/* @nr random keys to insert, then @nr never inserted. */
static uint8_t *keys_make(unsigned int nr)
{
	uint8_t *keys = malloc(2 * (size_t)nr * KEY_LEN);
	int fd = open("/dev/urandom", O_RDONLY);
	size_t want = 2 * (size_t)nr * KEY_LEN, got = 0;
	ssize_t n;

	if (!keys || fd < 0) {
		perror("keys");
		exit(1);
	}
	while (got < want && (n = read(fd, keys + got, want - got)) > 0)
		got += n;
	close(fd);
	if (got < want) {
		perror("read /dev/urandom");
		exit(1);
	}
	return keys;
}

static unsigned int arg_uint(const char *s, unsigned int min, unsigned int max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "objhash_ubench: bad number '%s' (%u..%u)\n",
			s, min, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned int nr = 16384, lookups = 0, max_threads = 2, rounds = 3;
	const char *dev_path = "/dev/objhash";
	struct phase ph = { 0 };
	unsigned int round, t;
	uint64_t errors = 0;
	int opt, dev;

	while ((opt = getopt(argc, argv, "n:l:t:r:d:")) != -1) {
		switch (opt) {
		case 'n': nr = arg_uint(optarg, 1, 1U << 24); break;
		case 'l': lookups = arg_uint(optarg, 1, 1U << 30); break;
		case 't': max_threads = arg_uint(optarg, 1, MAX_THREADS); break;
		case 'r': rounds = arg_uint(optarg, 1, 1000); break;
		case 'd': dev_path = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-n objects] [-l lookups] [-t threads] [-r rounds] [-d dev]\n",
				argv[0]);
			return 2;
		}
	}
	dev = open(dev_path, O_RDWR);
	if (dev < 0) {
		fprintf(stderr, "objhash_ubench: open %s: %s\n", dev_path,
			strerror(errno));
		return 1;
	}
	ph.keys = keys_make(nr);
	ph.nr = nr;
	ph.lookups = lookups ?: 4 * nr;
	printf(TAG "uconfig nr=%u lookups=%u rounds=%u threads=%u\n",
	       nr, ph.lookups, rounds, max_threads);
	for (round = 0; round < rounds; round++) {
		for (t = 1; t <= max_threads; t *= 2) {
			ph.nr_threads = t;
			for (ph.target = T_OBJHASH; ph.target <= T_EMPTY; ph.target++)
				errors += target_run(&ph, dev, round);
		}
	}
	objhash_empty(dev);
	close(dev);
	return errors ? 1 : 0;
}
