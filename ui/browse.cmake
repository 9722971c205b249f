# Explore and Repository pages: official images as cards, search, result rows with logos, tag groups, layers and history.
list(APPEND BERTH_UI_SOURCES
  explorepage.h explorepage.cpp
  searchresultdelegate.h searchresultdelegate.cpp
  delegatefonts.h
  officialimagesview.h officialimagesview.cpp
  imagecarddelegate.h imagecarddelegate.cpp
  pullstatus.h pullstatus.cpp
  logocache.h logocache.cpp
  erroradvice.h erroradvice.cpp
  repositorypage.h repositorypage.cpp
  overviewbrowser.h overviewbrowser.cpp
  taggroupsview.h taggroupsview.cpp
  imagehistoryview.h imagehistoryview.cpp)
# Registry actions on a tag group of the tag browser: delete the image, remove one tag, copy it
# to another registry, each a dialog running a TransferManager job.
list(APPEND BERTH_UI_SOURCES
  tagactions.h tagactions.cpp
  deleteimagedialog.h deleteimagedialog.cpp
  removetagdialog.h removetagdialog.cpp
  copyimagedialog.h copyimagedialog.cpp)
