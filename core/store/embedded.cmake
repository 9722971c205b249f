# The embedded image store: an OCI image layout on disk, and the ImageBackend over it.
list(APPEND BERTH_CORE_SOURCES
  store/ocilayout.h store/ocilayout.cpp
  store/storestructure.h store/storestructure.cpp
  store/bloblease.h store/bloblease.cpp
  store/storedimage.h store/storedimage.cpp
  store/embeddedbackend.h store/embeddedbackend.cpp
  store/embeddedarchives.cpp
  store/embeddedhistory.cpp)
