# The registry client (core/registry) against the real registries of the test services, and its
# failure paths through the fault-injecting proxy of tests/shared/faultproxy.h.
berth_add_test(tst_registryclient SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registryclient.cpp SERVICES TIMEOUT 600)
berth_add_test(tst_registryfaults SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registryfaults.cpp SERVICES TIMEOUT 600)
