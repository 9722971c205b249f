# registries.conf as Settings shows it (issue 24): mirrors, rewrites, insecure and blocked
# registries, search registries and problems, each with its file.
list(APPEND BERTH_MODELS_SOURCES
  registriesconfmodel.h registriesconfmodel.cpp)
