# SPDX-License-Identifier: GPL-2.0
#
# Debian packages built from the tree (included by the top Makefile).
#
#   make deb        build/deb/*.deb: objhash-dkms, libobjhash1, libobjhash-dev,
#                   objhash-tools (debhelper, from a copy of the tree in
#                   build/deb/), then lintian on them; fails on any lintian
#                   error or warning
#   make check-deb  make deb, then inspect the packages' contents, unpack them
#                   into a throwaway root, build the module with DKMS from the
#                   unpacked source against the installed Debian headers, and
#                   compile and run the README's "Using objhash from C"
#                   example against the unpacked libobjhash-dev
#
# Variables: DEB_KVER (kernel for the DKMS build, default the Debian 6.1
# headers scripts/dkms-check uses), DEB_GUEST=1 (check-deb also runs the
# README example in a qemu guest, statically linked).

.PHONY: deb check-deb

deb:
	@scripts/deb build

check-deb:
	@scripts/deb build
	@scripts/deb check
