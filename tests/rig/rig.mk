# tests/rig/rig.mk: the QEMU rig. `make rig` runs every rig test, `make rig RIG_TESTS="smoke"`
# a subset; RIG_FLAGS passes options to tests/rig/run.sh (e.g. --safeline, --verbose).
RIG_TESTS ?= all
RIG_FLAGS ?=
RIG_TOOLS := $(BUILD)/rig-tools/rig-chan $(BUILD)/rig-tools/sltest_dtmf.ko

TEST_BINS += $(RIG_TOOLS)

.PHONY: rig-tools
rig-tools: $(RIG_TOOLS)

# DAHDI's userspace header comes from the same tree the modules are built from
$(BUILD)/rig-tools/rig-chan: tests/qemu/rig-chan.c | dahdi
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -isystem $(DAHDI_SRC)/include -o $@ $<

# test-only module (tests/qemu/sltest_dtmf.c): built out of tree in its own directory under
# $(BUILD), against the DAHDI the rig loads; tests insmod it by path
SLTEST_KMOD := $(BUILD)/rig-tools/kmod
$(BUILD)/rig-tools/sltest_dtmf.ko: tests/qemu/sltest_dtmf.c | dahdi
	@mkdir -p $(SLTEST_KMOD)
	cp $< $(SLTEST_KMOD)/
	echo 'obj-m := sltest_dtmf.o' >$(SLTEST_KMOD)/Kbuild
	echo 'ccflags-y := -I$(DAHDI_SRC)/include' >>$(SLTEST_KMOD)/Kbuild
	$(MAKE) -C $(KDIR) M=$(SLTEST_KMOD) CONFIG_DEBUG_INFO_BTF_MODULES= \
		KBUILD_EXTRA_SYMBOLS=$(DAHDI_SRC)/drivers/dahdi/Module.symvers modules
	cp $(SLTEST_KMOD)/sltest_dtmf.ko $@

rig:
	@$(MAKE) --no-print-directory all tests
	@sh tests/rig/run.sh $(RIG_FLAGS) $(RIG_TESTS)
