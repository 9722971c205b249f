# The Hub client's tags pages parsed on the thread pool.
berth_add_test(tst_hubtagparsing SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_hubtagparsing.cpp)
