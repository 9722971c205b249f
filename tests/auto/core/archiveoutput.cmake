# Where saves and exports write (issue 19): never through a symbolic link. No services.
berth_add_test(tst_archiveoutput SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_archiveoutput.cpp)
