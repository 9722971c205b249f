# The Files section of a tag comparison: the kinds under each folder of a diff tree, and the kind
# filter over ImageFilesModel showing a real diff (mergeLayers, writeDiffTree) under
# QAbstractItemModelTester; the summary line.
berth_add_test(tst_filechangesfilter SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_filechangesfilter.cpp
  LIBS berth_models)
