# The test-services harness itself (tests/shared/services): registries, token server, fixtures.
berth_add_test(tst_services SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_services.cpp SERVICES)
