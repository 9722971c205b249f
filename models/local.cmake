# The local side: the transfer jobs and their manager, local images and containers, accounts,
# registries and the application settings.
list(APPEND BERTH_MODELS_SOURCES
  appsettings.h appsettings.cpp
  transferjob.h transferjob.cpp
  transfermanager.h transfermanager.cpp
  transfersmodel.h transfersmodel.cpp
  localimagesmodel.h localimagesmodel.cpp
  containersmodel.h containersmodel.cpp
  accountsmodel.h accountsmodel.cpp
  registriesmodel.h registriesmodel.cpp)
