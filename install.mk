# install.mk: `make install`, `make install-dkms`, `make uninstall` (issue 6).
# Included by the top Makefile (KVER, BUILD). A source install on Debian goes
# under /usr/local (Debian's packages never touch it), and systemd, udev,
# modules-load.d and sysusers.d all read /usr/local/lib/. PREFIX=/usr puts it
# where a package would. DESTDIR stages everything under a directory and then
# runs nothing on the live system. docs/admin.md has the whole layout.
#
#   make install          programs, man pages, completion, systemd and udev
#                         files, and safeline.ko in /lib/modules/$KVER/updates/
#   make install-dkms     the same, but safeline.ko through DKMS (rebuilt for
#                         every new kernel) instead of updates/
#   make uninstall        removes what either installed; leaves
#                         /etc/safeline/safeline.conf, the groups, and a loaded
#                         module (unloading it is the admin's decision)

PREFIX ?= /usr/local
# safectl serves the view group and anyone's offline filter/analyze: bin, not sbin
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/safeline
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
# safelined reads /etc/safeline/safeline.conf whatever PREFIX is
CONFDIR := /etc/safeline
MODDIR = /lib/modules/$(KVER)/updates
SAFELINE_VERSION := $(shell sed -n 's/^\#define SAFELINE_VERSION "\(.*\)"/\1/p' kernel/version.h)
DKMSSRCDIR = /usr/src/safeline-$(SAFELINE_VERSION)

# every file the data install lays down, without DESTDIR (uninstall and test-install use it)
INSTALLED_FILES = $(BINDIR)/safectl $(SBINDIR)/safelined \
	$(MANDIR)/man8/safectl.8 $(MANDIR)/man8/safelined.8 \
	$(MANDIR)/man5/safeline.conf.5 $(MANDIR)/man7/safeline.7 \
	$(BASHCOMPDIR)/safectl \
	$(UNITDIR)/safelined.service $(UNITDIR)/safelined.socket \
	$(UNITDIR)/safeline-reapply.service \
	$(UDEVRULESDIR)/60-safeline.rules $(MODULESLOADDIR)/safeline.conf \
	$(SYSUSERSDIR)/safeline.conf $(DOCDIR)/safeline.conf.example $(DOCDIR)/admin.md
# the kernel sources DKMS builds from (Kbuild's tree, nothing generated)
DKMS_SOURCES = dkms.conf Kbuild scripts/dkms-build.sh scripts/dahdi-symvers.sh \
	$(shell find kernel \( -name '*.[ch]' ! -name '*.mod.c' \) -o -name Kbuild | sort)

# run on the live system only: with DESTDIR nothing outside it is touched
live = [ -n "$(DESTDIR)" ] ||
systemd_up = [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]

.PHONY: install-data install-module install-dkms-source install-dkms \
	uninstall-dkms print-installed-files

install: install-data install-module
	@$(live) echo "install: next 'systemctl enable --now safelined.socket safelined.service';" \
		"access groups go in $(CONFDIR)/safeline.conf (safeline.conf(5))"

# one safeline.ko only: a plain updates/ copy would compete with DKMS's updates/dkms/
install-dkms: install-data install-dkms-source
	rm -f $(DESTDIR)$(MODDIR)/safeline.ko
	@$(live) { command -v dkms >/dev/null || \
		{ echo "install-dkms: dkms not installed (apt-get install dkms)" >&2; exit 1; }; \
		dkms status -m safeline -v $(SAFELINE_VERSION) | grep -q . || \
		dkms add -m safeline -v $(SAFELINE_VERSION); \
		dkms install -m safeline -v $(SAFELINE_VERSION) -k $(KVER); }

# filled: a copy (0644) with the install paths written in: @SBINDIR@ and
# @BINDIR@ in the units, /usr/local/ (the default PREFIX) in the man pages
filled = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	-e 's|/usr/local/|$(PREFIX)/|g' "$$src" > "$$dst.tmp" && chmod 0644 "$$dst.tmp" && \
	mv "$$dst.tmp" "$$dst"

