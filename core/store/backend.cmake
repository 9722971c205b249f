list(APPEND BERTH_CORE_SOURCES
  store/imagebackend.h store/imagebackend.cpp
  store/backendfactory.h store/backendfactory.cpp)
