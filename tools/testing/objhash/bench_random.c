// SPDX-License-Identifier: GPL-2.0
/*
 * bench_random(): random bytes for the native benchmarks' keys and
 * secrets, shared by objhash_bench and objhash_icount.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "bench.h"

void bench_random(void *buf, unsigned long len)
{
	char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "objhash bench: getrandom failed\n");
			exit(1);
		}
		p += n;
		len -= n;
	}
}
