# The user's registries in QSettings, as the app writes them and berthctl reads them. Pure: an INI
# file in a temporary folder, no network.
berth_add_test(tst_registrysettings SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registrysettings.cpp)
