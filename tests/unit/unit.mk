# tests/unit/unit.mk: DSP core unit tests (userspace, KTAP) and `make bench`.
# The DSP core is compiled straight from kernel/dsp/, the same sources safeline.ko builds.

DSP_SRCS := $(wildcard kernel/dsp/*.c)
DSP_HDRS := $(wildcard kernel/dsp/*.h)
DSP_TEST_SUPPORT := tests/unit/spill.c tests/unit/stream.c tests/unit/oracle.c tests/unit/audio.c
DSP_TEST_HDRS := $(wildcard tests/unit/*.h) agent/safectl/dsp-commands.h
DSP_SAFECTL_SRCS := agent/safectl/filter.c agent/safectl/analyze.c agent/shared/json.c
SPANDSP_CFLAGS := $(shell pkg-config --cflags spandsp 2>/dev/null)
SPANDSP_LIBS := $(shell pkg-config --libs spandsp 2>/dev/null || echo -lspandsp) -lm
DSP_TEST_CFLAGS = $(USER_CFLAGS) $(SPANDSP_CFLAGS) -DSAFELINE_BUILD_DIR='"$(BUILD)"'

DSP_TESTS := test-dsp-core test-dsp-leak test-dsp-talkoff test-dsp-safectl test-dsp-verify \
	test-dsp-end
TEST_BINS += $(addprefix $(BUILD)/tests/unit/,$(DSP_TESTS))

$(BUILD)/tests/unit/test-dsp-%: tests/unit/test-dsp-%.c $(DSP_SRCS) $(DSP_TEST_SUPPORT) \
		$(DSP_HDRS) $(DSP_TEST_HDRS) tests/unit/unit.mk
	@mkdir -p $(@D)
	$(CC) $(DSP_TEST_CFLAGS) -o $@ $< $(DSP_SRCS) $(DSP_TEST_SUPPORT) $(SPANDSP_LIBS)

# safectl's filter/analyze, run through their cmd_*() entry points
$(BUILD)/tests/unit/test-dsp-safectl: tests/unit/test-dsp-safectl.c $(DSP_SAFECTL_SRCS) \
		$(DSP_SRCS) $(DSP_TEST_SUPPORT) $(DSP_HDRS) $(DSP_TEST_HDRS) tests/unit/unit.mk
	@mkdir -p $(@D)
	$(CC) $(DSP_TEST_CFLAGS) -o $@ $< $(DSP_SAFECTL_SRCS) $(DSP_SRCS) $(DSP_TEST_SUPPORT) \
		$(SPANDSP_LIBS)

# make bench: a benchmark, not a test (tests/bench/bench-dsp.sh prints the table for docs/dsp.md)
$(BUILD)/tests/bench/bench-dsp: tests/bench/bench-dsp.c $(DSP_SRCS) $(DSP_TEST_SUPPORT) \
		$(DSP_HDRS) $(DSP_TEST_HDRS) tests/unit/unit.mk
	@mkdir -p $(@D)
	$(CC) $(DSP_TEST_CFLAGS) -o $@ $< $(DSP_SRCS) $(DSP_TEST_SUPPORT) $(SPANDSP_LIBS)

bench: $(BUILD)/tests/bench/bench-dsp
	@sh tests/bench/bench-dsp.sh $(BUILD)/tests/bench/bench-dsp
