// SPDX-License-Identifier: GPL-2.0
/*
 * objhashctl: command-line client for /dev/objhash.
 *
 * A thin front end of libobjhash (tools/lib/objhash), its first user: one
 * library call per command.  See include/uapi/linux/objhash.h for the
 * interface and `objhashctl --help` for the command line and exit codes.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <objhash.h>

#define PROG			"objhashctl"
/* From the repository's VERSION file (tools/Makefile), like the module's. */
#ifndef OBJHASH_VERSION
#define OBJHASH_VERSION		"unknown"
#endif
#define DEFAULT_DEVICE		"/dev/objhash"
/* load: ops per BATCH call unless --batch says otherwise */
#define LOAD_BATCH_DEFAULT	1024

/* The first published sizes; a stray header would fail here. */
_Static_assert(sizeof(struct objhash_insert) == 48, "objhash_insert size");
_Static_assert(sizeof(struct objhash_lookup) == 40, "objhash_lookup size");
_Static_assert(sizeof(struct objhash_delete) == 24, "objhash_delete size");
_Static_assert(offsetof(struct objhash_purge, prefix) == 24, "objhash_purge size");

/* Exit codes; keep in sync with the --help text. */
enum {
	EXIT_OK		= 0,
	EXIT_ERROR	= 1,	/* any other error */
	EXIT_USAGE	= 2,	/* bad command line */
	EXIT_NOENT	= 3,	/* ENOENT: key not found */
	EXIT_EXIST	= 4,	/* EEXIST: key exists */
	EXIT_STALE	= 5,	/* ESTALE: version mismatch */
	EXIT_NOSPC	= 6,	/* ENOSPC: table full */
	EXIT_MSGSIZE	= 7,	/* EMSGSIZE: value too large */
	EXIT_OPEN	= 8,	/* the device could not be opened */
};

struct options {
	const char *device;
	bool hex;
	bool verbose;
	bool replace;
	bool replace_only;
	bool take;
	bool wait;
	bool json;
	bool keys_only;
	uint64_t expect_version;
	uint64_t max_version;
	const char *prefix;	/* purge --prefix, as given */
	uint64_t batch;		/* load --batch: ops per BATCH call */
};

struct key {
	const unsigned char *data;
	size_t len;
	const char *shown;	/* the argument as given, for messages */
	unsigned char *alloc;	/* decoded hex, or NULL */
};

struct value {
	unsigned char *data;
	size_t len;
};

enum {
	OPT_DEVICE = 0x100,
	OPT_HEX,
	OPT_VERSION,
	OPT_REPLACE,
	OPT_REPLACE_ONLY,
	OPT_EXPECT_VERSION,
	OPT_TAKE,
	OPT_MAX_VERSION,
	OPT_WAIT,
	OPT_JSON,
	OPT_KEYS_ONLY,
	OPT_PREFIX,
	OPT_BATCH,
};

#define GLOBAL_LONGOPTS							\
	{ "device",	required_argument,	NULL, OPT_DEVICE },	\
	{ "hex",	no_argument,		NULL, OPT_HEX },	\
	{ "verbose",	no_argument,		NULL, 'v' },		\
	{ "help",	no_argument,		NULL, 'h' },		\
	{ "version",	no_argument,		NULL, OPT_VERSION },	\
	{ "json",	no_argument,		NULL, OPT_JSON }

