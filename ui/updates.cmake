# Updates available on the Images page: the chip, the Update and Check for Updates actions
# (issue 23).
list(APPEND BERTH_UI_SOURCES
  updatechipdelegate.h updatechipdelegate.cpp
  imagespageupdates.cpp)
