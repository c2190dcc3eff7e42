# tests/linesim/linesim.mk: linesim (the rig's carrier, PBX and phone) and its host unit test.
# Needs libspandsp-dev; DAHDI's userspace header comes from the tree the modules are built from.

LINESIM_SRC := tests/linesim
LINESIM_OBJ := $(BUILD)/tests/linesim
# spandsp linked statically when possible: its shared library drags in libtiff and a dozen
# more, which cost ~1 s per start in the TCG guest (loaded over 9p)
LINESIM_SPANDSP_DIR := $(shell pkg-config --variable=libdir spandsp 2>/dev/null)
LINESIM_SPANDSP_A := $(wildcard $(LINESIM_SPANDSP_DIR)/libspandsp.a)
LINESIM_SPANDSP_SO := $(shell pkg-config --libs spandsp 2>/dev/null || echo -lspandsp)
LINESIM_LIBS := $(if $(LINESIM_SPANDSP_A),$(LINESIM_SPANDSP_A),$(LINESIM_SPANDSP_SO)) -lm

# the audio path (spill, G.711, decoder) needs no DAHDI: the unit test links only this
LINESIM_CORE := $(addprefix $(LINESIM_OBJ)/,number.o std.o law.o spill.o decoder.o ktap.o)
LINESIM_LINE := $(addprefix $(LINESIM_OBJ)/,dchan.o pair.o job.o report.o cli.o main.o)
LINESIM_TEST := $(LINESIM_OBJ)/test-linesim.o

TEST_BINS += $(BUILD)/linesim $(BUILD)/tests/unit/test-linesim

$(LINESIM_CORE) $(LINESIM_LINE) $(LINESIM_TEST): $(LINESIM_OBJ)/%.o: $(LINESIM_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -isystem $(DAHDI_SRC)/include -MMD -MP -c -o $@ $<

$(LINESIM_OBJ)/dchan.o $(LINESIM_OBJ)/pair.o: | dahdi

$(BUILD)/linesim: $(LINESIM_CORE) $(LINESIM_LINE)
	$(CC) $(CFLAGS) -o $@ $^ $(LINESIM_LIBS)

$(BUILD)/tests/unit/test-linesim: $(LINESIM_CORE) $(LINESIM_TEST)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LINESIM_LIBS)

-include $(wildcard $(LINESIM_OBJ)/*.d)
