/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the objhash selftests.
 *
 * Every ioctl wrapper returns 0 on success or -errno, with errno read right
 * after the syscall, so a test can compare the result with the errno it
 * expects without another call clobbering errno in between.
 */
#ifndef OBJHASH_TEST_H
#define OBJHASH_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/objhash.h>

/*
 * The harness runs each test in a child that leaves with _exit(), which
 * drops whatever a fully buffered stdout (a pipe to the runner) still holds:
 * line-buffer it so that the operation counts tests print reach the TAP.
 */
__attribute__((constructor)) static void oh_stdout_linebuf(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

#define OBJHASH_DEV		"/dev/objhash"
#define OBJHASH_PARAM_DIR	"/sys/module/objhash/parameters/"
#define OBJHASH_DEFAULT_KO	"/opt/objhash/objhash.ko"

/* First published sizes of the command structs. */
#define OH_INSERT_SIZE0		48
#define OH_LOOKUP_SIZE0		40
#define OH_DELETE_SIZE0		24
#define OH_PURGE_SIZE0		24
#define OH_STATS_SIZE0		112
#define OH_DUMP_SIZE0		96
#define OH_BATCH_SIZE0		32
#define OH_BATCH_OP_SIZE0	56

static inline __u64 oh_ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

/* ioctl() returning 0 or -errno. */
static inline int oh_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

/* INSERT; on success *version (if non-NULL) gets the stored version. */
static inline int oh_insert(int fd, const void *key, __u32 key_len,
			    const void *val, __u32 val_len, __u32 flags,
			    __u64 expect_version, __u64 *version)
{
	struct objhash_insert arg = {
		.key = oh_ptr(key),
		.value = oh_ptr(val),
		.key_len = key_len,
		.value_len = val_len,
		.flags = flags,
		.expect_version = expect_version,
	};
	int ret = oh_ioctl(fd, OBJHASH_IOC_INSERT, &arg);

	if (!ret && version)
		*version = arg.version;
	return ret;
}

/* INSERT with a NUL-terminated key and value (terminators not stored). */
static inline int oh_insert_str(int fd, const char *key, const char *val,
				__u32 flags, __u64 *version)
{
	return oh_insert(fd, key, strlen(key), val, val ? strlen(val) : 0,
			 flags, 0, version);
}

/*
 * LOOKUP; *val_len is the buffer size in and the stored length out (also on
 * ERANGE), *version (if non-NULL) is written whenever the module wrote it.
 */
static inline int oh_lookup(int fd, const void *key, __u32 key_len,
			    void *buf, __u32 *val_len, __u32 flags,
			    __u64 *version)
{
	struct objhash_lookup arg = {
		.key = oh_ptr(key),
		.value = oh_ptr(buf),
		.key_len = key_len,
		.value_len = *val_len,
		.flags = flags,
	};
	int ret = oh_ioctl(fd, OBJHASH_IOC_LOOKUP, &arg);

	if (!ret || ret == -ERANGE) {
		*val_len = arg.value_len;
		if (version)
			*version = arg.version;
	}
	return ret;
}

/* DELETE. */
static inline int oh_delete(int fd, const void *key, __u32 key_len,
			    __u64 expect_version)
{
	struct objhash_delete arg = {
		.key = oh_ptr(key),
		.key_len = key_len,
		.expect_version = expect_version,
	};

	return oh_ioctl(fd, OBJHASH_IOC_DELETE, &arg);
}

static inline int oh_delete_str(int fd, const char *key)
{
	return oh_delete(fd, key, strlen(key), 0);
}

/* PURGE; *purged (if non-NULL) gets the count on success. */
static inline int oh_purge(int fd, __u32 flags, __u64 max_version,
			   __u64 *purged)
{
	struct objhash_purge arg = {
		.flags = flags,
		.max_version = max_version,
	};
	int ret = oh_ioctl(fd, OBJHASH_IOC_PURGE, &arg);

	if (!ret && purged)
		*purged = arg.purged;
	return ret;
}

/* PURGE everything and wait for the memory to go back. */
static inline int oh_purge_all(int fd)
{
	return oh_purge(fd, OBJHASH_PURGE_WAIT, 0, NULL);
}

/* STATS into *st. */
static inline int oh_stats(int fd, struct objhash_stats *st)
{
	memset(st, 0, sizeof(*st));
	return oh_ioctl(fd, OBJHASH_IOC_STATS, st);
}

/*
 * Is @key present?  Returns 1 (and its length/version if asked), 0 if
 * absent, -errno on any other result.
 */
static inline int oh_present(int fd, const void *key, __u32 key_len,
			     __u32 *val_len, __u64 *version)
{
	__u32 len = 0;
	__u64 ver = 0;
	int ret = oh_lookup(fd, key, key_len, NULL, &len, 0, &ver);

	if (ret == -ENOENT)
		return 0;
	if (ret && ret != -ERANGE)
		return ret;
	if (val_len)
		*val_len = len;
	if (version)
		*version = ver;
	return 1;
}

static inline int oh_present_str(int fd, const char *key)
{
	return oh_present(fd, key, strlen(key), NULL, NULL);
}

/* DUMP with @d as built by the caller; 0 or -errno (out fields in *d). */
static inline int oh_dump(int fd, struct objhash_dump *d)
{
	return oh_ioctl(fd, OBJHASH_IOC_DUMP, d);
}

/*
 * BATCH of @count ops of sizeof(*ops) bytes; *done and *failed (if
 * non-NULL) get the call's counts whenever the module wrote them.
 */
static inline int oh_batch(int fd, struct objhash_batch_op *ops, __u32 count,
			   __u32 flags, __u32 *done, __u32 *failed)
{
	struct objhash_batch b = {
		.ops = oh_ptr(ops),
		.count = count,
		.op_size = sizeof(*ops),
		.flags = flags,
		.done = 0xdeadbeef,
		.failed = 0xdeadbeef,
	};
	int ret = oh_ioctl(fd, OBJHASH_IOC_BATCH, &b);

	if (done)
		*done = b.done;
	if (failed)
		*failed = b.failed;
	return ret;
}

/* PURGE of the keys that start with @prefix (@len bytes). */
static inline int oh_purge_prefix(int fd, __u32 flags, __u64 max_version,
				  const void *prefix, __u32 len,
				  __u64 *purged)
{
	struct objhash_purge arg = {
		.flags = flags,
		.max_version = max_version,
		.prefix = oh_ptr(prefix),
		.prefix_len = len,
	};
	int ret = oh_ioctl(fd, OBJHASH_IOC_PURGE, &arg);

	if (!ret && purged)
		*purged = arg.purged;
	return ret;
}

/* The number in the file at @path (sysfs, cgroupfs): 0 or -errno. */
static inline int oh_read_num(const char *path, unsigned long long *val)
{
	char buf[64];
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	err = errno;
	close(fd);
	if (n <= 0)
		return n < 0 ? -err : -EIO;
	buf[n] = '\0';
	*val = strtoull(buf, NULL, 0);
	return 0;
}

/* Read a module parameter as a number; 0 or -errno. */
static inline int oh_param_read(const char *name, unsigned long long *val)
{
	char path[256];

	snprintf(path, sizeof(path), OBJHASH_PARAM_DIR "%s", name);
	return oh_read_num(path, val);
}

/* Write @text to a module parameter with one write(2); 0 or -errno. */
static inline int oh_param_write(const char *name, const char *text)
{
	char path[256];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), OBJHASH_PARAM_DIR "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	return (size_t)n == strlen(text) ? 0 : -EIO;
}

