# registries.conf (core/network/registriesconf): files as podman merges them, TOML read with
# toml++, rules and mirrors resolved for a repository, hostile files. Pure: temporary files.
berth_add_test(tst_registriesconf SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registriesconf.cpp)
# The embedded store's pull through a mirror of the test services, said in its progress.
berth_add_test(tst_mirrorpull SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_mirrorpull.cpp SERVICES TIMEOUT 300)
