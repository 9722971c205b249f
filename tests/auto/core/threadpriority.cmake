# Transfer threads run below the GUI thread (nice steps on Linux).
berth_add_test(tst_threadpriority SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_threadpriority.cpp)
