# registries.conf as Settings shows it (models/registriesconfmodel): rows per mirror, rewrite,
# insecure and blocked registry, search registries and problem; the empty state. Pure.
berth_add_test(tst_registriesconfmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registriesconfmodel.cpp
  LIBS berth_models)