static const struct option global_longopts[] = {
	GLOBAL_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static const struct option insert_longopts[] = {
	GLOBAL_LONGOPTS,
	{ "replace",		no_argument,		NULL, OPT_REPLACE },
	{ "replace-only",	no_argument,		NULL, OPT_REPLACE_ONLY },
	{ "expect-version",	required_argument,	NULL, OPT_EXPECT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const struct option get_longopts[] = {
	GLOBAL_LONGOPTS,
	{ "take",	no_argument,	NULL, OPT_TAKE },
	{ NULL, 0, NULL, 0 }
};

static const struct option delete_longopts[] = {
	GLOBAL_LONGOPTS,
	{ "expect-version",	required_argument,	NULL, OPT_EXPECT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const struct option purge_longopts[] = {
	GLOBAL_LONGOPTS,
	{ "max-version",	required_argument,	NULL, OPT_MAX_VERSION },
	{ "wait",		no_argument,		NULL, OPT_WAIT },
	{ "prefix",		required_argument,	NULL, OPT_PREFIX },
	{ NULL, 0, NULL, 0 }
};

static const struct option list_longopts[] = {
	GLOBAL_LONGOPTS,
	{ "keys-only",	no_argument,	NULL, OPT_KEYS_ONLY },
	{ NULL, 0, NULL, 0 }
};

static const struct option load_longopts[] = {
	GLOBAL_LONGOPTS,
	{ "replace",	no_argument,		NULL, OPT_REPLACE },
	{ "batch",	required_argument,	NULL, OPT_BATCH },
	{ NULL, 0, NULL, 0 }
};

static const struct option stats_longopts[] = {
	GLOBAL_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static const char usage_line[] =
	"Usage: " PROG " [--device PATH] [--hex] [--json] [-v] COMMAND [OPTIONS] ARGS\n"
	"Try '" PROG " --help' for more information.\n";

static const char help_text[] =
	"Usage: " PROG " [GLOBAL OPTIONS] COMMAND [OPTIONS] ARGS\n"
	"\n"
	"Commands:\n"
	"  insert [--replace | --replace-only] [--expect-version V] [--json] KEY [VALUE]\n"
	"        store VALUE under KEY; prints \"version N\" ({\"version\":N}).\n"
	"        --replace         replace the value if KEY exists\n"
	"        --replace-only    only replace; fail if KEY is absent\n"
	"        --expect-version V  replace only if the current version is V\n"
	"                          (implies --replace; V = 0: no condition)\n"
	"  get [--take] [--json] KEY\n"
	"        write the raw value to stdout (no newline added); with --json\n"
	"        {\"version\":N,\"value_len\":N,\"value\":\"BASE64\"} instead.\n"
	"        --take            delete the key in the same step\n"
	"  delete [--expect-version V] KEY\n"
	"        delete KEY (only if its version is V, V = 0: no condition);\n"
	"        prints nothing.\n"
	"  purge [--prefix P] [--max-version V] [--wait] [--json]\n"
	"        delete every object (only those of version <= V if V > 0);\n"
	"        prints \"purged N\" ({\"purged\":N}).\n"
	"        --prefix P        only keys that start with P (hex with --hex)\n"
	"        --wait            return once the purged objects are freed\n"
	"  stats [--json]\n"
	"        print \"name value\" lines ({\"objects\":N,...}).\n"
	"  list [--keys-only] [--hex] [--json]\n"
	"        one line per object, in the table's (hash) order:\n"
	"        \"KEY\" VERSION \"VALUE\", quoted C-style (\\\\, \\\", \\xNN);\n"
	"        with --hex KEY VERSION VALUE in hex digits; with --json\n"
	"        {\"key\":\"BASE64\",\"version\":N,\"value_len\":N,\"value\":\"BASE64\"}.\n"
	"        --keys-only       leave the value out\n"
	"  dump FILE\n"
	"        write every key and value to FILE ('-': standard output) in\n"
	"        objhashctl's dump format; prints \"dumped N\" ({\"dumped\":N})\n"
	"        unless FILE is '-'.\n"
	"  load [--replace] [--batch N] FILE\n"
	"        insert every key and value of a dump FILE ('-': standard\n"
	"        input), N per BATCH call (default 1024); prints \"loaded N\n"
	"        failed M\" ({\"loaded\":N,\"failed\":M}); each key that failed\n"
	"        is reported on stderr.  A malformed FILE loads nothing.\n"
	"        --replace         replace the values of keys that exist\n"
	"\n"
	"VALUE: a literal string; '-' reads standard input; '@PATH' reads the\n"
	"file PATH (binary-safe); omitted means an empty value.  A literal value\n"
	"beginning with '@' or equal to '-' must be given on standard input.\n"
	"\n"
	"Command options go after COMMAND, anywhere up to '--'.\n"
	"Global options (accepted before or after COMMAND, up to '--'):\n"
	"  --device PATH   device to open (default: $OBJHASH_DEVICE, else\n"
	"                  " DEFAULT_DEVICE ")\n"
	"  --hex           KEY is given as hex digits (e.g. 00ff10); list and\n"
	"                  load print keys (and list values) in hex\n"
	"  --json          print the result as one JSON object on one line\n"
	"                  (shown in parentheses above; delete prints nothing)\n"
	"  -v, --verbose   get: print \"version N\" on stderr\n"
	"  -h, --help      show this help and exit\n"
	"  --version       show the program version and exit\n"
	"Use '--' before a KEY or VALUE that begins with '-'.\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  other error\n"
	"  2  usage error\n"
	"  3  key not found (ENOENT)\n"
	"  4  key exists (EEXIST)\n"
	"  5  version mismatch (ESTALE); list, dump: the table was rehashed\n"
	"     during the dump, run it again\n"
	"  6  table full (ENOSPC)\n"
	"  7  value too large (EMSGSIZE)\n"
	"  8  the device could not be opened (missing, permission)\n"
	"load exits with the code of the first key that failed.\n";

static int __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n%s", usage_line);
	va_end(ap);
	return EXIT_USAGE;
}

static int errno_to_exit(int err)
{
	switch (err) {
	case ENOENT:
		return EXIT_NOENT;
	case EEXIST:
		return EXIT_EXIST;
	case ESTALE:
		return EXIT_STALE;
	case ENOSPC:
		return EXIT_NOSPC;
	case EMSGSIZE:
		return EXIT_MSGSIZE;
	default:
		return EXIT_ERROR;
	}
}

/*
 * Print @len bytes as a C-like quoted string: printable ASCII as is, '"'
 * and '\\' escaped with a backslash, every other byte \xNN.
 */
static void print_quoted_mem(FILE *f, const unsigned char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\') {
			fputc('\\', f);
			fputc(p[i], f);
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			fputc(p[i], f);
		} else {
			fputs("\\x", f);
			fputc(hex[p[i] >> 4], f);
			fputc(hex[p[i] & 15], f);
		}
	}
	fputc('"', f);
}

/* Print a key as given on the command line, quoted as above. */
static void print_quoted(FILE *f, const char *s)
{
	print_quoted_mem(f, (const unsigned char *)s, strlen(s));
}

/* Print @len bytes as lower-case hex digits, two per byte. */
static void print_hex(FILE *f, const unsigned char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		fputc(hex[p[i] >> 4], f);
		fputc(hex[p[i] & 15], f);
	}
}

/* "objhashctl: insert "k": File exists", and the matching exit code. */
static int report_key_error(const char *cmd, const struct key *key, int err)
{
	fprintf(stderr, PROG ": %s ", cmd);
	print_quoted(stderr, key->shown);
	fprintf(stderr, ": %s\n", strerror(err));
	return errno_to_exit(err);
}

/* "objhashctl: write stdout: Broken pipe"; not a table error. */
static int report_io_error(const char *what, int err)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(err));
	return EXIT_ERROR;
}

/* "objhashctl: purge: Inappropriate ioctl for device" */
static int report_error(const char *what, int err)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(err));
	return errno_to_exit(err);
}

