# The local side: Images and Containers pages, the Transfers dock, the login and settings
# dialogs and their small helpers.
list(APPEND BERTH_UI_SOURCES
  filechooser.h
  inlinemessage.h inlinemessage.cpp
  statechip.h statechip.cpp
  pulldialog.h pulldialog.cpp
  tagdialog.h tagdialog.cpp
  imagedetailsdialog.h imagedetailsdialog.cpp
  imagespage.h imagespage.cpp
  containerspage.h containerspage.cpp
  transferdelegate.h transferdelegate.cpp
  transfersdock.h transfersdock.cpp
  logindialog.h logindialog.cpp
  settingsdialog.h settingsdialog.cpp)
