berth_add_test(tst_berthctl SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl.cpp SERVICES)
add_dependencies(tst_berthctl berthctl)
