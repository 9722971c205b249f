list(APPEND BERTH_CORE_SOURCES
  registry/mediatypes.h
  registry/manifest.h registry/manifest.cpp
  registry/authchallenge.h registry/authchallenge.cpp)
