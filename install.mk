# install.mk: make install / uninstall (owner: issue 6)
