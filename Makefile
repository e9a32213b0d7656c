# ksplice: rebootless kernel updates built from the compiler out.
#
#   make              build every userspace part (plugin, patchgen, ksplice)
#   make test-kernel  extract, configure and build the 6.1 test kernel
#   make check        run every test; ends with "N passed, N failed"
#   make demo         a one-line fix applied live in QEMU, then undone
#   make bench        every benchmark figure in one run (bench/README.md)
#   make fuzz         fuzz patchgen's readers for FUZZ_SECONDS (300)
#   make plugin-arm64 the plugin for aarch64-linux-gnu-gcc-12 and its
#                     compiler wrapper (tests/plugin/arm64 runs the plugin
#                     checks on it)
#   make arm64        that, and the ksplice command for arm64 guests
#   make install      install the command, plugin, kbuild and kmod files
#                     and the man page (PREFIX=/usr/local, DESTDIR=)

CC       ?= gcc
CXX      ?= g++
BUILD    := build
PREFIX   ?= /usr/local
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system
JOBS     ?= $(shell nproc)

WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -D_GNU_SOURCE

PLUGIN_DIR := $(shell $(CXX) -print-file-name=plugin)
PLUGIN     := $(BUILD)/gcc-plugin/ksplice_plugin.so
PATCHGEN   := $(BUILD)/bin/ksplice-patchgen
KSPLICE    := $(BUILD)/bin/ksplice
CC_WRAPPER := $(BUILD)/bin/ksplice-gcc

