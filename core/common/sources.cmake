list(APPEND BERTH_CORE_SOURCES
  common/result.h common/result.cpp
  common/sha256.h common/sha256.cpp
  common/allocator.h common/allocator.cpp
  common/cancel.h common/boundedparallel.h
  common/humanize.h common/humanize.cpp
  common/jsonlimits.h common/jsonlimits.cpp
  common/logging.h common/logging.cpp)
