# Help, headless, no test services: F1 and Help → User Guide (the embedded guide in the interface's
# language, its links, keyboard, Light and Dark), Help → About Berth (version, licences of the
# icons and of every linked library, About Qt).
berth_add_test(tst_help SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_help.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h LIBS berth_ui TIMEOUT 300)