CONTRACT     := kmod/include/ksplice_contract.h
CONTRACT_SH  := $(BUILD)/kbuild/contract.sh
# anchors.c, anchor_regs.c and anchor_order.c serve targets whose GCC uses section
# anchors (arm64); an x86 plugin built with them, even empty, would
# differ, and so would its id.
PLUGIN_SRC_ANCHORS := gcc-plugin/anchors.c gcc-plugin/anchor_regs.c gcc-plugin/anchor_order.c
PLUGIN_SRC   := $(filter-out $(PLUGIN_SRC_ANCHORS),$(wildcard gcc-plugin/*.c))
PLUGIN_HDR   := $(wildcard gcc-plugin/*.h) $(CONTRACT)
PATCHGEN_SRC := $(wildcard patchgen/*.c)
PATCHGEN_HDR := $(wildcard patchgen/*.h) $(CONTRACT)
CLI_SRC      := $(wildcard cli/*.c) patchgen/fingerprint_format.c patchgen/fingerprint_binary.c \
		patchgen/name_index.c
CLI_HDR      := $(wildcard cli/*.h) patchgen/fingerprint_format.h patchgen/name_index.h $(CONTRACT)

all: $(PLUGIN) $(PLUGIN).id $(PATCHGEN) $(KSPLICE) $(CC_WRAPPER) $(CONTRACT_SH)

deps:
	@bash scripts/deps.sh

# build_plugin DIR[,SOURCES]: the plugin, with SOURCES too, against the headers of the GCC whose
# plugin directory is DIR (a plugin runs inside that compiler, on this host).
build_plugin = @mkdir -p $(dir $@) && \
	$(CXX) -std=gnu++17 -shared -fPIC -fno-rtti -fno-exceptions -O2 $(WARN) \
		-Wno-unused-parameter -I$(1)/include -Ikmod/include -o $@ $(PLUGIN_SRC) $(2)

$(PLUGIN): $(PLUGIN_SRC) $(PLUGIN_HDR)
	$(call build_plugin,$(PLUGIN_DIR))

CROSS_ARM64  ?= aarch64-linux-gnu-gcc-12
PLUGIN_ARM64 := $(BUILD)/gcc-plugin/aarch64-linux-gnu/ksplice_plugin.so

# make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KSPLICE=1 runs this
# wrapper, which loads that plugin (kbuild/Makefile.ksplice).
CC_WRAPPER_ARM64 := $(BUILD)/bin/ksplice-aarch64-linux-gnu-gcc

plugin-arm64: all $(PLUGIN_ARM64) $(PLUGIN_ARM64).id $(CC_WRAPPER_ARM64)

# The static ksplice command for arm64 guests (tests/vm/run), linked with
# Debian's arm64 libraries (scripts/deps.sh --arm64).
KSPLICE_ARM64 := $(BUILD)/arm64/bin/ksplice
arm64: plugin-arm64 $(KSPLICE_ARM64)

$(KSPLICE_ARM64): $(CLI_SRC) $(CLI_HDR)
	@bash scripts/deps.sh --arm64
	@mkdir -p $(dir $@)
	aarch64-linux-gnu-gcc $(CFLAGS) -static -Ipatchgen -Ikmod/include -DKSPLICE_HOME='"$(CURDIR)"' \
		-o $@ $(CLI_SRC) -lelf -lz -lzstd

$(PLUGIN_ARM64): $(PLUGIN_SRC) $(PLUGIN_SRC_ANCHORS) $(PLUGIN_HDR)
	@bash scripts/deps.sh --arm64
	$(call build_plugin,$(shell $(CROSS_ARM64) -print-file-name=plugin),$(PLUGIN_SRC_ANCHORS))

$(CC_WRAPPER_ARM64): kbuild/ksplice-cc.in
	@mkdir -p $(dir $@)
	$(call wrapper,$(CURDIR)/$(PLUGIN_ARM64),$(CURDIR)/$@,$@)

# The plugin's id: the first 16 hex digits of its sha1, written once
# here so that ksplice-gcc, which checks it on every compile, need not
# hash the plugin each time. Makefile.ksplice and the wrapper read it.
$(PLUGIN).id $(PLUGIN_ARM64).id: %.id: %
	sha1sum $< | cut -c1-16 > $@

$(PATCHGEN): $(PATCHGEN_SRC) $(PATCHGEN_HDR) kmod/ksplice_patch.h kmod/include/ksplice_hook_kinds.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ikmod -Ikmod/include -o $@ $(PATCHGEN_SRC) -lelf

# Static: the same binary runs from the busybox initramfs of the VM tests.
$(KSPLICE): $(CLI_SRC) $(CLI_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static -Ipatchgen -Ikmod/include -DKSPLICE_HOME='"$(CURDIR)"' -o $@ $(CLI_SRC) -lelf -lz -lzstd

# The contract header's macros as shell assignments, for the scripts.
$(CONTRACT_SH): $(CONTRACT)
	@mkdir -p $(dir $@)
	{ echo '# Generated from $(CONTRACT) by make; do not edit.'; \
	  $(CC) -E -dM -x c $< | sed -n '/_H $$/d; s/^#define \(KSPLICE_[A-Z0-9_]*\) \(.*\)$$/\1=\2/p' | sort; } > $@

# The compiler make KSPLICE=1 names (kbuild/ksplice-cc.in), bound to a
# plugin by absolute path: the one here, or the installed one.
wrapper = sed -e 's|@PLUGIN@|$(1)|' -e 's|@WRAPPER@|$(2)|' kbuild/ksplice-cc.in > $(3) && chmod 0755 $(3)

$(CC_WRAPPER): kbuild/ksplice-cc.in
	@mkdir -p $(dir $@)
	$(call wrapper,$(CURDIR)/$(PLUGIN),$(CURDIR)/$@,$@)

test-kernel: deps all
	@bash kbuild/test-kernel.sh

check: deps all
	@bash tests/run-all

demo: deps all
	@bash tests/demo.sh

# Not part of check: about 40 minutes, and figures, not pass or fail.
# FROM=NAME starts at that figure, keeping the earlier ones' tables.
bench:
	@bash scripts/deps.sh --bench
	@$(MAKE) -s all
	@bash bench/run-all.sh $(FROM)

# libFuzzer over patchgen's object and fingerprint readers (clang, ASan,
# UBSan), seeded with objects compiled here; FUZZ_SECONDS bounds it.
FUZZ_SECONDS ?= 300
fuzz: deps all
	@bash tests/fuzz/run $(FUZZ_SECONDS)

# The installed command looks for its scripts, plugin and patchgen under
# $(PREFIX)/lib/ksplice, laid out like this tree.
# A package links it dynamically (INSTALL_STATIC=); the tests copy the
# static one into their busybox guests.
INSTALL_STATIC ?= -static
install: all
	$(CC) $(CFLAGS) $(INSTALL_STATIC) -Ipatchgen -Ikmod/include -DKSPLICE_HOME='"$(PREFIX)/lib/ksplice"' \
		-o $(BUILD)/bin/ksplice.installed $(CLI_SRC) $(LDFLAGS) -lelf -lz -lzstd
	install -D -m 0755 $(BUILD)/bin/ksplice.installed $(DESTDIR)$(PREFIX)/bin/ksplice
	install -D -m 0755 $(PATCHGEN) $(DESTDIR)$(PREFIX)/lib/ksplice/$(PATCHGEN)
	install -D -m 0755 $(PLUGIN) $(DESTDIR)$(PREFIX)/lib/ksplice/$(PLUGIN)
	install -m 0644 $(PLUGIN).id $(DESTDIR)$(PREFIX)/lib/ksplice/$(PLUGIN).id
	$(call wrapper,$(PREFIX)/lib/ksplice/$(PLUGIN),$(PREFIX)/lib/ksplice/$(CC_WRAPPER),$(BUILD)/bin/ksplice-gcc.installed)
	install -D -m 0755 $(BUILD)/bin/ksplice-gcc.installed $(DESTDIR)$(PREFIX)/lib/ksplice/$(CC_WRAPPER)
	ln -sfn ../lib/ksplice/$(CC_WRAPPER) $(DESTDIR)$(PREFIX)/bin/ksplice-gcc
	# The scripts run build/bin/ksplice of KSPLICE_HOME (manifest pack, extract).
	ln -sfn ../../../../bin/ksplice $(DESTDIR)$(PREFIX)/lib/ksplice/$(KSPLICE)
	mkdir -p $(DESTDIR)$(PREFIX)/lib/ksplice
	cp -r kbuild kmod $(DESTDIR)$(PREFIX)/lib/ksplice/
	install -D -m 0644 $(CONTRACT_SH) $(DESTDIR)$(PREFIX)/lib/ksplice/$(CONTRACT_SH)
	install -D -m 0644 docs/ksplice.1 $(DESTDIR)$(PREFIX)/share/man/man1/ksplice.1
	sed 's|@BINDIR@|$(PREFIX)/bin|' cli/ksplice.service.in > $(BUILD)/ksplice.service
	install -D -m 0644 $(BUILD)/ksplice.service $(DESTDIR)$(SYSTEMD_UNIT_DIR)/ksplice.service

clean:
	rm -rf $(BUILD)/bin $(BUILD)/gcc-plugin $(BUILD)/tests $(BUILD)/arm64/bin

.PHONY: all deps test-kernel check demo bench fuzz install clean plugin-arm64 arm64
