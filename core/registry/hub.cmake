list(APPEND BERTH_CORE_SOURCES
  registry/taginfo.h
  registry/taggrouping.h registry/taggrouping.cpp
  registry/hubclient.h registry/hubclient.cpp)
