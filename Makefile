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
#   make check        everything, on debian-6.1, debian-6.12 and the debug kernel
#   make check-kcsan  the selftests on the KCSAN kernel (scripts/setup --kcsan)
#   make soak DURATION=10m [KERNEL=debug]   the integrity stress, for that long
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
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(B)/lib/libzxsocket.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/lib/libzxsocket.so: $(LIB_OBJ) lib/libzxsocket.map
	$(CC) -shared -pthread -Wl,-soname,libzxsocket.so.1 \
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

# ---------------------------------------------------------------- VM runs
check: setup
	@$(MAKE) --no-print-directory modules lib selftests
	@$(TOP)/scripts/check $(KERNELS)

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
	@sed -n '3,20p' $(TOP)/Makefile
