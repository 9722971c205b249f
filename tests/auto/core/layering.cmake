# The core's folders link and include one way only (reads the source tree, no build products).
berth_add_test(tst_layering SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_layering.cpp)
