# Explore and Repository pages: Docker Hub search results, tag groups and their filter.
list(APPEND BERTH_MODELS_SOURCES
  searchresultsmodel.h searchresultsmodel.cpp
  taggroupsmodel.h taggroupsmodel.cpp
  tagfilterproxy.h tagfilterproxy.cpp)
