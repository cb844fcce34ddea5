# SPDX-License-Identifier: GPL-2.0
#
# objhash on real hosts and in the distro ecosystem (included by the top
# Makefile; needs its KVER/KDIR/BUILD).
#
#   make install        module (modules_install + depmod), objhashctl, the
#                       UAPI header, man pages, udev rule, bash completion
#   make uninstall      remove what `make install` put there
#   make dkms-install   copy the sources to /usr/src/objhash-VERSION and
#                       dkms add/build/install them for $(KVER)
#   make dkms-remove    dkms remove objhash/VERSION --all, drop the sources
#   make dkms-check     CI: dkms add + build against the installed Debian 6.1
#                       headers, no loading; removes everything again
#   make man-check      lint man/objhash*.[14] (mandoc -T lint, groff -wall)
#   make check-matrix   the kselftest suite on $(MATRIX_KERNELS) under qemu
#                       (stock 6.1, Debian 6.12, Debian PREEMPT_RT); fails
#                       on any module build warning too
#
# Variables: DESTDIR (staging root; depmod is skipped when set), PREFIX
# (/usr/local), UDEVRULESDIR ($(PREFIX)/lib/udev/rules.d), DKMS_KVER
# (kernel for dkms-install, default $(KVER)), MATRIX_KERNELS.

OBJHASH_VERSION := $(shell cat $(CURDIR)/VERSION 2>/dev/null)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
# udev reads /usr/local/lib/udev/rules.d (udev(7)); /etc/udev/rules.d stays
# the administrator's, where a file of the same name overrides ours.
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DKMS_KVER ?= $(KVER)
DKMS_SRC = /usr/src/objhash-$(OBJHASH_VERSION)

MATRIX_KERNELS ?= stock 6.12 rt
# Debian packages of the matrix kernels (scripts/deps installs them)
MATRIX_DEPS ?= linux-image-6.12-amd64 linux-headers-6.12-amd64 \
	linux-image-rt-amd64 linux-headers-rt-amd64

.PHONY: install uninstall dkms-src dkms-install dkms-remove dkms-check \
	man-check check-matrix

# The files DKMS (and any other out-of-tree build) needs: Kbuild, VERSION,
# module/ and include/, without build products.
SRC_RSYNC = rsync -a --delete --exclude='*.o' --exclude='*.ko' \
	--exclude='*.cmd' --exclude='*.mod' --exclude='*.mod.c' --exclude='*.d' \
	--exclude='modules.order' --exclude='Module.symvers' --exclude='.*'

# Kbuild's modules_install puts the modules in
# /lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/module/ (compressed when the
# kernel's CONFIG_MODULE_COMPRESS_ALL says so).  It does not sign them:
# distribution headers carry no signing key (see README, Secure Boot).
INSTALL_MOD_DIR ?= extra
MOD_INSTDIR = $(DESTDIR)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/module

install: module tools
	@test -n "$(OBJHASH_VERSION)" || { echo "objhash: VERSION file missing" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) DEPMOD=true CONFIG_MODULE_SIG_ALL=
	@# objhash_bench.ko is built alongside for `make bench`; it is no
	@# part of an installation.
	rm -f $(MOD_INSTDIR)/objhash_bench.ko*
	$(if $(DESTDIR),@echo "objhash: DESTDIR is set: not running depmod",depmod -a $(KVER))
	install -D -m 0755 tools/objhashctl $(DESTDIR)$(BINDIR)/objhashctl
	install -D -m 0644 include/uapi/linux/objhash.h $(DESTDIR)$(INCLUDEDIR)/linux/objhash.h
	install -D -m 0644 man/objhashctl.1 $(DESTDIR)$(MANDIR)/man1/objhashctl.1
	install -D -m 0644 man/objhash.4 $(DESTDIR)$(MANDIR)/man4/objhash.4
	install -D -m 0644 udev/60-objhash.rules $(DESTDIR)$(UDEVRULESDIR)/60-objhash.rules
	install -D -m 0644 tools/objhashctl.bash $(DESTDIR)$(BASHCOMPDIR)/objhashctl
	@if [ -z "$(DESTDIR)" ]; then \
		udevadm control --reload-rules 2>/dev/null || true; \
		getent group objhash >/dev/null || \
			echo "objhash: no 'objhash' group yet: groupadd --system objhash"; \
	fi

uninstall:
	rm -f $(foreach m,objhash objhash_bench,$(foreach z,"" .xz .zst .gz,$(MOD_INSTDIR)/$(m).ko$(z)))
	-rmdir $(MOD_INSTDIR) $(dir $(MOD_INSTDIR)) 2>/dev/null
	$(if $(DESTDIR),,depmod -a $(KVER))
	rm -f $(DESTDIR)$(BINDIR)/objhashctl \
		$(DESTDIR)$(INCLUDEDIR)/linux/objhash.h \
		$(DESTDIR)$(MANDIR)/man1/objhashctl.1 \
		$(DESTDIR)$(MANDIR)/man4/objhash.4 \
		$(DESTDIR)$(UDEVRULESDIR)/60-objhash.rules \
		$(DESTDIR)$(BASHCOMPDIR)/objhashctl

# DKMS source tree: dkms.conf gets PACKAGE_VERSION from VERSION here.
dkms-src:
	@test -n "$(OBJHASH_VERSION)" || { echo "objhash: VERSION file missing" >&2; exit 1; }
	mkdir -p $(DESTDIR)$(DKMS_SRC)
	$(SRC_RSYNC) Kbuild VERSION module include $(DESTDIR)$(DKMS_SRC)/
	sed 's/@VERSION@/$(OBJHASH_VERSION)/' dkms.conf > $(DESTDIR)$(DKMS_SRC)/dkms.conf

dkms-install: dkms-src
	@if dkms status -m objhash -v $(OBJHASH_VERSION) | grep -q .; then \
		echo "dkms remove objhash/$(OBJHASH_VERSION) --all"; \
		dkms remove objhash/$(OBJHASH_VERSION) --all; fi
	dkms add objhash/$(OBJHASH_VERSION)
	dkms build objhash/$(OBJHASH_VERSION) -k $(DKMS_KVER)
	dkms install objhash/$(OBJHASH_VERSION) -k $(DKMS_KVER)

dkms-remove:
	@if dkms status -m objhash -v $(OBJHASH_VERSION) | grep -q .; then \
		echo "dkms remove objhash/$(OBJHASH_VERSION) --all"; \
		dkms remove objhash/$(OBJHASH_VERSION) --all; fi
	rm -rf $(DKMS_SRC)

dkms-check:
	@scripts/dkms-check

man-check:
	@scripts/man-check

check-matrix:
	@OBJHASH_EXTRA_DEPS="$(MATRIX_DEPS)" scripts/deps
	@$(MAKE) all
	@scripts/check-matrix --timeout $(CHECK_TIMEOUT) $(MATRIX_KERNELS)
