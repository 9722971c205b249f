# The helpers of flat asynchronous code (core/common): guarded callbacks, the thread-pool hop, the
# bounded step runner.
berth_add_test(tst_guarded SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_guarded.cpp)
berth_add_test(tst_background SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_background.cpp)
berth_add_test(tst_boundedparallel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_boundedparallel.cpp)
