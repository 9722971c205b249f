# The local side's widgets, headless (QT_QPA_PLATFORM=offscreen): Images and Containers pages,
# the Transfers dock, the login and settings dialogs. Images come from the registries of the test
# services into an EmbeddedBackend on a temporary directory; containers from the test services'
# dockerd; logins go to the real keychain under scripts/with-keyring.
set(BERTH_LOCAL_UI_HELPERS ${CMAKE_CURRENT_LIST_DIR}/uitesthelpers.h)
berth_add_test(tst_imagespage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagespage.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui SERVICES TIMEOUT 600)
berth_add_test(tst_containerspage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_containerspage.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui SERVICES TIMEOUT 600)
berth_add_test(tst_transfersdock SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_transfersdock.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui SERVICES TIMEOUT 600)
berth_add_test(tst_logindialog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_logindialog.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui SERVICES KEYCHAIN TIMEOUT 300)
berth_add_test(tst_settingsdialog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_settingsdialog.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui)
berth_add_test(tst_inlinemessage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_inlinemessage.cpp
  LIBS berth_ui)
