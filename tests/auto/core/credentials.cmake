# Credential store tests. The keychain cases need a Secret Service: run the suite under
# scripts/with-keyring (gnome-keyring in a private D-Bus session, temporary HOME).
berth_add_test(tst_dockerconfig
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_dockerconfig.cpp ${CMAKE_CURRENT_LIST_DIR}/credentialtestenv.h)
berth_add_test(tst_credentialhelper
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_credentialhelper.cpp ${CMAKE_CURRENT_LIST_DIR}/credentialtestenv.h
  KEYCHAIN)
berth_add_test(tst_credentialstore
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_credentialstore.cpp ${CMAKE_CURRENT_LIST_DIR}/credentialtestenv.h
  KEYCHAIN)
