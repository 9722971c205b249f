# The Files tab's model: a lazy tree over index files written in the test, under
# QAbstractItemModelTester; its filter over 100,000 entries on the thread pool.
berth_add_test(tst_imagefilesmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagefilesmodel.cpp
  LIBS berth_models)
