berth_add_test(tst_berthctl SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl.cpp SERVICES)
add_dependencies(tst_berthctl berthctl)
berth_add_test(tst_berthctl_images SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_images.cpp SERVICES TIMEOUT 600)
add_dependencies(tst_berthctl_images berthctl)
