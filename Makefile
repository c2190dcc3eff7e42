# SafeLine top-level build. `make` builds safeline.ko, safelined and safectl;
# `make check` runs every test; `make demo` boots the rig and shows a call.
# Overridable: KVER, KDIR (kernel build tree), DAHDI_SRC (a DAHDI tree with include/
# and, for linking, drivers/dahdi/Module.symvers), BUILD (output directory).

KVER ?= $(shell ls -1 /lib/modules 2>/dev/null | grep -- '-amd64$$' | sort -V | tail -n1)
KDIR ?= /lib/modules/$(KVER)/build
BUILD ?= $(CURDIR)/build
DAHDI_BUILD := $(BUILD)/dahdi-$(KVER)
DAHDI_SRC ?= $(DAHDI_BUILD)

CC ?= cc
CFLAGS ?= -O2 -g
WARNFLAGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Wformat=2
# userspace sees the uapi header as <linux/safeline.h>, exactly as the kernel defines it
USER_CFLAGS := -std=gnu11 $(WARNFLAGS) -D_GNU_SOURCE -isystem $(CURDIR)/kernel/uapi \
	-I$(CURDIR) $(CFLAGS)

export KVER KDIR BUILD DAHDI_SRC

.PHONY: all deps dahdi module userspace tests check rig demo bench clean install uninstall
all: module userspace

# fragments below append their programs to AGENT_BINS and TEST_BINS
AGENT_BINS :=
TEST_BINS :=

deps:
	@sh scripts/deps.sh

dahdi:
	@[ -n "$(KVER)" ] || { echo "make: no kernel in /lib/modules: run 'make deps'" >&2; exit 1; }
	@if [ "$(DAHDI_SRC)" = "$(DAHDI_BUILD)" ]; then \
		sh scripts/build-dahdi.sh "$(KDIR)" "$(DAHDI_BUILD)"; fi

module: dahdi
	@[ -f "$(DAHDI_SRC)/include/dahdi/kernel.h" ] || \
		{ echo "make: $(DAHDI_SRC)/include/dahdi/kernel.h missing (DAHDI_SRC)" >&2; exit 1; }
	@# no BTF for out-of-tree modules: Debian ships no vmlinux to base it on
	$(MAKE) -C $(KDIR) M=$(CURDIR) DAHDI_INCLUDE=$(DAHDI_SRC)/include \
		CONFIG_DEBUG_INFO_BTF_MODULES= KBUILD_EXTRA_SYMBOLS=$(wildcard $(DAHDI_SRC)/drivers/dahdi/Module.symvers) modules

include agent/agent.mk
include tests/unit/unit.mk
include tests/linesim/linesim.mk
include tests/rig/rig.mk
include install.mk

userspace: $(AGENT_BINS)
tests: $(TEST_BINS)

check:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory all tests
	@sh tests/check.sh

demo:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory all tests
	@sh tests/rig/demo.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf $(BUILD)
