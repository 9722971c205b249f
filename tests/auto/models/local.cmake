# The local side's models: the transfer jobs and their model, local images, containers,
# registries, accounts and settings keys. The transfer jobs run over the in-memory backend of
# tests/shared (FakeBackend). Images and containers come from the registries of the test services
# into an EmbeddedBackend on a temporary directory, and from the test services' dockerd.
berth_add_test(tst_transfermanager SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_transfermanager.cpp
  LIBS berth_models TIMEOUT 120)
berth_add_test(tst_localimagesmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_localimagesmodel.cpp
  LIBS berth_models SERVICES TIMEOUT 600)
berth_add_test(tst_containersmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_containersmodel.cpp
  LIBS berth_models SERVICES TIMEOUT 600)
berth_add_test(tst_registriesmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registriesmodel.cpp
  LIBS berth_models)
