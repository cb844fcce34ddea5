/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test harness for the native programs: each program is a table
 * of named cases.  `prog --list` prints the names, `prog --case NAME` runs
 * one (run_tests.sh runs each in its own process, so a sanitizer abort
 * fails only that case), `prog` runs all.  A case passes if it returns 0,
 * no WARN_ON() fired and every allocation it made was freed.
 */
#ifndef _OBJHASH_NATIVE_TEST_H
#define _OBJHASH_NATIVE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "objhash_shim.h"

struct oh_case {
	const char *name;
	int (*fn)(void);
};

/* Environment knob with a default, e.g. OBJHASH_SEED. */
static inline unsigned long long oh_env(const char *name,
					unsigned long long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static inline double oh_test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int oh_run_case(const struct oh_case *c)
{
	unsigned long warns = objhash_shim_warnings();
	long live = objhash_shim_live_allocs();
	double t0 = oh_test_now();
	int err;

	printf("# %s: start\n", c->name);
	fflush(stdout);
	err = c->fn();
	if (!err && objhash_shim_warnings() != warns) {
		printf("# %s: WARN_ON fired\n", c->name);
		err = -1;
	}
	if (!err && objhash_shim_live_allocs() != live) {
		printf("# %s: %ld allocations leaked\n", c->name,
		       objhash_shim_live_allocs() - live);
		err = -1;
	}
	printf("# %s: %.1f s\n", c->name, oh_test_now() - t0);
	printf("%s %s\n", err ? "not ok" : "ok", c->name);
	fflush(stdout);
	return err;
}

static inline int oh_test_main(int argc, char **argv,
			       const struct oh_case *cases, size_t nr)
{
	int failed = 0;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < nr; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	objhash_shim_thread_start();
	if (objhash_caches_create()) {
		printf("not ok objhash_caches_create\n");
		return 1;
	}
	for (i = 0; i < nr; i++) {
		if (argc == 3 && !strcmp(argv[1], "--case") &&
		    strcmp(argv[2], cases[i].name))
			continue;
		failed |= oh_run_case(&cases[i]) != 0;
	}
	objhash_caches_destroy();
	objhash_shim_thread_stop();
	return failed;
}

#endif
