# Pull limits: the status bar's count of Docker Hub pulls left.
list(APPEND BERTH_UI_SOURCES
  pulllimitindicator.h pulllimitindicator.cpp)
