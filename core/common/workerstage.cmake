# A worker thread running posted jobs in order, bounded by bytes in flight: the hashing, writing
# and syncing stages of `load`.
list(APPEND BERTH_CORE_SOURCES
  common/workerstage.h common/workerstage.cpp)
