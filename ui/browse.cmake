# Explore and Repository pages: search, result rows with logos, tag groups, layers and history.
list(APPEND BERTH_UI_SOURCES
  explorepage.h explorepage.cpp
  searchresultdelegate.h searchresultdelegate.cpp
  logocache.h logocache.cpp
  erroradvice.h erroradvice.cpp
  repositorypage.h repositorypage.cpp
  overviewbrowser.h overviewbrowser.cpp
  taggroupsview.h taggroupsview.cpp
  imagehistoryview.h imagehistoryview.cpp)
