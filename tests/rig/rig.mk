# tests/rig/rig.mk: the QEMU rig. `make rig` runs every rig test, `make rig RIG_TESTS="smoke"`
# a subset; RIG_FLAGS passes options to tests/rig/run.sh (e.g. --safeline, --verbose).
RIG_TESTS ?= all
RIG_FLAGS ?=
RIG_TOOLS := $(BUILD)/rig-tools/rig-chan $(BUILD)/rig-tools/sltest_dtmf.ko \
	$(BUILD)/rig-tools/sltest_tick.ko $(BUILD)/rig-tools/bench-core

TEST_BINS += $(RIG_TOOLS)

.PHONY: rig-tools
rig-tools: $(RIG_TOOLS)

# DAHDI's userspace header comes from the same tree the modules are built from
$(BUILD)/rig-tools/rig-chan: tests/qemu/rig-chan.c | dahdi
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -isystem $(DAHDI_SRC)/include -o $@ $<

# test-only modules (tests/qemu/sltest_*.c): built out of tree in their own directory under
# $(BUILD), against the DAHDI the rig loads; rig scripts insmod them by path
SLTEST_KMOD := $(BUILD)/rig-tools/kmod
SLTEST_SRCS := tests/qemu/sltest_dtmf.c tests/qemu/sltest_tick.c
$(SLTEST_KMOD)/.built: $(SLTEST_SRCS) tests/rig/rig.mk | dahdi
	@mkdir -p $(SLTEST_KMOD)
	cp $(SLTEST_SRCS) $(SLTEST_KMOD)/
	echo 'obj-m := $(notdir $(SLTEST_SRCS:.c=.o))' >$(SLTEST_KMOD)/Kbuild
	echo 'ccflags-y := -I$(DAHDI_SRC)/include' >>$(SLTEST_KMOD)/Kbuild
	$(MAKE) -C $(KDIR) M=$(SLTEST_KMOD) CONFIG_DEBUG_INFO_BTF_MODULES= \
		KBUILD_EXTRA_SYMBOLS=$(DAHDI_SRC)/drivers/dahdi/Module.symvers modules
	touch $@
$(BUILD)/rig-tools/sltest_%.ko: $(SLTEST_KMOD)/.built
	cp $(SLTEST_KMOD)/$(@F) $@

# the DSP core's own cost on recorded channel audio (data-path benchmark)
$(BUILD)/rig-tools/bench-core: tests/qemu/bench-core.c $(DSP_SRCS) $(DSP_HDRS) | dahdi
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -isystem $(DAHDI_SRC)/include -o $@ $< $(DSP_SRCS)

# make bench (a benchmark, not a test): 8 spans x 30 channels in the rig with and without
# safeline.ko, against the core's cost in userspace on the same audio (docs/datapath.md),
# twice: counting instructions (QEMU -icount), then in emulated time.
# The guest script lives outside tests/rig/ so that `run.sh all` never runs it.
.PHONY: rig-bench
rig-bench:
	@$(MAKE) --no-print-directory all tests
	@rm -rf $(BUILD)/bench-datapath && mkdir -p $(BUILD)/bench-datapath
	-@RIG_SMP=$${RIG_SMP:-1} RIG_QEMU_ARGS="-icount shift=0" \
		sh tests/rig/run.sh --timeout 900 $(CURDIR)/tests/qemu/bench-datapath.sh
	-@cp -r $(BUILD)/rig/last/tests/bench-datapath $(BUILD)/bench-datapath/icount
	-@RIG_SMP=$${RIG_SMP:-1} sh tests/rig/run.sh --timeout 900 $(CURDIR)/tests/qemu/bench-datapath.sh
	-@cp -r $(BUILD)/rig/last/tests/bench-datapath $(BUILD)/bench-datapath/tcg
	@sh tests/qemu/bench-report.sh $(BUILD)
bench: rig-bench

rig:
	@$(MAKE) --no-print-directory all tests
	@sh tests/rig/run.sh $(RIG_FLAGS) $(RIG_TESTS)