install-data: userspace
	install -d -m 0755 $(addprefix $(DESTDIR),$(BINDIR) $(SBINDIR) $(MANDIR)/man5 \
		$(MANDIR)/man7 $(MANDIR)/man8 $(BASHCOMPDIR) $(UNITDIR) $(UDEVRULESDIR) \
		$(MODULESLOADDIR) $(SYSUSERSDIR) $(DOCDIR) $(CONFDIR))
	install -m 0755 $(BUILD)/safectl $(DESTDIR)$(BINDIR)/
	install -m 0755 $(BUILD)/safelined $(DESTDIR)$(SBINDIR)/
	for src in agent/man/*.[578]; do \
		dst=$(DESTDIR)$(MANDIR)/man$${src##*.}/$${src##*/}; $(filled) || exit 1; done
	for unit in safelined safeline-reapply; do \
		src=systemd/$$unit.service.in dst=$(DESTDIR)$(UNITDIR)/$$unit.service; \
		$(filled) || exit 1; done
	install -m 0644 systemd/safelined.socket $(DESTDIR)$(UNITDIR)/
	install -m 0644 agent/completion/safectl.bash $(DESTDIR)$(BASHCOMPDIR)/safectl
	install -m 0644 udev/60-safeline.rules $(DESTDIR)$(UDEVRULESDIR)/
	install -m 0644 systemd/safeline.modules-load.conf \
		$(DESTDIR)$(MODULESLOADDIR)/safeline.conf
	install -m 0644 systemd/safeline.sysusers.conf $(DESTDIR)$(SYSUSERSDIR)/safeline.conf
	install -m 0644 etc/safeline.conf.example docs/admin.md $(DESTDIR)$(DOCDIR)/
	@$(live) systemd-sysusers $(SYSUSERSDIR)/safeline.conf
	@$(live) { ! command -v udevadm >/dev/null || udevadm control --reload 2>/dev/null || true; }
	@$(systemd_up) && systemctl daemon-reload || true

install-module: module
	install -D -m 0644 kernel/safeline.ko $(DESTDIR)$(MODDIR)/safeline.ko
	@$(live) depmod -a $(KVER)

install-dkms-source:
	install -d -m 0755 $(DESTDIR)$(DKMSSRCDIR)
	for f in $(DKMS_SOURCES); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMSSRCDIR)/$$f || exit 1; done

uninstall: uninstall-dkms
	@$(systemd_up) && systemctl disable --now safelined.service safelined.socket \
		2>/dev/null || true
	rm -f $(addprefix $(DESTDIR),$(INSTALLED_FILES)) $(DESTDIR)$(MODDIR)/safeline.ko
	rmdir $(DESTDIR)$(DOCDIR) $(DESTDIR)$(CONFDIR) 2>/dev/null || true
	@$(live) depmod -a $(KVER)
	@$(live) { ! command -v udevadm >/dev/null || udevadm control --reload 2>/dev/null || true; }
	@$(systemd_up) && systemctl daemon-reload || true

uninstall-dkms:
	@$(live) { ! command -v dkms >/dev/null || ! dkms status -m safeline | grep -q . || \
		dkms remove -m safeline -v $(SAFELINE_VERSION) --all; }
	rm -rf $(DESTDIR)$(DKMSSRCDIR)

print-installed-files:
	@printf '%s\n' $(INSTALLED_FILES) $(MODDIR)/safeline.ko

TEST_BINS += $(BUILD)/tests/unit/test-install

$(BUILD)/tests/unit/test-install: tests/unit/test-install.sh
	@mkdir -p $(@D)
	@printf '#!/bin/sh\n# generated by install.mk\nexec sh %s --repo %s --build %s "$$@"\n' \
		'$(CURDIR)/tests/unit/test-install.sh' '$(CURDIR)' '$(BUILD)' > $@.tmp
	@chmod +x $@.tmp && mv $@.tmp $@
