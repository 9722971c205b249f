# `berthctl outdated` (issue 23) on the embedded store against the plain registry.
berth_add_test(tst_berthctl_outdated SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_outdated.cpp SERVICES TIMEOUT 600)
add_dependencies(tst_berthctl_outdated berthctl)
