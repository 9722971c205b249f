# Compare Files between two tags of the tag browser: real images pushed to a registry of the test
# services (tests/shared/filesimage.h), read through the layer index cache; the kind filter's tree
# checked by QAbstractItemModelTester.
berth_add_test(tst_filecompare SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_filecompare.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h LIBS berth_ui SERVICES)
