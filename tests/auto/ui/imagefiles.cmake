# The Files tab, headless, over an image imported into an embedded store on a temporary directory
# (no test services): look inside as a job, layers, filter, preview, Save As, cancel, Inspect.
berth_add_test(tst_imagefilesview SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagefilesview.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h LIBS berth_ui TIMEOUT 300)
