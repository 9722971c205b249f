# The helpers the widget tests share (uitesthelpers.h): finding a child by its object name.
berth_add_test(tst_uitesthelpers SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_uitesthelpers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h LIBS berth_ui TIMEOUT 60)