static bool parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int decode_hex_key(const char *s, struct key *key)
{
	size_t n = strlen(s), i;
	int hi, lo;

	if (n % 2)
		return usage_error("hex key \"%s\" has an odd number of digits", s);
	if (n / 2 > OBJHASH_KEY_MAX)
		return usage_error("key is %zu bytes, more than %u",
				   n / 2, OBJHASH_KEY_MAX);
	key->alloc = malloc(n / 2 + 1);
	if (!key->alloc) {
		perror(PROG ": malloc");
		return EXIT_ERROR;
	}
	for (i = 0; i < n / 2; i++) {
		hi = hex_digit(s[2 * i]);
		lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return usage_error("hex key \"%s\" has a non-hex digit", s);
		key->alloc[i] = hi << 4 | lo;
	}
	key->data = key->alloc;
	key->len = n / 2;
	return EXIT_OK;
}

/* Fill @key from the KEY argument; returns an exit code (0 on success). */
static int parse_key(const char *arg, bool hex, struct key *key)
{
	key->shown = arg;
	key->alloc = NULL;
	if (!*arg)
		return usage_error("empty key");
	if (hex)
		return decode_hex_key(arg, key);
	if (strlen(arg) > OBJHASH_KEY_MAX)
		return usage_error("key is %zu bytes, more than %u",
				   strlen(arg), OBJHASH_KEY_MAX);
	key->data = (const unsigned char *)arg;
	key->len = strlen(arg);
	return EXIT_OK;
}

/*
 * Read all of @fd into @val, up to @limit bytes; returns 0 or an errno
 * (EMSGSIZE when the input is longer).
 */
static int read_all_max(int fd, struct value *val, size_t limit)
{
	size_t cap = 0, want;
	unsigned char *p;
	ssize_t n;

	val->data = NULL;
	val->len = 0;
	for (;;) {
		if (val->len == cap) {
			if (cap > limit)
				return EMSGSIZE;
			want = cap ? cap * 2 : 4096;
			if (want > limit + 1 || want < cap)
				want = limit + 1;
			p = realloc(val->data, want);
			if (!p)
				return ENOMEM;
			val->data = p;
			cap = want;
		}
		n = read(fd, val->data + val->len, cap - val->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (n == 0)
			break;
		val->len += n;
	}
	if (val->len > limit)
		return EMSGSIZE;
	return 0;
}

/* Read all of @fd into @val, up to OBJHASH_VALUE_MAX bytes. */
static int read_all(int fd, struct value *val)
{
	return read_all_max(fd, val, OBJHASH_VALUE_MAX);
}

static int read_value_file(const char *path, struct value *val)
{
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	err = read_all(fd, val);
	close(fd);
	return err;
}

/* Fill @val from the VALUE argument (NULL: empty); returns an exit code. */
static int load_value(const char *arg, const struct key *key,
		      struct value *val)
{
	const char *what;
	int err;

	val->data = NULL;
	val->len = 0;
	if (!arg)
		return EXIT_OK;
	if (!strcmp(arg, "-")) {
		what = "standard input";
		err = read_all(STDIN_FILENO, val);
	} else if (arg[0] == '@') {
		what = arg;
		err = read_value_file(arg + 1, val);
	} else if (strlen(arg) > OBJHASH_VALUE_MAX) {
		what = "VALUE";
		err = EMSGSIZE;
	} else {
		val->data = (unsigned char *)arg;
		val->len = strlen(arg);
		return EXIT_OK;
	}
	if (!err)
		return EXIT_OK;

	free(val->data);
	val->data = NULL;
	fprintf(stderr, PROG ": insert ");
	print_quoted(stderr, key->shown);
	if (err == EMSGSIZE) {
		fprintf(stderr, ": %s: longer than %u bytes\n", what,
			OBJHASH_VALUE_MAX);
		return EXIT_MSGSIZE;
	}
	/* Not the table's errno: do not map it to a table exit code. */
	fprintf(stderr, ": %s: %s\n", what, strerror(err));
	return EXIT_ERROR;
}

static int open_device(const struct options *o, int flags,
		       struct objhash **hp)
{
	int err;

	err = objhash_open(o->device, flags, hp);
	if (err) {
		fprintf(stderr, PROG ": open %s: %s\n", o->device,
			strerror(-err));
		return EXIT_OPEN;
	}
	return EXIT_OK;
}

/* write(2) all of @len bytes to @fd; returns 0 or an errno. */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

static int do_insert(const struct options *o, const struct key *key,
		     const struct value *val)
{
	struct objhash *h;
	uint64_t version = 0;
	uint32_t flags = 0;
	int ret, err;

	if (o->replace || o->replace_only || o->expect_version)
		flags |= OBJHASH_INSERT_REPLACE;
	if (o->replace_only)
		flags |= OBJHASH_INSERT_NOCREATE;

	ret = open_device(o, O_WRONLY, &h);
	if (ret)
		return ret;
	err = objhash_insert_flags(h, key->data, key->len,
				   val->len ? val->data : NULL, val->len,
				   flags, o->expect_version, &version);
	objhash_close(h);
	if (err)
		return report_key_error("insert", key, -err);
	if (o->json)
		printf("{\"version\":%llu}\n", (unsigned long long)version);
	else
		printf("version %llu\n", (unsigned long long)version);
	return EXIT_OK;
}

static int cmd_insert(const struct options *o, int argc, char **argv)
{
	struct value val = { NULL, 0 };
	struct key key;
	int ret;

	if (argc < 1 || argc > 2)
		return usage_error("insert takes KEY [VALUE]");
	ret = parse_key(argv[0], o->hex, &key);
	if (ret)
		goto out;
	ret = load_value(argc > 1 ? argv[1] : NULL, &key, &val);
	if (ret)
		goto out;
	ret = do_insert(o, &key, &val);
	if (argc > 1 && val.data != (unsigned char *)argv[1])
		free(val.data);
out:
	free(key.alloc);
	return ret;
}

/*
 * get --json: {"version":N,"value_len":N,"value":"BASE64"} and a newline,
 * the value in standard base64 (RFC 4648 section 4, with '=' padding).
 * Written with write(2), like the raw value; returns 0 or an errno.
 */
/*
 * Standard base64 (RFC 4648 section 4, '+/', '=' padding) of @n bytes into
 * @out, which holds (n + 2) / 3 * 4 bytes; returns the bytes written.
 */
static size_t base64_encode(unsigned char *out, const unsigned char *in,
			    size_t n)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, j = 0;
	uint32_t w;

	for (i = 0; i + 2 < n; i += 3) {
		w = in[i] << 16 | in[i + 1] << 8 | in[i + 2];
		out[j++] = b64[w >> 18 & 63];
		out[j++] = b64[w >> 12 & 63];
		out[j++] = b64[w >> 6 & 63];
		out[j++] = b64[w & 63];
	}
	if (i < n) {
		w = in[i] << 16;
		if (i + 1 < n)
			w |= in[i + 1] << 8;
		out[j++] = b64[w >> 18 & 63];
		out[j++] = b64[w >> 12 & 63];
		out[j++] = i + 1 < n ? b64[w >> 6 & 63] : '=';
		out[j++] = '=';
	}
	return j;
}

