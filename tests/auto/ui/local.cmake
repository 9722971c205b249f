# The local side's widgets, headless (QT_QPA_PLATFORM=offscreen): Images and Containers pages,
# the Transfers dock, the login and settings dialogs. The pages and the dock run over the in-memory
# backend of tests/shared (FakeBackend), without services; logins go to the registries of the test
# services and the real keychain under scripts/with-keyring.
set(BERTH_LOCAL_UI_HELPERS ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h)
berth_add_test(tst_imagespage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagespage.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui TIMEOUT 120)
berth_add_test(tst_containerspage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_containerspage.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui TIMEOUT 120)
berth_add_test(tst_transfersdock SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_transfersdock.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui TIMEOUT 120)
berth_add_test(tst_logindialog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_logindialog.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui SERVICES KEYCHAIN TIMEOUT 300)
berth_add_test(tst_settingsdialog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_settingsdialog.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui)
berth_add_test(tst_inlinemessage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_inlinemessage.cpp
  LIBS berth_ui)
