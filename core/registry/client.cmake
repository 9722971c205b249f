list(APPEND BERTH_CORE_SOURCES
  registry/blobsink.h registry/blobsink.cpp
  registry/registryerror.h registry/registryerror.cpp
  registry/responsehead.h
  registry/curlexchange.h registry/curlexchange.cpp
  registry/registrytransport.h registry/registrytransport.cpp
  registry/registryclient.h registry/registryclient.cpp
  registry/imageinspector.h registry/imageinspector.cpp
  registry/registrytags.h registry/registrytags.cpp)
