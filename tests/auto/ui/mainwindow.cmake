# The composed window on a temporary embedded store: page wiring, shortcuts, drops.
berth_add_test(tst_mainwindow SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_mainwindow.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h LIBS berth_ui SERVICES TIMEOUT 300)
