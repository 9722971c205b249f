# Settings → Network with the real keychain (scripts/with-keyring): the manual proxy's password
# stored there, never in the settings file, and the policy installed from both.
berth_add_test(tst_networksettings SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_networksettings.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui KEYCHAIN TIMEOUT 120)
# The window on the test services' dockerd: Settings → Network says how the engine's own proxy
# route differs from Berth's.
berth_add_test(tst_engineroutenote SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_engineroutenote.cpp
  ${BERTH_LOCAL_UI_HELPERS} LIBS berth_ui SERVICES TIMEOUT 300)
