# Sharing and archives: the share wizard (push or save), the load, import and export dialogs, the
# Registries page, and the application icon (embedded by resources/CMakeLists.txt).
list(APPEND BERTH_UI_SOURCES
  appicon.h appicon.cpp
  archivefiles.h archivefiles.cpp
  jobprogress.h jobprogress.cpp
  sharewizard.h sharewizard.cpp
  sharewizardpages.h sharewizardpages.cpp
  loaddialog.h loaddialog.cpp
  importdialog.h importdialog.cpp
  exportdialog.h exportdialog.cpp
  registriespage.h registriespage.cpp)
