# Whether local images are out of date (core/registryops/updatecheck) against the real registries,
# the pull-limit front and both engines (`--with docker,podman`).
berth_add_test(tst_updatecheck SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_updatecheck.cpp SERVICES TIMEOUT 600)
