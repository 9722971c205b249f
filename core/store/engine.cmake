# The Docker Engine API backend (dockerd, Podman's compatible service) over a unix socket.
list(APPEND BERTH_CORE_SOURCES
  store/engineclient.h store/engineclient.cpp
  store/enginebackend.h store/enginebackend.cpp
  store/enginearchives.cpp
  store/engineimages.cpp
  store/engineevents.h store/engineevents.cpp)
