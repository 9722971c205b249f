# Secrets never leak from the app (issue 8): the Registries page's login dialog, accounts and
# logout against the real registries and keyring, every log category on, everything searched.
berth_add_test(tst_secretsui SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_secretsui.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../cli/secretscan.h LIBS berth_ui SERVICES KEYCHAIN TIMEOUT 300)
