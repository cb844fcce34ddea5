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
	uint64_t expect_version;
	uint64_t max_version;
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
	"  purge [--max-version V] [--wait] [--json]\n"
	"        delete every object (only those of version <= V if V > 0);\n"
	"        prints \"purged N\" ({\"purged\":N}).\n"
	"        --wait            return once the purged objects are freed\n"
	"  stats [--json]\n"
	"        print \"name value\" lines ({\"objects\":N,...}).\n"
	"\n"
	"VALUE: a literal string; '-' reads standard input; '@PATH' reads the\n"
	"file PATH (binary-safe); omitted means an empty value.  A literal value\n"
	"beginning with '@' or equal to '-' must be given on standard input.\n"
	"\n"
	"Command options go after COMMAND, anywhere up to '--'.\n"
	"Global options (accepted before or after COMMAND, up to '--'):\n"
	"  --device PATH   device to open (default: $OBJHASH_DEVICE, else\n"
	"                  " DEFAULT_DEVICE ")\n"
	"  --hex           KEY is given as hex digits (e.g. 00ff10)\n"
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
	"  5  version mismatch (ESTALE)\n"
	"  6  table full (ENOSPC)\n"
	"  7  value too large (EMSGSIZE)\n"
	"  8  the device could not be opened (missing, permission)\n";

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

/* Print a key as a C-like quoted string: printable ASCII as is, others \xNN. */
static void print_quoted(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p >= 0x20 && *p < 0x7f)
			fputc(*p, f);
		else
			fprintf(f, "\\x%02x", *p);
	}
	fputc('"', f);
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
 * Read all of @fd into @val, up to OBJHASH_VALUE_MAX bytes; returns 0 or
 * an errno (EMSGSIZE when the input is longer).
 */
static int read_all(int fd, struct value *val)
{
	size_t cap = 0, want;
	unsigned char *p;
	ssize_t n;

	val->data = NULL;
	val->len = 0;
	for (;;) {
		if (val->len == cap) {
			if (cap > OBJHASH_VALUE_MAX)
				return EMSGSIZE;
			want = cap ? cap * 2 : 4096;
			if (want > (size_t)OBJHASH_VALUE_MAX + 1)
				want = (size_t)OBJHASH_VALUE_MAX + 1;
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
	if (val->len > OBJHASH_VALUE_MAX)
		return EMSGSIZE;
	return 0;
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
static int print_value_json(const struct value *val, uint64_t version)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = val->len, i, j = 0, cap = (n + 2) / 3 * 4 + 96;
	unsigned char *out;
	uint32_t w;
	int err;

	out = malloc(cap);
	if (!out)
		return ENOMEM;
	j = snprintf((char *)out, cap, "{\"version\":%llu,\"value_len\":%zu,\"value\":\"",
		     (unsigned long long)version, n);
	for (i = 0; i + 2 < n; i += 3) {
		w = val->data[i] << 16 | val->data[i + 1] << 8 | val->data[i + 2];
		out[j++] = b64[w >> 18 & 63];
		out[j++] = b64[w >> 12 & 63];
		out[j++] = b64[w >> 6 & 63];
		out[j++] = b64[w & 63];
	}
	if (i < n) {
		w = val->data[i] << 16;
		if (i + 1 < n)
			w |= val->data[i + 1] << 8;
		out[j++] = b64[w >> 18 & 63];
		out[j++] = b64[w >> 12 & 63];
		out[j++] = i + 1 < n ? b64[w >> 6 & 63] : '=';
		out[j++] = '=';
	}
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
	struct objhash *h;
	uint64_t purged = 0;
	int ret, err;

	(void)argv;
	if (argc != 0)
		return usage_error("purge takes no arguments");
	ret = open_device(o, O_WRONLY, &h);
	if (ret)
		return ret;
	err = objhash_purge(h, o->max_version,
			    o->wait ? OBJHASH_PURGE_WAIT : 0, &purged);
	objhash_close(h);
	if (err)
		return report_error("purge", -err);
	if (o->json)
		printf("{\"purged\":%llu}\n", (unsigned long long)purged);
	else
		printf("purged %llu\n", (unsigned long long)purged);
	return EXIT_OK;
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
