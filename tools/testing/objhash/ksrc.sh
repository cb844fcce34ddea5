#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ksrc.sh: print the directory holding the parts of Debian's kernel source
# the native build compiles against, extracting them once if needed:
#
#   tools/include/          the kernel's own userspace shims (types, list,
#                           compiler, kernel.h, err.h, ...)
#   include/linux/siphash.h lib/siphash.c   the hash table.c keys its buckets with
#   include/linux/list_nulls.h   the chains of the resizable table
#
# into $OBJHASH_CACHE/native/<source>-<debversion>-<layout>/, atomically
# (mktemp + mv, as scripts/ksft does), so parallel checkouts and builds never
# see a half-extracted tree and nothing from the kernel lands in the
# repository.  LAYOUT changes whenever the list of extracted paths does.
set -euo pipefail

OBJHASH_CACHE=${OBJHASH_CACHE:-/var/cache/objhash}
KSRC_SOURCE=${KSRC_SOURCE:-linux-source-6.1}
LAYOUT=2
PATHS=(tools/include include/linux/siphash.h include/linux/list_nulls.h lib/siphash.c)

ver=$(dpkg-query -W -f='${Version}' "$KSRC_SOURCE" 2>/dev/null) ||
	{ echo "ksrc: $KSRC_SOURCE not installed (make deps)" >&2; exit 1; }
dir=$OBJHASH_CACHE/native/$KSRC_SOURCE-$ver-$LAYOUT
if [ ! -e "$dir/.complete" ]; then
	tarball=$(ls /usr/src/"$KSRC_SOURCE".tar.* 2>/dev/null | head -1)
	[ -n "$tarball" ] || { echo "ksrc: no /usr/src/$KSRC_SOURCE.tar.*" >&2; exit 1; }
	echo "ksrc: extracting ${PATHS[*]} from $tarball into $dir" >&2
	mkdir -p "$OBJHASH_CACHE/native"
	tmp=$(mktemp -d "$OBJHASH_CACHE/native/.extract.XXXXXX")
	tar -xf "$tarball" -C "$tmp" --strip-components=1 \
		"${PATHS[@]/#/$KSRC_SOURCE/}"
	touch "$tmp/.complete"
	# another build may have won the race; keep theirs
	mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
fi
echo "$dir"
