# tests/rig/rig.mk: the QEMU rig. `make rig` runs every rig test, `make rig RIG_TESTS="smoke"`
# a subset; RIG_FLAGS passes options to tests/rig/run.sh (e.g. --safeline, --verbose).
RIG_TESTS ?= all
RIG_FLAGS ?=
RIG_TOOLS := $(BUILD)/rig-tools/rig-chan

TEST_BINS += $(RIG_TOOLS)

.PHONY: rig-tools
rig-tools: $(RIG_TOOLS)

# DAHDI's userspace header comes from the same tree the modules are built from
$(BUILD)/rig-tools/rig-chan: tests/qemu/rig-chan.c | dahdi
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -isystem $(DAHDI_SRC)/include -o $@ $<

rig:
	@$(MAKE) --no-print-directory all tests
	@sh tests/rig/run.sh $(RIG_FLAGS) $(RIG_TESTS)
