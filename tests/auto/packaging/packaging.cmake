# Packaging: the one version (CMakeLists.txt, NEWS.md, the AppStream releases, debian/changelog)
# and the debian/ files as dpkg's tools read them. `make deb` builds and lintian-checks the package.
berth_add_test(tst_packaging SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_packaging.cpp TIMEOUT 120)
