# The window's look on a temporary embedded store, no test services: bundled icons with no system
# theme, the Appearance setting, Ctrl+Q, the Transfers dock folding into the status bar, the
# sidebar's counts, the focus ring, dialogs that keep their width.
berth_add_test(tst_look SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_look.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h LIBS berth_ui TIMEOUT 300)
