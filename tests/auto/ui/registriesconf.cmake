# registries.conf in the GUI (issue 24): the pull dialog offering the search registries for a
# short name (the alias first), and Settings' read-only view of what is in effect. Headless.
berth_add_test(tst_registriesconfui SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registriesconfui.cpp
  LIBS berth_ui)
