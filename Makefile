# SPDX-License-Identifier: GPL-2.0
#
# pseudoscopic: top-level build.
#
#   make               module for KDIR + C++ tools
#   make module        only the kernel module (KDIR=/path/to/kernel/build)
#   make tools         only the C++ tools (build/tools)
#   make check         static checks: checkpatch --strict, sparse, W=1
#   make test          everything: static checks, tool tests, KUnit and VM
#                      scenarios on the 6.12 and 7.3 test kernels
#   make demo          boot a VM with emulated VRAM and show the driver at work
#   make bench         migration/fault throughput vs test_hmm, zram, memcpy
#   make soak          ps-stress for 10 minutes, lost-race 200 rounds, per kernel
#   make install       the module through DKMS, the tools, library, man
#                      pages, uapi header, udev rule, sysusers.d file,
#                      completions (root; PREFIX=/usr/local; with DESTDIR
#                      set only lays the files out, DKMS source included)
#   make uninstall     remove all of that again
#   make deb           Debian packages in build/deb/ (debhelper, dh-dkms):
#                      pseudoscopic-dkms, pseudoscopic-tools,
#                      libpseudoscopic0, libpseudoscopic-dev

KDIR ?= /lib/modules/$(shell uname -r)/build
BUILD ?= $(CURDIR)/build
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
KBUILD_DIR = $(BUILD)/kmod/$(KREL)
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
# Where make install puts the tools (GNU layout below PREFIX) and an
# optional staging root (packaging: nothing outside it is touched).
PREFIX ?= /usr/local
DESTDIR ?=
# Extra arguments for the kernel build (W=1 C=2 ... from make check).
KBUILD_ARGS ?=
# The module's objects build in parallel unless the caller chose -j itself.
KBUILD_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc))
# Tools: compiled through ccache when it is installed; paths below the
# checkout are hashed relative to it, so a fresh clone reuses the objects.
CCACHE := $(shell command -v ccache 2>/dev/null)

.PHONY: all module tools tools-release check test demo bench soak install uninstall deb clean help

all: module tools

help:
	@sed -n '3,/^$$/s/^# \{0,1\}//p' Makefile

# The module is built in a per-kernel directory of symlinks to the sources,
# so one checkout builds for several kernels and keeps src/ clean.  The
# compat header is generated there by the conftest probes first.
module:
	@sh src/kconfig-check.sh $(KDIR)
	@mkdir -p $(KBUILD_DIR)/generated
	@mkdir -p $(KBUILD_DIR)/tests
	@cp -rsf $(CURDIR)/Kbuild $(CURDIR)/dkms.conf $(CURDIR)/src $(CURDIR)/include $(CURDIR)/asm $(KBUILD_DIR)/
	@cp -rsf $(CURDIR)/tests/kunit $(wildcard $(CURDIR)/tests/dma-provider) \
		$(wildcard $(CURDIR)/tests/harness) $(KBUILD_DIR)/tests/
	@find -L $(KBUILD_DIR) -type l -delete 2>/dev/null || true
	@if [ ! -f $(KBUILD_DIR)/generated/ps_compat_generated.h ] || \
	    [ -n "$$(find src/conftest src/conftest.sh $(KDIR)/include/generated/autoconf.h -newer $(KBUILD_DIR)/generated/ps_compat_generated.h)" ]; then \
		echo "  CONFTEST $(KREL)"; \
		sh src/conftest.sh $(KDIR) $(KBUILD_DIR)/generated/ps_compat_generated.h; \
	fi
	$(MAKE) $(KBUILD_JOBS) -C $(KDIR) M=$(KBUILD_DIR) $(KBUILD_ARGS) modules
	@echo "  MODULE   $(KBUILD_DIR)/pseudoscopic.ko"

tools:
	cmake -S tools -B $(BUILD)/tools -DCMAKE_BUILD_TYPE=Release -DPS_DEVELOPER=ON \
		$(if $(CCACHE),-DCMAKE_CXX_COMPILER_LAUNCHER=$(CCACHE)) >/dev/null
	CCACHE_BASEDIR=$(CURDIR) cmake --build $(BUILD)/tools -j$(shell nproc)

check:
	tests/run-tests.sh --static-only

test:
	tests/run-tests.sh

demo:
	tests/demo.sh

bench:
	tests/bench/run-bench.sh

soak:
	tests/soak.sh

# A release build of the tools of its own: no -Werror, no tests.  The
# compiler and linker flags come from the environment (CXXFLAGS, LDFLAGS;
# debian/rules passes Debian's hardening flags that way).
tools-release:
	cmake -S tools -B $(BUILD)/tools-install -DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX=$(PREFIX) -DPS_DEVELOPER=OFF \
		$(if $(CCACHE),-DCMAKE_CXX_COMPILER_LAUNCHER=$(CCACHE)) >/dev/null
	CCACHE_BASEDIR=$(CURDIR) cmake --build $(BUILD)/tools-install -j$(shell nproc)

install: tools-release
	DESTDIR=$(DESTDIR) cmake --install $(BUILD)/tools-install
ifeq ($(DESTDIR),)
	tests/setup/dkms.sh install $(VERSION)
	@command -v systemd-sysusers >/dev/null && systemd-sysusers pseudoscopic.conf || true
	@command -v udevadm >/dev/null && udevadm control --reload || true
	@command -v ldconfig >/dev/null && ldconfig || true
else
	tests/setup/dkms.sh export $(VERSION) $(DESTDIR)/usr/src/pseudoscopic-$(VERSION)
endif

uninstall:
	@[ -f $(BUILD)/tools-install/install_manifest.txt ] || \
		{ echo "make uninstall: nothing installed from this tree ($(BUILD)/tools-install)"; exit 1; }
	sed 's|^|$(DESTDIR)|' $(BUILD)/tools-install/install_manifest.txt | xargs rm -f
ifeq ($(DESTDIR),)
	tests/setup/dkms.sh uninstall $(VERSION)
else
	rm -rf $(DESTDIR)/usr/src/pseudoscopic-$(VERSION)
endif

# The packaging is in tools/dist/debian/; the script builds in a copy of
# the tree, build/deb/pseudoscopic-VERSION/, and leaves the .debs in build/deb/.
deb:
	tools/dist/make-deb.sh $(BUILD)/deb

clean:
	rm -rf $(BUILD)