static int print_value_json(const struct value *val, uint64_t version)
{
	size_t n = val->len, j = 0, cap = (n + 2) / 3 * 4 + 96;
	unsigned char *out;
	int err;

	out = malloc(cap);
	if (!out)
		return ENOMEM;
	j = snprintf((char *)out, cap, "{\"version\":%llu,\"value_len\":%zu,\"value\":\"",
		     (unsigned long long)version, n);
	j += base64_encode(out + j, val->data, n);
	out[j++] = '"';
	out[j++] = '}';
	out[j++] = '\n';
	err = write_all(STDOUT_FILENO, out, j);
	free(out);
	return err;
}

static int cmd_get(const struct options *o, int argc, char **argv)
{
	struct value val = { NULL, 0 };
	struct objhash *h;
	struct key key;
	uint64_t version = 0;
	void *data = NULL;
	int ret, err;

	if (argc != 1)
		return usage_error("get takes one KEY");
	ret = parse_key(argv[0], o->hex, &key);
	if (ret)
		goto out;
	ret = open_device(o, o->take ? O_RDWR : O_RDONLY, &h);
	if (ret)
		goto out;
	/* sized by ERANGE, again while the value grows */
	if (o->take)
		err = objhash_take_alloc(h, key.data, key.len, &data, &val.len,
					 &version);
	else
		err = objhash_get_alloc(h, key.data, key.len, &data, &val.len,
					&version);
	objhash_close(h);
	if (err) {
		ret = report_key_error("get", &key, -err);
		goto out;
	}
	val.data = data;
	if (o->verbose)
		fprintf(stderr, "version %llu\n", (unsigned long long)version);
	if (o->json)
		err = print_value_json(&val, version);
	else
		err = write_all(STDOUT_FILENO, val.data, val.len);
	free(val.data);
	if (err)
		ret = report_io_error("write stdout", err);
out:
	free(key.alloc);
	return ret;
}

static int cmd_delete(const struct options *o, int argc, char **argv)
{
	struct objhash *h;
	struct key key;
	int ret, err;

	if (argc != 1)
		return usage_error("delete takes one KEY");
	ret = parse_key(argv[0], o->hex, &key);
	if (ret)
		goto out;
	ret = open_device(o, O_WRONLY, &h);
	if (ret)
		goto out;
	err = objhash_delete(h, key.data, key.len, o->expect_version);
	objhash_close(h);
	if (err)
		ret = report_key_error("delete", &key, -err);
out:
	free(key.alloc);
	return ret;
}

static int cmd_purge(const struct options *o, int argc, char **argv)
{
	struct key prefix = { .len = 0, .alloc = NULL };
	struct objhash *h;
	uint64_t purged = 0;
	int ret, err;

	(void)argv;
	if (argc != 0)
		return usage_error("purge takes no arguments");
	if (o->prefix) {
		ret = parse_key(o->prefix, o->hex, &prefix);
		if (ret)
			return ret;
	}
	ret = open_device(o, O_WRONLY, &h);
	if (ret)
		goto out;
	err = objhash_purge_prefix(h, prefix.len ? prefix.data : NULL,
				   prefix.len, o->max_version,
				   o->wait ? OBJHASH_PURGE_WAIT : 0, &purged);
	objhash_close(h);
	if (err == -E2BIG && prefix.len) {
		fprintf(stderr, PROG ": purge: --prefix: %s (the loaded module "
			"predates purge by prefix)\n", strerror(E2BIG));
		ret = EXIT_ERROR;
		goto out;
	}
	if (err) {
		ret = report_error("purge", -err);
		goto out;
	}
	if (o->json)
		printf("{\"purged\":%llu}\n", (unsigned long long)purged);
	else
		printf("purged %llu\n", (unsigned long long)purged);
out:
	free(prefix.alloc);
	return ret;
}

#define STATS_FIELD(f)	{ #f, offsetof(struct objhash_stats, f) }

static const struct {
	const char *name;
	size_t offset;
} stats_fields[] = {
	STATS_FIELD(objects),
	STATS_FIELD(bytes),
	STATS_FIELD(pending_release),
	STATS_FIELD(buckets),
	STATS_FIELD(version),
	STATS_FIELD(max_objects),
	STATS_FIELD(max_bytes),
	STATS_FIELD(max_value_len),
	STATS_FIELD(inserts),
	STATS_FIELD(replaces),
	STATS_FIELD(deletes),
	STATS_FIELD(purged),
	STATS_FIELD(lookups),
	STATS_FIELD(hits),
	STATS_FIELD(min_buckets),
	STATS_FIELD(max_buckets),
	STATS_FIELD(grows),
	STATS_FIELD(shrinks),
	STATS_FIELD(resize_failed),
	STATS_FIELD(max_chain),
	STATS_FIELD(rehashes),
	STATS_FIELD(rehashes_deferred),
	STATS_FIELD(memory),
	STATS_FIELD(pending_memory),
	STATS_FIELD(max_memory),
	STATS_FIELD(throttled),
};

