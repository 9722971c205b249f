# Readable errors, the Transfers rows and the archive dialogs' base, headless and without services:
# ErrorAdvice's sentences for every Error kind and engine text; failed transfer rows over an
# embedded store on a temporary directory.
berth_add_test(tst_erroradvice SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_erroradvice.cpp LIBS berth_ui)
berth_add_test(tst_transferrows SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_transferrows.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h LIBS berth_ui)
