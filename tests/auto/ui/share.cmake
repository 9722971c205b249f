# Sharing and archives: the share wizard (over the in-memory backend of tests/shared and two
# in-process HTTP servers playing registries: push after logging in, save to a .tar.gz) and the
# destination it proposes, the load/import/export dialogs over embedded stores, the Registries page against
# the registries of the test services, and the desktop resources through their validators.
# Keychain logins need the Secret Service of scripts/with-keyring (make test runs under it).
berth_add_test(tst_sharewizard SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_sharewizard.cpp
  LIBS berth_ui TIMEOUT 180)
berth_add_test(tst_destinationdefaults
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_destinationdefaults.cpp LIBS berth_ui TIMEOUT 60)
berth_add_test(tst_archivedialogs SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_archivedialogs.cpp
  LIBS berth_ui TIMEOUT 300)
berth_add_test(tst_registriespage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registriespage.cpp
  LIBS berth_ui SERVICES TIMEOUT 300)
berth_add_test(tst_resources SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_resources.cpp
  LIBS berth_ui TIMEOUT 120)
