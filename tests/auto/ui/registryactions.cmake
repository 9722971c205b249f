# The tag browser's registry actions (issue 23), headless, against the registries of the test
# services: Delete Image… from the Repository page, a registry refusing deletes (nodelete), Remove
# Tag… keeping the sibling, Copy to… another registry with the digest kept (its blobs checked in
# the Transfers model by QAbstractItemModelTester), the actions' state and tooltips.
berth_add_test(tst_registryactions SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registryactions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h
  LIBS berth_ui SERVICES TIMEOUT 300)