static inline int oh_param_write_num(const char *name, unsigned long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", val);
	return oh_param_write(name, buf);
}

/* The writable limits, saved so a fixture can put them back. */
struct oh_limits {
	unsigned long long max_objects;
	unsigned long long max_bytes;
	unsigned long long max_value_len;
};

static inline int oh_limits_save(struct oh_limits *l)
{
	return oh_param_read("max_objects", &l->max_objects) ?:
	       oh_param_read("max_bytes", &l->max_bytes) ?:
	       oh_param_read("max_value_len", &l->max_value_len);
}

static inline int oh_limits_restore(const struct oh_limits *l)
{
	return oh_param_write_num("max_objects", l->max_objects) ?:
	       oh_param_write_num("max_bytes", l->max_bytes) ?:
	       oh_param_write_num("max_value_len", l->max_value_len);
}

/*
 * A page-aligned pair of pages where the second one is unmapped: anything
 * placed to end at *page_end* straddles into a hole.  Returns the first
 * page or NULL.
 */
static inline char *oh_map_guarded_page(void)
{
	long psz = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (munmap(p + psz, psz)) {
		munmap(p, psz);
		return NULL;
	}
	return p;
}

/* An address that is certainly not mapped (a page mapped then unmapped). */
static inline void *oh_unmapped_addr(void)
{
	long psz = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, psz);
	return p;
}

/* Is the module loaded with its device present? */
static inline bool oh_device_present(void)
{
	return access(OBJHASH_DEV, F_OK) == 0;
}

/*
 * main() for harness programs: skip the whole program, with a reason, when
 * the module is not loaded (the 6.1 harness cannot skip from FIXTURE_SETUP).
 */
#define OBJHASH_TEST_MAIN						\
	static void __attribute__((constructor))			\
	__constructor_order_last(void)					\
	{								\
		if (!__constructor_order)				\
			__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD; \
	}								\
	int main(int argc, char **argv)					\
	{								\
		if (!oh_device_present())				\
			ksft_exit_skip(OBJHASH_DEV " not present: "	\
				       "load objhash.ko first\n");	\
		return test_harness_run(argc, argv);			\
	}

/*
 * Timeout of a test whose work is fixed but large (tens of MiB filled, a
 * million lookups): the harness's default 30 s is a hang guard sized for
 * a real CPU, and under TCG with KASAN such a test takes minutes.
 */
#define OH_SLOW_TIMEOUT		600

/* Seconds on the monotonic clock. */
static inline double oh_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The number in environment variable @name, or @def if it is unset or empty. */
static inline unsigned long oh_env_ulong(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : def;
}

