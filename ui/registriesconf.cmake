# Settings → Registries: what registries.conf puts in effect, read-only (issue 24).
list(APPEND BERTH_UI_SOURCES
  registriesconfview.h registriesconfview.cpp
  # The pull dialog offering the search registries for a short name.
  pulldialogshortnames.cpp)
