# TagGroupsModel groups a loaded repository's tags on the thread pool.
berth_add_test(tst_taggroupsasync SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_taggroupsasync.cpp
  LIBS berth_models)
