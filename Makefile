# SPDX-License-Identifier: GPL-2.0
#
# zxsocket top-level Makefile.
#
#   make              module for the running kernel if its headers exist,
#                     else for every cached test kernel (after scripts/setup)
#   make KDIR=<tree>  module for that kernel tree, in build/custom/
#   make lib          libzxsocket.a/.so and build/lib/pkgconfig/zxsocket-uninstalled.pc
#   make selftests    static kselftest binaries in build/selftests/
#   make demo         boots a VM and runs the example programs
#   make check        host-side tests (scripts/host-check), then everything
#                     on debian-6.1, debian-6.12 and the debug kernel
#   make check-kcsan  the selftests on the KCSAN kernel (scripts/setup --kcsan)
#   make soak DURATION=10m [KERNEL=debug]   the integrity stress, for that long
#   make install / uninstall / man / compat / dkms-src / deb / host-check:
#                     packaging (see the packaging block below and README)
#   make checkpatch   checkpatch.pl --strict on the kernel sources
#   make bench        boots a VM (debian-6.12) and runs the benchmarks against
#                     pipes, AF_UNIX and eventfd; scripts/bench --help for more
#   make bench-bin    only builds the static benchmark, build/bench/zxsbench
#
# Output goes to build/; the kernels and tools live in the cache that
# scripts/setup fills (${XDG_CACHE_HOME:-~/.cache}/zxsocket).

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
B := $(TOP)/build
ZXS_CACHE ?= $(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME),$(HOME)/.cache)/zxsocket
export ZXS_CACHE
-include $(ZXS_CACHE)/env

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wno-unused-parameter
UAPI := -I$(TOP)/uapi
KERNELS := debian-6.1 debian-6.12 debug

KDIR_debian-6.1 = $(ZXS_KDIR_61)
KDIR_debian-6.12 = $(ZXS_KDIR_612)
KDIR_debug = $(ZXS_KDIR_DEBUG)
KDIR_kcsan = $(ZXS_KDIR_KCSAN)

