# Explore and Repository pages: Docker Hub search results, tag groups and their filter.
list(APPEND BERTH_MODELS_SOURCES
  searchresultsmodel.h searchresultsmodel.cpp
  taggroupsmodel.h taggroupsmodel.cpp
  # Its images and tags inserted as a registry's batches arrive.
  taggroupsmodelgrowth.cpp
  tagfilterproxy.h tagfilterproxy.cpp)
# Registry actions from the tag browser: delete, remove a tag, copy to another registry.
list(APPEND BERTH_MODELS_SOURCES
  registryjobs.cpp)
