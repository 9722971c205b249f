# The window's look: the bundled icon theme (resources/ builds it), the Appearance setting and its
# focus ring, the sidebar with live counts, the Transfers indicator of the status bar, and the
# sizing rule that keeps dialogs from growing as the user types.
list(APPEND BERTH_UI_SOURCES
  icontheme.h icontheme.cpp
  appearance.h appearance.cpp
  # WCAG contrast: links and text that read on their background.
  colourcontrast.h colourcontrast.cpp
  sidebar.h sidebar.cpp
  transferindicator.h transferindicator.cpp
  dialogsizing.h dialogsizing.cpp)
