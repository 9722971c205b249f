# make deb: the Debian package (debian/), built with dpkg-buildpackage in a copy of the tree under
# $(DEB_BUILD_DIR), so the checkout gets no debian/berth/, obj-*/ or debian/files; lintian then
# checks the package and any error fails. The .deb's path is printed last.
DEB_BUILD_DIR ?= build-deb

.PHONY: deb
deb: setup
	scripts/build-deb $(DEB_BUILD_DIR) $(JOBS)
