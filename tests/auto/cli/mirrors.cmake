# registries.conf end to end (issue 24): the embedded store pulling docker.io images from the test
# services' docker.io mirror, fallback, pull-from-mirror, blocked, prefix rewriting, a malformed
# file, short names.
berth_add_test(tst_berthctl_mirrors SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_mirrors.cpp SERVICES TIMEOUT 600)
add_dependencies(tst_berthctl_mirrors berthctl)
