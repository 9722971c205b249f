# Pull limits in the GUI against the test services' pull-limit front: the status bar's indicator
# in the real window, its warning colour in light and dark, the pull dialog's cost sentence.
berth_add_test(tst_pulllimits SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_pulllimits.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h LIBS berth_ui SERVICES TIMEOUT 300)
