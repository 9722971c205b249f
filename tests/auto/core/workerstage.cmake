# The pipeline stage under `load`: a worker thread running jobs in order within a bound of bytes.
berth_add_test(tst_workerstage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_workerstage.cpp)