KSRC := Kbuild $(wildcard module/*.c module/*.h) uapi/linux/zxsocket.h
HOST_KDIR := /lib/modules/$(shell uname -r)/build

.PHONY: all module modules lib selftests check check-kcsan soak demo setup \
	checkpatch clean help bench bench-bin FORCE

# Relative spellings of the build products work too (make build/examples/demo).
build/%: FORCE
	@$(MAKE) --no-print-directory $(B)/$*

ifneq ($(KDIR),)
all module: $(B)/custom/zxsocket.ko
else ifneq ($(wildcard $(HOST_KDIR)/Makefile),)
all module: $(B)/host/zxsocket.ko
$(B)/host/zxsocket.ko: KDIR_host = $(HOST_KDIR)
else
all module: modules
endif

$(B)/custom/zxsocket.ko: KDIR_custom = $(KDIR)

setup:
	@$(TOP)/scripts/setup

# Each kernel gets its own copy of the sources: kbuild writes its objects
# next to them, and three kernels must not share one set of .o files.
modules: setup
	@$(MAKE) --no-print-directory $(foreach k,$(KERNELS),$(B)/$(k)/zxsocket.ko)

$(B)/%/zxsocket.ko: $(KSRC) FORCE
	@test -n "$(KDIR_$*)" || { echo "no kernel tree for '$*': run scripts/setup" >&2; exit 1; }
	@mkdir -p $(B)/$*/src
	@cp -u --parents $(KSRC) $(B)/$*/src/
	@$(MAKE) --no-print-directory -C $(KDIR_$*) M=$(B)/$*/src W=1 modules \
		> $(B)/$*/build.log 2>&1 || { cat $(B)/$*/build.log; exit 1; }
	@if grep -E 'warning:|error:' $(B)/$*/build.log; then \
		echo "module build for $* has warnings" >&2; exit 1; fi
	@cp $(B)/$*/src/zxsocket.ko $@
	@echo "  MODULE  $* -> $@"

FORCE:

# ---------------------------------------------------------------- library
LIB_SRC := $(wildcard lib/*.c)
LIB_HDR := $(shell find lib/include -name '*.h' 2>/dev/null)
LIB_OBJ := $(patsubst lib/%.c,$(B)/lib/obj/%.o,$(LIB_SRC))
LIB_CFLAGS := $(CFLAGS) $(WARN) -std=gnu11 -fPIC -fvisibility=hidden -pthread \
	$(UAPI) -I$(TOP)/lib/include

lib: $(B)/lib/libzxsocket.a $(B)/lib/libzxsocket.so \
	$(B)/lib/pkgconfig/zxsocket-uninstalled.pc

$(B)/lib/obj/%.o: lib/%.c $(LIB_HDR) $(wildcard lib/*.h) uapi/linux/zxsocket.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) -c $< -o $@

$(B)/lib/libzxsocket.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/lib/libzxsocket.so: $(LIB_OBJ) lib/libzxsocket.map
	$(CC) $(LDFLAGS) -shared -pthread -Wl,-soname,libzxsocket.so.1 \
		-Wl,--version-script=lib/libzxsocket.map -o $@.1 $(LIB_OBJ)
	ln -sf libzxsocket.so.1 $@

$(B)/lib/pkgconfig/zxsocket-uninstalled.pc: Makefile
	@mkdir -p $(dir $@)
	@printf '%s\n' \
		'Name: zxsocket' \
		'Description: Zircon sockets on Linux (uninstalled, in the source tree)' \
		'Version: 0.1' \
		'Cflags: -I$(TOP)/lib/include -I$(TOP)/uapi' \
		'Libs: -L$(B)/lib -Wl,-rpath,$(B)/lib -lzxsocket' \
		'Libs.private: -pthread' > $@
	@echo "  PC      $@"

# ---------------------------------------------------------------- selftests
ST_SRC := $(wildcard selftests/*_test.c)
ST_BIN := $(patsubst selftests/%.c,$(B)/selftests/%,$(ST_SRC))
ST_HDR := $(wildcard selftests/*.h)
ST_CFLAGS := $(CFLAGS) $(WARN) -Wno-sign-compare -Wno-missing-field-initializers \
	-std=gnu11 -pthread -static $(UAPI) -I$(TOP)/lib/include \
	-I$(ZXS_SELFTESTS) -I$(TOP)/selftests

EX_SRC := $(wildcard examples/*.c)
EX_BIN := $(patsubst examples/%.c,$(B)/examples/%,$(EX_SRC))

selftests: $(ST_BIN) $(EX_BIN) $(B)/bench/zxsbench

$(B)/selftests/%: selftests/%.c $(ST_HDR) $(B)/lib/libzxsocket.a
	@test -n "$(ZXS_SELFTESTS)" || { echo "run scripts/setup first" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(CC) $(ST_CFLAGS) $< -o $@ $(B)/lib/libzxsocket.a

$(B)/examples/%: examples/%.c $(B)/lib/libzxsocket.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -static -pthread -I$(TOP)/lib/include $< -o $@ \
		$(B)/lib/libzxsocket.a

# ---------------------------------------------------------------- benchmark
bench-bin: $(B)/bench/zxsbench

$(B)/bench/zxsbench: bench/zxsbench.c $(B)/lib/libzxsocket.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -std=gnu11 -static -pthread $(UAPI) \
		-I$(TOP)/lib/include $< -o $@ $(B)/lib/libzxsocket.a

# Not part of check: it takes minutes and measures, it does not test.
bench: setup
	@$(MAKE) --no-print-directory $(B)/debian-6.12/zxsocket.ko lib bench-bin
	@$(TOP)/scripts/bench $(BENCH_ARGS)

# ================================================================ packaging
# (install, man pages, DKMS, deb, compat, host checks)
#
#   make install [DESTDIR=] [PREFIX=/usr/local] [KDIR= | KVER=]
#   make uninstall               removes what the last install put there
#   make man                     build/man/man3/*.3 and man7/zxsocket.7
#   make compat                  the module against every installed header tree
#   make dkms-src                build/dkms/zxsocket-$(VERSION): a DKMS source tree
#   make deb                     build/deb/*.deb (dpkg-buildpackage, lintian)
#   make host-check              host-side tests (no VM); first part of check
VERSION := 0.1
PREFIX ?= /usr/local
EXEC_PREFIX ?= $(PREFIX)
LIBDIR ?= $(EXEC_PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
UDEVRULESDIR ?= /usr/lib/udev/rules.d
MODULESLOADDIR ?= /usr/lib/modules-load.d
# The kernel to install the module for: KDIR (a built tree or headers),
# else /lib/modules/$(KVER)/build; KVER defaults to the running kernel.
# (UTS_RELEASE, as in the module's vermagic: Debian's 6.1 headers carry a
# kernel.release that is not the release name.)
KVER ?= $(if $(KDIR),$(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null),$(shell uname -r))
INST_KDIR := $(if $(KDIR),$(KDIR),/lib/modules/$(KVER)/build)
KDIR_inst-$(KVER) = $(INST_KDIR)
# Every path install puts (relative to DESTDIR) goes into this manifest,
# which uninstall reads; empty disables it (debian/rules).
MANIFEST ?= $(DATADIR)/zxsocket/install-manifest

MAN_SRC := doc/zx-calls.txt
PUB_HDR := $(shell cd lib/include && find zircon magenta -name '*.h' | sort)

.PHONY: install uninstall install-module install-lib install-headers \
	install-pc install-man install-config man compat dkms-src deb host-check

# $(call inst,mode,source,destination path): install one file and record it.
inst = install -D -m $(1) $(2) $(DESTDIR)$(3) && \
	{ test -z "$(MANIFEST)" || echo "$(3)" >> $(DESTDIR)$(MANIFEST).new; }
# $(call lnk,target,link path)
lnk = ln -sfn $(1) $(DESTDIR)$(2) && \
	{ test -z "$(MANIFEST)" || echo "$(2)" >> $(DESTDIR)$(MANIFEST).new; }

install: check-inst-kdir
	@test -z "$(MANIFEST)" || { mkdir -p $(dir $(DESTDIR)$(MANIFEST)) && \
		: > $(DESTDIR)$(MANIFEST).new; }
	@$(MAKE) --no-print-directory install-module install-lib install-headers \
		install-pc install-man install-config
	@test -z "$(MANIFEST)" || { echo '$(MANIFEST)' >> $(DESTDIR)$(MANIFEST).new && \
		mv $(DESTDIR)$(MANIFEST).new $(DESTDIR)$(MANIFEST) && \
		echo "  MANIFEST $(DESTDIR)$(MANIFEST)"; }

install-module: check-inst-kdir $(B)/inst-$(KVER)/zxsocket.ko
	@$(MAKE) --no-print-directory -C $(INST_KDIR) M=$(B)/inst-$(KVER)/src \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates DEPMOD=true \
		KERNELRELEASE=$(KVER) modules_install > $(B)/inst-$(KVER)/install.log 2>&1 || \
		{ cat $(B)/inst-$(KVER)/install.log; exit 1; }
	@f=$$(cd $(DESTDIR)/ && ls lib/modules/$(KVER)/updates/zxsocket.ko* 2>/dev/null | head -n1); \
	test -n "$$f" || { echo "modules_install put no updates/zxsocket.ko" >&2; exit 1; }; \
	f=/$$f; test -z "$(MANIFEST)" || echo $$f >> $(DESTDIR)$(MANIFEST).new; \
	echo "  INSTALL $(DESTDIR)$$f"
	@if [ -n "$(DESTDIR)" ]; then echo "  DEPMOD  skipped (staging into DESTDIR)"; \
	elif [ -w /lib/modules/$(KVER) ]; then depmod -a $(KVER) && echo "  DEPMOD  $(KVER)"; \
	else echo "  DEPMOD  skipped (not root): run depmod -a $(KVER)"; fi

.PHONY: check-inst-kdir
check-inst-kdir:
	@test -n "$(KVER)" || { echo "install: no kernel release: give KDIR=<tree> or KVER=<release>" >&2; exit 1; }
	@test -f $(INST_KDIR)/Makefile || { echo "install: no kernel tree at $(INST_KDIR):" \
		"install the headers for $(KVER), or give KDIR=<tree> or KVER=<release>" >&2; exit 1; }

install-lib: lib
	@$(call inst,644,$(B)/lib/libzxsocket.a,$(LIBDIR)/libzxsocket.a)
	@$(call inst,755,$(B)/lib/libzxsocket.so.1,$(LIBDIR)/libzxsocket.so.1)
	@$(call lnk,libzxsocket.so.1,$(LIBDIR)/libzxsocket.so)
	@echo "  INSTALL $(DESTDIR)$(LIBDIR)/libzxsocket.{a,so.1,so}"

install-headers:
	@$(foreach h,$(PUB_HDR),$(call inst,644,lib/include/$(h),$(INCLUDEDIR)/$(h)) &&) true
	@$(call inst,644,uapi/linux/zxsocket.h,$(INCLUDEDIR)/linux/zxsocket.h)
	@echo "  INSTALL $(DESTDIR)$(INCLUDEDIR)/{zircon,magenta,linux}"

install-pc: $(B)/lib/pkgconfig/zxsocket.pc
	@$(call inst,644,$<,$(PKGCONFIGDIR)/zxsocket.pc)
	@echo "  INSTALL $(DESTDIR)$(PKGCONFIGDIR)/zxsocket.pc"

install-man: man
	@cd $(B)/man && for f in man3/* man7/*; do \
		if [ -L $$f ]; then $(call lnk,$$(readlink $$f),$(MANDIR)/$$f); \
		else $(call inst,644,$$f,$(MANDIR)/$$f); fi || exit 1; done
	@echo "  INSTALL $(DESTDIR)$(MANDIR)/man3, man7"

install-config:
	@$(call inst,644,packaging/60-zxsocket.rules,$(UDEVRULESDIR)/60-zxsocket.rules)
	@$(call inst,644,packaging/modules-load.conf,$(MODULESLOADDIR)/zxsocket.conf)
	@echo "  INSTALL $(DESTDIR)$(UDEVRULESDIR)/60-zxsocket.rules, $(DESTDIR)$(MODULESLOADDIR)/zxsocket.conf"

# Paths are relative to the pc file's prefix, so PKG_CONFIG_SYSROOT_DIR
# finds a staged tree.
rel = $(patsubst $(PREFIX)/%,$${prefix}/%,$(patsubst $(EXEC_PREFIX)/%,$${exec_prefix}/%,$(1)))
$(B)/lib/pkgconfig/zxsocket.pc: Makefile FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' \
		'prefix=$(PREFIX)' \
		'exec_prefix=$(patsubst $(PREFIX)%,$${prefix}%,$(EXEC_PREFIX))' \
		'libdir=$(call rel,$(LIBDIR))' \
		'includedir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))' \
		'' \
		'Name: zxsocket' \
		"Description: Fuchsia's Zircon sockets on Linux (zx_* API over /dev/zxsocket)" \
		'Version: $(VERSION)' \
		'Cflags: -I$${includedir}' \
		'Libs: -L$${libdir} -lzxsocket' \
		'Libs.private: -pthread' > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; echo "  PC      $@"; fi

# uninstall reads the manifest, so it removes what install put, whatever
# variables it is given now (except DESTDIR and where the manifest is).
uninstall:
	@m=$(DESTDIR)$(MANIFEST); test -f $$m || { echo "uninstall: no $$m: nothing installed" >&2; exit 1; }; \
	vers=; while read -r f; do \
		case $$f in /lib/modules/*/updates/zxsocket.ko*) \
			v=$${f#/lib/modules/}; vers="$$vers $${v%%/*}";; esac; \
		[ "$$f" = "$(MANIFEST)" ] && continue; \
		rm -f -- "$(DESTDIR)$$f" && echo "  RM      $(DESTDIR)$$f"; \
		d=$$(dirname "$(DESTDIR)$$f"); \
		case $$f in */include/zircon/* | */include/magenta/* | */zxsocket/* | */updates/*) \
			rmdir -p --ignore-fail-on-non-empty "$$d" 2>/dev/null || true;; esac; \
	done < $$m; rm -f $$m; rmdir --ignore-fail-on-non-empty $$(dirname $$m); \
	for v in $$vers; do \
		if [ -n "$(DESTDIR)" ]; then :; \
		elif [ -w /lib/modules/$$v ]; then depmod -a $$v; \
		else echo "  DEPMOD  skipped (not root): run depmod -a $$v"; fi; done

man: $(B)/man/.stamp

$(B)/man/.stamp: $(MAN_SRC) scripts/mkman $(B)/lib/libzxsocket.so
	@rm -rf $(B)/man && mkdir -p $(B)/man
	@scripts/mkman --check-symbols $(B)/lib/libzxsocket.so.1 $(MAN_SRC) $(B)/man
	@touch $@
	@echo "  MAN     $(B)/man"

# Every header tree Debian's 6.1 and 6.12 generic and cloud flavours install.
COMPAT_KDIRS = $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64 \
	/usr/src/linux-headers-6.12.*-amd64))

compat:
	@test -n "$(COMPAT_KDIRS)" || { echo "compat: no /usr/src/linux-headers-6.{1,12}*-amd64" >&2; exit 1; }
	@ok=0; bad=0; for k in $(COMPAT_KDIRS); do \
		n=compat-$${k#/usr/src/linux-headers-}; \
		if $(MAKE) --no-print-directory KDIR_$$n=$$k $(B)/$$n/zxsocket.ko >/dev/null 2>&1; then \
			echo "compat: OK   $${k#/usr/src/linux-headers-} (W=1, no warnings)"; ok=$$((ok+1)); \
		else echo "compat: FAIL $${k#/usr/src/linux-headers-} (see $(B)/$$n/build.log)"; bad=$$((bad+1)); fi; \
	done; echo "compat: $$ok OK, $$bad FAIL"; test $$bad = 0

DKMS_SRC := $(B)/dkms/zxsocket-$(VERSION)
dkms-src:
	@rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)
	@cp --parents $(KSRC) $(DKMS_SRC)/
	@sed 's/#MODULE_VERSION#/$(VERSION)/' packaging/dkms.conf > $(DKMS_SRC)/dkms.conf
	@echo "  DKMS    $(DKMS_SRC)"

deb:
	@$(TOP)/scripts/mkdeb

host-check:
	@$(TOP)/scripts/host-check
# ============================================================ end packaging

# ---------------------------------------------------------------- VM runs
check: setup
	@$(MAKE) --no-print-directory modules lib selftests
	@$(TOP)/scripts/check host $(KERNELS)

# KCSAN's kernel is built only on request; its module must carry KCSAN's
# instrumentation (__tsan_* calls), or no race in it could be seen.
check-kcsan: setup
	@grep -qs '^ZXS_IMAGE_KCSAN=.' $(ZXS_CACHE)/env || \
		{ echo "no KCSAN kernel: run scripts/setup --kcsan (about 20 minutes)" >&2; exit 1; }
	@$(MAKE) --no-print-directory $(B)/kcsan/zxsocket.ko lib selftests
	@nm $(B)/kcsan/zxsocket.ko | grep -q ' U __tsan_' || \
		{ echo "$(B)/kcsan/zxsocket.ko is not instrumented by KCSAN" >&2; exit 1; }
	@$(TOP)/scripts/check kcsan

DURATION ?= 10m
KERNEL ?= debug
soak: setup
	@$(MAKE) --no-print-directory $(B)/$(KERNEL)/zxsocket.ko lib selftests
	@$(TOP)/scripts/soak --kernel $(KERNEL) $(DURATION)

demo: setup
	@$(MAKE) --no-print-directory modules lib selftests
	@$(TOP)/scripts/vm-run --kernel debian-6.12 --add $(B)/examples/demo \
		--add $(B)/examples/epoll_server -- './demo && ./epoll_server'

checkpatch:
	@perl $(ZXS_CHECKPATCH) --no-tree --strict --terse -f $(wildcard module/*.[ch])
	@# BIT() is not available to userspace, so uapi spells bits out.
	@perl $(ZXS_CHECKPATCH) --no-tree --strict --terse --ignore BIT_MACRO \
		-f uapi/linux/zxsocket.h

clean:
	rm -rf $(B)

help:
	@sed -n '3,23p' $(TOP)/Makefile
