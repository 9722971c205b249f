# Multi-platform images (core/registryops/manifestlist.h): the local store of lists being built,
# and create/push against the real registries of the test services.
berth_add_test(tst_manifestliststore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_manifestliststore.cpp)
berth_add_test(tst_manifestlist SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_manifestlist.cpp SERVICES TIMEOUT 600)