/* A field added to struct objhash_stats must be added above too. */
_Static_assert(sizeof(stats_fields) / sizeof(stats_fields[0]) * 8 ==
	       sizeof(struct objhash_stats), "stats_fields lists every field");

static void print_stats(const struct objhash_stats *st, bool json)
{
	const char *base = (const char *)st;
	unsigned long long v;
	size_t i, n = sizeof(stats_fields) / sizeof(stats_fields[0]);

	if (json)
		putchar('{');
	for (i = 0; i < n; i++) {
		v = *(const __u64 *)(base + stats_fields[i].offset);
		if (json)
			printf("%s\"%s\":%llu", i ? "," : "",
			       stats_fields[i].name, v);
		else
			printf("%s %llu\n", stats_fields[i].name, v);
	}
	if (json)
		printf("}\n");
}

static int cmd_stats(const struct options *o, int argc, char **argv)
{
	struct objhash_stats st;
	struct objhash *h;
	int ret, err;

	(void)argv;
	if (argc != 0)
		return usage_error("stats takes no arguments");
	ret = open_device(o, O_RDONLY, &h);
	if (ret)
		return ret;
	memset(&st, 0, sizeof(st));
	err = objhash_stats(h, &st, sizeof(st));
	objhash_close(h);
	if (err)
		return report_error("stats", -err);
	print_stats(&st, o->json);
	return EXIT_OK;
}

/* ---- list, dump, load: the whole table through DUMP and BATCH ----------- */

/*
 * The DUMP buffer's first size: a record of a value up to 65536 bytes (the
 * module's default max_value_len) with a long key does not fit, so the
 * ERANGE path is a common one, not a corner.
 */
#define DUMP_BUF_FIRST		65536

/* Called for each record of a dump; returns 0, or an exit code to stop. */
typedef int (*record_fn)(void *ctx, const struct objhash_record *rec);

/* Grow *@buf to @needed bytes for an ERANGE; returns 0 or an errno. */
static int dump_grow(unsigned char **buf, size_t *cap, size_t needed)
{
	unsigned char *p;

	if (needed <= *cap)	/* ERANGE for a buffer big enough */
		return EIO;
	p = realloc(*buf, needed);
	if (!p)
		return ENOMEM;
	*buf = p;
	*cap = needed;
	return 0;
}

/* Say what a failed DUMP call means for the command @cmd. */
static int report_dump_error(const char *cmd, int err)
{
	if (err == ESTALE) {
		fprintf(stderr, PROG ": %s: %s (the table was rehashed during "
			"the dump, or the module reloaded: run it again)\n",
			cmd, strerror(err));
		return errno_to_exit(err);
	}
	return report_error(cmd, err);
}

/*
 * Walk the whole table with DUMP (@flags: OBJHASH_DUMP_*), calling @fn for
 * every record; an ERANGE grows the buffer to what the kernel says the
 * record needs and calls again.  *@count gets the records seen.  Returns
 * an exit code.
 */
static int dump_table(struct objhash *h, uint32_t flags, const char *cmd,
		      record_fn fn, void *ctx, uint64_t *count)
{
	struct objhash_dump d = { .flags = flags };
	struct objhash_record rec;
	size_t cap = DUMP_BUF_FIRST, off;
	unsigned char *buf = malloc(cap);
	int ret = EXIT_OK, err, r = 0;

	*count = 0;
	if (!buf)
		return report_error(cmd, ENOMEM);
	do {
		d.buf = (uintptr_t)buf;
		d.buf_len = cap;
		err = -objhash_dump(h, &d, sizeof(d));
		if (err == ERANGE)
			err = dump_grow(&buf, &cap, d.needed);
		if (err) {
			ret = report_dump_error(cmd, err);
			break;
		}
		off = 0;
		while (!ret && (r = objhash_dump_next(buf, d.bytes, &off,
						      &rec)) > 0) {
			ret = fn(ctx, &rec);
			++*count;
		}
		if (!ret && r < 0)
			ret = report_error(cmd, -r);
	} while (!ret && !(d.status & OBJHASH_DUMP_DONE));
	free(buf);
	return ret;
}

/* JSON string of @len bytes in base64, quoted, on stdout. */
static int print_base64_json(const unsigned char *p, size_t len)
{
	unsigned char *out = malloc((len + 2) / 3 * 4 + 1);
	size_t n;

	if (!out)
		return report_error("list", ENOMEM);
	n = base64_encode(out, p, len);
	putchar('"');
	fwrite(out, 1, n, stdout);
	putchar('"');
	free(out);
	return EXIT_OK;
}

/*
 * One `list` line: {"key":"B64","version":N,"value_len":N,"value":"B64"}
 * with --json (no "value" with --keys-only); else KEY VERSION VALUE, KEY
 * and VALUE quoted C-style, or in hex with --hex (an empty value is then
 * an empty field: no third field), VALUE left out with --keys-only.
 */
