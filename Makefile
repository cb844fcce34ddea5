# SPDX-License-Identifier: GPL-2.0
#
# objhash top-level Makefile.
#
#   make            build module/objhash.ko, tools/objhashctl, the selftests
#   make deps       install the Debian packages the rig needs (scripts/deps)
#   make lint       checkpatch --strict, kernel-doc, W=1 and sparse (scripts/lint)
#   make check      deps, lint, build, check-native (if there), the judge's
#                   tests (canned logs; canaries on $(JUDGE_KERNELS)), then
#                   boot each of $(KERNELS) under qemu and run the kselftest
#                   suite; every step counted, "N passed, N failed" last
#   make check-kcsan  the same with KERNELS=kcsan (the KCSAN canary too)
#   make run        deps, build, boot the stock kernel, objhashctl demo
#   make clean      remove build outputs
#
# Variables:
#   KVER, KDIR      kernel to build the in-place module against; default
#                   the running kernel if its build dir exists, else the
#                   Debian kernel of linux-image-amd64, else the newest
#                   /lib/modules/*/build
#   OBJHASH_CACHE   cache outside the checkout (kselftest framework
#                   extracted from linux-source-6.1, kernels, lint tools),
#                   default /var/cache/objhash, or ~/.cache/objhash for a
#                   user who cannot write it
#   KERNELS         kernels `make check` boots (vm-run --kernel), default
#                   "stock debug"
#   JUDGE_KERNELS   kernels `make check` runs the judge's canaries on
#                   (tools/testing/judge/run), default those of debug and
#                   kcsan in KERNELS
#   KNAME           with `make kmod KNAME=x KDIR=y`: build the module for
#                   another kernel in build/kmod-x (used by scripts/vm-run)

# /var/cache/objhash for root, ~/.cache/objhash for a user who cannot
# write it (scripts/cache-dir)
OBJHASH_CACHE ?= $(shell $(CURDIR)/scripts/cache-dir)
export OBJHASH_CACHE

# running kernel; else the Debian kernel linux-image-amd64 pulls in (the one
# `vm-run --kernel stock` boots); else the newest with a build dir
ifeq ($(origin KVER),undefined)
KVER := $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; exit; fi; \
	v=$$(dpkg-query -W -f='$${Depends}' linux-image-amd64 2>/dev/null | \
		grep -o 'linux-image-[^ ,]*' | head -1 | sed 's/^linux-image-//'); \
	if [ -n "$$v" ] && [ -d /lib/modules/$$v/build ]; then echo $$v; exit; fi; \
	ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -1 | cut -d/ -f4)
endif
KDIR ?= /lib/modules/$(KVER)/build

# The Debian kernel, then the same suite under lockdep, KASAN, kmemleak and
# DEBUG_OBJECTS (scripts/build-kernel debug: built once, then cached).
KERNELS ?= stock debug
# The judge's canaries need the checkers of these kernels.
JUDGE_KERNELS ?= $(filter debug kcsan,$(KERNELS))
CHECK_TIMEOUT ?= 3600
BUILD := $(CURDIR)/build

MAKEFLAGS += --no-print-directory

.PHONY: all module tools selftests kmod deps lint check check-kcsan run clean help

all: module tools selftests

module:
	@test -d "$(KDIR)" || { echo "objhash: no kernel build dir '$(KDIR)' (make deps, or KDIR=...)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools; \
	else echo "objhash: tools/Makefile not there yet, skipping tools"; fi

# Built when linux-source-6.1 is installed (make deps); a plain `make` on
# a host without it builds the module and tools and says so.
selftests:
	scripts/ksft build --if-available

# Module for another kernel: copy the sources so its objects never collide
# with the in-place build.
kmod:
	@test -n "$(KNAME)" || { echo "make kmod: set KNAME=" >&2; exit 1; }
	@test -d "$(KDIR)" || { echo "make kmod: no KDIR '$(KDIR)'" >&2; exit 1; }
	@mkdir -p $(BUILD)/kmod-$(KNAME)
	@rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='modules.order' \
		--exclude='Module.symvers' \
		Kbuild VERSION module include $(BUILD)/kmod-$(KNAME)/
	$(MAKE) -C $(KDIR) M=$(BUILD)/kmod-$(KNAME) modules

deps:
	@scripts/deps

lint:
	scripts/lint $(KDIR)

# scripts/check --full counts each step (deps, lint, build, check-native,
# the judge, each kernel's suite) and prints one summary line last, also
# when deps or the build fail.
check:
	@scripts/check --full --timeout $(CHECK_TIMEOUT) \
		$(addprefix --judge ,$(JUDGE_KERNELS)) $(KERNELS)

# The same suite under KCSAN (scripts/build-kernel kcsan).
check-kcsan:
	@$(MAKE) check KERNELS=kcsan

run:
	@$(MAKE) deps
	@$(MAKE) all
	scripts/vm-run --quiet --add scripts/demo.sh -- $(CURDIR)/scripts/demo.sh

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools clean; fi
	rm -rf $(BUILD)

help:
	@sed -n '3,/^$$/s/^# \{0,1\}//p' Makefile

# Other engineers' make fragments (install, dkms, man-check, check-matrix...)
-include $(sort $(wildcard $(CURDIR)/mk/*.mk))
