# Readable errors and the archive dialogs' shared parts: ErrorAdvice for a failed transfer, the
# job-dialog base of Load, Import and Export, and the file pickers' remembered folders.
list(APPEND BERTH_UI_SOURCES
  jobadvice.h jobadvice.cpp)
list(APPEND BERTH_UI_SOURCES
  filechooser.cpp
  jobdialog.h jobdialog.cpp)