static int list_record(void *ctx, const struct objhash_record *rec)
{
	const struct options *o = ctx;
	unsigned long long ver = rec->version;
	int ret;

	if (o->json) {
		fputs("{\"key\":", stdout);
		ret = print_base64_json(rec->key, rec->key_len);
		if (ret)
			return ret;
		printf(",\"version\":%llu,\"value_len\":%zu", ver,
		       rec->value_len);
		if (rec->value) {
			fputs(",\"value\":", stdout);
			ret = print_base64_json(rec->value, rec->value_len);
			if (ret)
				return ret;
		}
		fputs("}\n", stdout);
		return EXIT_OK;
	}
	if (o->hex)
		print_hex(stdout, rec->key, rec->key_len);
	else
		print_quoted_mem(stdout, rec->key, rec->key_len);
	printf(" %llu", ver);
	if (rec->value && o->hex && rec->value_len) {
		putchar(' ');
		print_hex(stdout, rec->value, rec->value_len);
	} else if (rec->value && !o->hex) {
		putchar(' ');
		print_quoted_mem(stdout, rec->value, rec->value_len);
	}
	putchar('\n');
	return ferror(stdout) ? report_io_error("write stdout", EIO) : EXIT_OK;
}

static int cmd_list(const struct options *o, int argc, char **argv)
{
	struct objhash *h;
	uint64_t count;
	int ret;

	(void)argv;
	if (argc != 0)
		return usage_error("list takes no arguments");
	ret = open_device(o, O_RDONLY, &h);
	if (ret)
		return ret;
	ret = dump_table(h, o->keys_only ? OBJHASH_DUMP_KEYS_ONLY : 0, "list",
			 list_record, (void *)o, &count);
	objhash_close(h);
	return ret;
}

/*
 * The dump file (objhashctl(1), "DUMP FILE FORMAT"); all integers little
 * endian:
 *
 *	header	"OBJHDUMP", u32 version (1), u32 flags (0)
 *	record	u32 key_len (1..OBJHASH_KEY_MAX), u32 value_len
 *		(0..OBJHASH_VALUE_MAX), the key, the value
 *	end	u32 0, u32 0, u64 the number of records; nothing after it
 *
 * Keys and values only: versions are the table's to give.  A file without
 * its end (a dump that failed half way) is refused by load.
 */
#define DUMPFILE_MAGIC		"OBJHDUMP"
#define DUMPFILE_VERSION	1
#define DUMPFILE_HDR_LEN	16
#define DUMPFILE_REC_LEN	8	/* the two lengths */
#define DUMPFILE_END_LEN	16

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get_le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le64(unsigned char *p, uint64_t v)
{
	put_le32(p, v);
	put_le32(p + 4, v >> 32);
}

