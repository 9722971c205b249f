# The GUI (backend, transfer manager, images model in-process) and two berthctl processes pulling,
# tagging and removing in one embedded store at once (issue 8).
berth_add_test(tst_sharedstore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_sharedstore.cpp
  LIBS berth_models SERVICES TIMEOUT 600)
add_dependencies(tst_sharedstore berthctl)
