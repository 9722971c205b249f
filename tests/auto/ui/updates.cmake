# Updates available on the Images page (issue 23), headless, over an EmbeddedBackend and the plain
# registry of the test services.
berth_add_test(tst_imagespageupdates SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagespageupdates.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h LIBS berth_ui SERVICES TIMEOUT 600)