static uint64_t get_le64(const unsigned char *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* Where `dump` writes: the stream and its name for messages. */
struct dump_out {
	FILE *f;
	const char *name;
};

static int dump_write(struct dump_out *out, const void *p, size_t len)
{
	if (len && fwrite(p, 1, len, out->f) != len) {
		fprintf(stderr, PROG ": dump: write %s: %s\n", out->name,
			strerror(errno ? errno : EIO));
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

static int dump_record(void *ctx, const struct objhash_record *rec)
{
	struct dump_out *out = ctx;
	unsigned char lens[DUMPFILE_REC_LEN];
	int ret;

	if (!rec->value)	/* a record without its value: a kernel bug */
		return report_error("dump", EIO);
	put_le32(lens, rec->key_len);
	put_le32(lens + 4, rec->value_len);
	ret = dump_write(out, lens, sizeof(lens));
	if (!ret)
		ret = dump_write(out, rec->key, rec->key_len);
	if (!ret)
		ret = dump_write(out, rec->value, rec->value_len);
	return ret;
}

/* Open FILE for `dump` ("-": standard output). */
static int dump_open(const char *path, struct dump_out *out)
{
	out->name = path;
	if (!strcmp(path, "-")) {
		out->f = stdout;
		out->name = "standard output";
		return EXIT_OK;
	}
	out->f = fopen(path, "wbe");
	if (!out->f) {
		fprintf(stderr, PROG ": dump: open %s: %s\n", path,
			strerror(errno));
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

static int dump_close(struct dump_out *out, int ret)
{
	if (out->f == stdout)
		return ret;	/* main() flushes and checks it */
	errno = 0;
	if (fclose(out->f) == EOF && !ret) {
		fprintf(stderr, PROG ": dump: write %s: %s\n", out->name,
			strerror(errno ? errno : EIO));
		ret = EXIT_ERROR;
	}
	return ret;
}

static int cmd_dump(const struct options *o, int argc, char **argv)
{
	unsigned char hdr[DUMPFILE_HDR_LEN], end[DUMPFILE_END_LEN];
	struct dump_out out;
	struct objhash *h;
	uint64_t count = 0;
	int ret;

	if (argc != 1)
		return usage_error("dump takes one FILE ('-': standard output)");
	ret = open_device(o, O_RDONLY, &h);
	if (ret)
		return ret;
	ret = dump_open(argv[0], &out);
	if (ret)
		goto close_dev;
	memcpy(hdr, DUMPFILE_MAGIC, 8);
	put_le32(hdr + 8, DUMPFILE_VERSION);
	put_le32(hdr + 12, 0);
	ret = dump_write(&out, hdr, sizeof(hdr));
	if (!ret)
		ret = dump_table(h, 0, "dump", dump_record, &out, &count);
	if (!ret) {	/* only a complete dump gets its end */
		memset(end, 0, sizeof(end));
		put_le64(end + 8, count);
		ret = dump_write(&out, end, sizeof(end));
	}
	ret = dump_close(&out, ret);
	if (!ret && out.f != stdout) {
		if (o->json)
			printf("{\"dumped\":%llu}\n", (unsigned long long)count);
		else
			printf("dumped %llu\n", (unsigned long long)count);
	}
close_dev:
	objhash_close(h);
	return ret;
}

/* "objhashctl: load FILE: MESSAGE" for a file load refuses; exit 1. */
static int __attribute__((format(printf, 2, 3)))
load_bad_file(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, PROG ": load %s: ", name);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "; nothing loaded\n");
	va_end(ap);
	return EXIT_ERROR;
}

/*
 * Check the whole dump file in @f before anything is inserted: the
 * header, every record's lengths, the end and its count.  *@count gets
 * the records.  Returns an exit code.
 */
static int load_check(const struct value *f, const char *name,
		      uint64_t *count)
{
	const unsigned char *p = f->data;
	size_t off = DUMPFILE_HDR_LEN, klen, vlen;
	uint64_t n = 0;

	if (f->len < DUMPFILE_HDR_LEN || memcmp(p, DUMPFILE_MAGIC, 8))
		return load_bad_file(name, "not an objhash dump (no "
				     DUMPFILE_MAGIC " header)");
	if (get_le32(p + 8) != DUMPFILE_VERSION || get_le32(p + 12))
		return load_bad_file(name, "dump format version %u flags %#x, "
				     "this objhashctl reads version %u",
				     get_le32(p + 8), get_le32(p + 12),
				     DUMPFILE_VERSION);
	for (;;) {
		if (f->len - off < DUMPFILE_REC_LEN)
			return load_bad_file(name, "truncated at byte %zu",
					     off);
		klen = get_le32(p + off);
		vlen = get_le32(p + off + 4);
		if (!klen)
			break;
		if (klen > OBJHASH_KEY_MAX || vlen > OBJHASH_VALUE_MAX)
			return load_bad_file(name, "record %llu at byte %zu: "
					     "key of %zu, value of %zu bytes",
					     (unsigned long long)n, off, klen,
					     vlen);
		off += DUMPFILE_REC_LEN;
		if (f->len - off < klen + vlen)
			return load_bad_file(name, "truncated at byte %zu",
					     off);
		off += klen + vlen;
		n++;
	}
	if (f->len - off != DUMPFILE_END_LEN || get_le32(p + off + 4) ||
	    get_le64(p + off + 8) != n)
		return load_bad_file(name, "bad end at byte %zu (after %llu "
				     "records)", off, (unsigned long long)n);
	*count = n;
	return EXIT_OK;
}

/* What `load` did so far. */
struct load_state {
	const struct options *o;
	struct objhash *h;
	struct objhash_batch_op *ops;
	size_t n;		/* ops filled in @ops */
	uint64_t loaded;
	uint64_t failed;
	int first_err;		/* errno of the first key that failed */
};

/* Report a key that failed: `objhashctl: load "KEY": File exists`. */
static void load_report_key(const struct load_state *st,
			    const struct objhash_batch_op *op)
{
	const unsigned char *key = (const unsigned char *)(uintptr_t)op->key;

	fputs(PROG ": load ", stderr);
	if (st->o->hex)
		print_hex(stderr, key, op->key_len);
	else
		print_quoted_mem(stderr, key, op->key_len);
	fprintf(stderr, ": %s\n", strerror(-op->result));
}

/* Run the @st->n ops filled so far as one BATCH; returns an exit code. */
static int load_flush(struct load_state *st)
{
	size_t done = 0, failed = 0, i, n = st->n;
	int err;

	if (!n)
		return EXIT_OK;
	err = objhash_batch(st->h, st->ops, n, sizeof(*st->ops), 0, &done,
			    &failed);
	for (i = 0; i < done && i < n; i++) {
		if (!st->ops[i].result) {
			st->loaded++;
			continue;
		}
		load_report_key(st, &st->ops[i]);
		if (!st->first_err)
			st->first_err = -st->ops[i].result;
		st->failed++;
	}
	st->n = 0;
	if (err)
		return report_error("load", -err);
	if (done != i || i != n)	/* all ran, or the call failed */
		return report_error("load", EIO);
	return EXIT_OK;
}

/* Insert every record of the checked file @f, in BATCH calls. */
static int load_records(struct load_state *st, const struct value *f)
{
	const unsigned char *p = f->data;
	size_t off = DUMPFILE_HDR_LEN, klen, vlen;
	struct objhash_batch_op *op;
	int ret;

	for (;;) {
		klen = get_le32(p + off);
		vlen = get_le32(p + off + 4);
		if (!klen)
			break;
		off += DUMPFILE_REC_LEN;
		op = &st->ops[st->n++];
		memset(op, 0, sizeof(*op));
		op->op = OBJHASH_BATCH_INSERT;
		op->flags = st->o->replace ? OBJHASH_INSERT_REPLACE : 0;
		op->key = (uintptr_t)(p + off);
		op->key_len = klen;
		op->value = (uintptr_t)(p + off + klen);
		op->value_len = vlen;
		off += klen + vlen;
		if (st->n == st->o->batch) {
			ret = load_flush(st);
			if (ret)
				return ret;
		}
	}
	return load_flush(st);
}

/* Read FILE for `load` ("-": standard input) into @f. */
static int load_read(const char *path, struct value *f, const char **name)
{
	int fd = STDIN_FILENO, err;

	*name = path;
	if (!strcmp(path, "-")) {
		*name = "standard input";
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, PROG ": load: open %s: %s\n", path,
				strerror(errno));
			return EXIT_ERROR;
		}
	}
	err = read_all_max(fd, f, SIZE_MAX / 2);
	if (fd != STDIN_FILENO)
		close(fd);
	if (err) {
		fprintf(stderr, PROG ": load: read %s: %s\n", *name,
			strerror(err));
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

static int cmd_load(const struct options *o, int argc, char **argv)
{
	struct load_state st = { .o = o };
	struct value f = { NULL, 0 };
	struct options lo = *o;
	const char *name;
	uint64_t count = 0;
	int ret;

	if (argc != 1)
		return usage_error("load takes one FILE ('-': standard input)");
	if (!lo.batch)
		lo.batch = LOAD_BATCH_DEFAULT;
	st.o = &lo;
	ret = load_read(argv[0], &f, &name);
	if (!ret)
		ret = load_check(&f, name, &count);
	if (ret)
		goto free_file;
	ret = open_device(o, O_WRONLY, &st.h);
	if (ret)
		goto free_file;
	st.ops = calloc(count < lo.batch ? count + 1 : lo.batch,
			sizeof(*st.ops));
	if (!st.ops) {
		ret = report_error("load", ENOMEM);
		goto close_dev;
	}
	ret = load_records(&st, &f);
	if (o->json)
		printf("{\"loaded\":%llu,\"failed\":%llu}\n",
		       (unsigned long long)st.loaded,
		       (unsigned long long)st.failed);
	else
		printf("loaded %llu failed %llu\n",
		       (unsigned long long)st.loaded,
		       (unsigned long long)st.failed);
	if (!ret && st.first_err)
		ret = errno_to_exit(st.first_err);
	free(st.ops);
close_dev:
	objhash_close(st.h);
free_file:
	free(f.data);
	return ret;
}

static const struct command {
	const char *name;
	const struct option *longopts;
	int (*run)(const struct options *o, int argc, char **argv);
} commands[] = {
	{ "insert",	insert_longopts,	cmd_insert },
	{ "get",	get_longopts,		cmd_get },
	{ "delete",	delete_longopts,	cmd_delete },
	{ "purge",	purge_longopts,		cmd_purge },
	{ "stats",	stats_longopts,		cmd_stats },
	{ "list",	list_longopts,		cmd_list },
	{ "dump",	stats_longopts,		cmd_dump },
	{ "load",	load_longopts,		cmd_load },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/*
 * Apply one option returned by getopt_long.  Returns -1 to go on, or an
 * exit code to stop with (help and version exit 0).
 */
static int apply_option(struct options *o, int c, const char *arg)
{
	switch (c) {
	case OPT_DEVICE:
		o->device = arg;
		break;
	case OPT_HEX:
		o->hex = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'h':
		fputs(help_text, stdout);
		return EXIT_OK;
	case OPT_VERSION:
		printf(PROG " " OBJHASH_VERSION "\n");
		return EXIT_OK;
	case OPT_REPLACE:
		o->replace = true;
		break;
	case OPT_REPLACE_ONLY:
		o->replace_only = true;
		break;
	case OPT_EXPECT_VERSION:
		if (!parse_u64(arg, &o->expect_version))
			return usage_error("--expect-version: bad version "
					   "\"%s\"", arg);
		break;
	case OPT_TAKE:
		o->take = true;
		break;
	case OPT_MAX_VERSION:
		if (!parse_u64(arg, &o->max_version))
			return usage_error("--max-version: bad version \"%s\"",
					   arg);
		break;
	case OPT_WAIT:
		o->wait = true;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_KEYS_ONLY:
		o->keys_only = true;
		break;
	case OPT_PREFIX:
		o->prefix = arg;
		break;
	case OPT_BATCH:
		if (!parse_u64(arg, &o->batch) || !o->batch ||
		    o->batch > OBJHASH_BATCH_MAX)
			return usage_error("--batch: bad count \"%s\" "
					   "(1..%u)", arg, OBJHASH_BATCH_MAX);
		break;
	default:
		return usage_error("unexpected option %d", c);
	}
	return -1;
}

/*
 * Parse the options of argv[1..] with @longopts; @stop_at_arg stops at the
 * first non-option (the command name).  Returns -1 to go on, else an exit
 * code; optind is left at the first argument.
 */
static int parse_options(struct options *o, int argc, char **argv,
			 const struct option *longopts, bool stop_at_arg)
{
	const char *where = stop_at_arg ? "" : argv[0];
	const char *sep = stop_at_arg ? "" : ": ";
	int c, ret;

	optind = 0;	/* reinitialize glibc getopt between the two passes */
	opterr = 0;	/* report errors ourselves, naming the command */
	while ((c = getopt_long(argc, argv, stop_at_arg ? "+:vh" : ":vh",
				longopts, NULL)) != -1) {
		if (c == '?' && optopt > 0 && optopt < 0x100)
			return usage_error("%s%sunknown option \"-%c\"",
					   where, sep, optopt);
		if (c == '?' && optopt)	/* long option given an argument */
			return usage_error("%s%soption \"%s\" takes no argument",
					   where, sep, argv[optind - 1]);
		if (c == '?')
			return usage_error("%s%sunknown option \"%s\"",
					   where, sep, argv[optind - 1]);
		if (c == ':')
			return usage_error("%s%soption \"%s\" needs an argument",
					   where, sep, argv[optind - 1]);
		ret = apply_option(o, c, optarg);
		if (ret >= 0)
			return ret;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct options o = { .device = getenv("OBJHASH_DEVICE") };
	const struct command *cmd;
	int ret;

	if (!o.device || !*o.device)
		o.device = DEFAULT_DEVICE;

	ret = parse_options(&o, argc, argv, global_longopts, true);
	if (ret >= 0)
		return ret;
	if (optind >= argc)
		return usage_error("no command given");
	cmd = find_command(argv[optind]);
	if (!cmd)
		return usage_error("unknown command \"%s\"", argv[optind]);

	/* Command options: argv[0] is now the command name. */
	argc -= optind;
	argv += optind;
	ret = parse_options(&o, argc, argv, cmd->longopts, false);
	if (ret >= 0)
		return ret;
	ret = cmd->run(&o, argc - optind, argv + optind);
	if (fflush(stdout) == EOF)
		return report_io_error("write stdout", errno);
	if (ferror(stdout))
		return report_io_error("write stdout", EIO);
	return ret;
}
