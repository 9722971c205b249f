# Help: the user guide (docs/USER-GUIDE*.md, embedded by ui/CMakeLists.txt) in a window of its
# own, and the About dialog with the licences of what Berth bundles and links.
list(APPEND BERTH_UI_SOURCES
  userguidewindow.h userguidewindow.cpp
  aboutdialog.h aboutdialog.cpp)
