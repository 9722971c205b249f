# Sharing and archives: the share wizard (push or save; its pages one class per file under
# share/), the load, import and export dialogs, the Registries page, and the application icon
# (embedded by resources/CMakeLists.txt).
list(APPEND BERTH_UI_SOURCES
  appicon.h appicon.cpp
  archivefiles.h archivefiles.cpp
  jobprogress.h jobprogress.cpp
  loginform.h loginform.cpp
  sharewizard.h sharewizard.cpp
  share/sharewording.h share/sharewording.cpp
  share/shareimagespage.h share/shareimagespage.cpp
  share/destinationdefaults.h share/destinationdefaults.cpp
  share/sharedestinationpage.h share/sharedestinationpage.cpp
  share/shareaccountpage.h share/shareaccountpage.cpp
  share/sharereviewpage.h share/sharereviewpage.cpp
  share/sharefilepage.h share/sharefilepage.cpp
  share/shareprogresspage.h share/shareprogresspage.cpp
  share/sharecombinepage.h share/sharecombinepage.cpp
  loaddialog.h loaddialog.cpp
  importdialog.h importdialog.cpp
  exportdialog.h exportdialog.cpp
  registriespage.h registriespage.cpp)
