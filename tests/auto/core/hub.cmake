# Docker Hub client against the in-process fake Hub, and tag grouping.
berth_add_test(tst_hubclient SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_hubclient.cpp)
berth_add_test(tst_taggrouping SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_taggrouping.cpp)
