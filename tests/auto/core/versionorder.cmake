# Tags compared as versions and the most specific tag of an image first. Pure, no network.
berth_add_test(tst_versionorder SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_versionorder.cpp)