/* ---- reloading the module with parameters ----------------------------- */

#define OH_DEBUGFS		"/sys/kernel/debug/objhash/"

static inline const char *oh_ko(void)
{
	return getenv("OBJHASH_KO") ?: OBJHASH_DEFAULT_KO;
}

/* system(@cmd): its exit status, -1 if it did not exit. */
static inline int oh_run(const char *cmd)
{
	int st;

	fflush(stdout);
	st = system(cmd);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* Reload objhash with @params (every fd on it closed); 0 once it is back. */
static inline int oh_reload(const char *params)
{
	char cmd[512];
	int i;

	if (!access("/sys/module/objhash", F_OK) && oh_run("rmmod objhash"))
		return -1;
	snprintf(cmd, sizeof(cmd), "insmod %s %s", oh_ko(), params);
	if (oh_run(cmd))
		return -1;
	for (i = 0; i < 500 && !oh_device_present(); i++)
		usleep(10000);
	return oh_device_present() ? 0 : -1;
}

/* Write the number @n to debugfs objhash/@file; 0 or -errno. */
static inline int oh_debugfs_write(const char *file, unsigned int n)
{
	char path[128], buf[16];
	int fd, len, ret = 0;

	snprintf(path, sizeof(path), OH_DEBUGFS "%s", file);
	len = snprintf(buf, sizeof(buf), "%u", n);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

/* ---- a known hash secret (test_hooks=1 test_secret=) ------------------- */

#define OH_TEST_K0		0x0123456789abcdefULL
#define OH_TEST_K1		0xfedcba9876543210ULL
#define OH_TEST_SECRET		"0123456789abcdef:fedcba9876543210"

static inline __u64 oh_rol64(__u64 w, unsigned int s)
{
	return (w << s) | (w >> (64 - s));
}

#define OH_SIPROUND do {						\
	v0 += v1; v1 = oh_rol64(v1, 13); v1 ^= v0; v0 = oh_rol64(v0, 32); \
	v2 += v3; v3 = oh_rol64(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = oh_rol64(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = oh_rol64(v1, 17); v1 ^= v2; v2 = oh_rol64(v2, 32); \
} while (0)

/*
 * The kernel's hsiphash() on 64-bit (lib/siphash.c: SipHash-1-3 with the
 * 128-bit key, truncated to 32 bits), for a little-endian machine: the
 * oracle that picks colliding keys under a known secret.  If it ever
 * differed from the kernel, the chosen keys would not collide and the
 * tests using it would fail, not pass.
 */
static inline __u32 oh_hsiphash(const void *data, size_t len, __u64 k0,
				__u64 k1)
{
	__u64 v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	__u64 v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	__u64 b = (__u64)len << 56, m;
	const unsigned char *p = data;
	size_t i;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&m, p, 8);
		v3 ^= m;
		OH_SIPROUND;
		v0 ^= m;
	}
	for (i = 0; i < len; i++)
		b |= (__u64)p[i] << (8 * i);
	v3 ^= b;
	OH_SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	OH_SIPROUND;
	OH_SIPROUND;
	OH_SIPROUND;
	return (__u32)((v0 ^ v1) ^ (v2 ^ v3));
}

/* ---- kmemleak (debug kernels) ------------------------------------------ */

#define OH_KMEMLEAK		"/sys/kernel/debug/kmemleak"

/* Write @cmd ("clear", "scan") to kmemleak: 0, or -errno if unusable. */
static inline int oh_kmemleak_cmd(const char *cmd)
{
	int fd = open(OH_KMEMLEAK, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* kmemleak reports no object younger than this (MSECS_MIN_AGE, 5 s). */
#define OH_KMEMLEAK_MIN_AGE_S	6

/*
 * Wait until what the test allocated is old enough to be reported, scan
 * twice (an object whose last reference was only just dropped is found by
 * the second scan), then count the reports that are objhash's: a line of
 * the record names objhash, or a frame no symbol names (code of an
 * unloaded module).  Prints the first three; *total gets every report.
 * -errno if kmemleak is unusable or a scan fails.
 */
static inline int oh_kmemleak_objhash_leaks(int *total)
{
	int ours = 0, in_ours = 0, ret;
	char line[512];
	FILE *f;

	*total = 0;
	sleep(OH_KMEMLEAK_MIN_AGE_S);
	ret = oh_kmemleak_cmd("scan");
	if (!ret)
		ret = oh_kmemleak_cmd("scan");
	if (ret) {
		printf("# kmemleak: scan failed: %s\n", strerror(-ret));
		return ret;
	}
	f = fopen(OH_KMEMLEAK, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "unreferenced object", 19)) {
			(*total)++;
			in_ours = 0;
		}
		if ((strstr(line, "objhash") || strstr(line, "] 0xffffffff")) &&
		    !in_ours) {
			in_ours = 1;
			ours++;
		}
		if (ours <= 3 && in_ours)
			printf("# kmemleak: %s", line);
	}
	fclose(f);
	return ours;
}


#endif /* OBJHASH_TEST_H */
