# TagGroupsModel filled batch by batch from a real registry (listRegistryTags' partial batches).
berth_add_test(tst_taggroupsprogressive SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_taggroupsprogressive.cpp
  LIBS berth_models SERVICES)
