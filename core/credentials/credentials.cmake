list(APPEND BERTH_CORE_SOURCES
  credentials/credential.h
  credentials/secretprocess.h
  credentials/keychainstore.h credentials/keychainstore.cpp
  credentials/dockerconfig.h credentials/dockerconfig.cpp
  credentials/credentialhelper.h credentials/credentialhelper.cpp
  credentials/credentialstore.h credentials/credentialstore.cpp)
