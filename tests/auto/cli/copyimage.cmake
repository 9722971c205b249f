# berthctl copy (issue 23): registry to registry between the test services' registries.
berth_add_test(tst_berthctl_copy SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_copy.cpp SERVICES TIMEOUT 600)
add_dependencies(tst_berthctl_copy berthctl)
