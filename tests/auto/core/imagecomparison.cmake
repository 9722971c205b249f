# Two images side by side: layer alignment, config settings, size per platform. Pure, no network.
berth_add_test(tst_imagecomparison SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagecomparison.cpp)
