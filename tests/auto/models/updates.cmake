# Updates available (issue 23): the update checker and the update roles of the local images model,
# over an EmbeddedBackend and the plain registry of the test services.
berth_add_test(tst_updatechecker SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_updatechecker.cpp
  LIBS berth_models SERVICES TIMEOUT 600)
