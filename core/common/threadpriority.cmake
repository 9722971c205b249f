# Thread priorities: transfer threads yield the CPU to the GUI thread.
list(APPEND BERTH_CORE_SOURCES
  common/threadpriority.h common/threadpriority.cpp)
