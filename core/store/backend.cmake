list(APPEND BERTH_CORE_SOURCES
  store/imagebackend.h store/imagebackend.cpp
  store/imagehistory.h store/imagehistory.cpp
  store/imageinuse.h store/imageinuse.cpp
  store/backendfactory.h store/backendfactory.cpp)
