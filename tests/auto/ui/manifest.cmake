# The share wizard's "Combine these images into one multi-platform image" against the plain
# registry of the test services.
berth_add_test(tst_sharecombine SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_sharecombine.cpp
  LIBS berth_ui SERVICES TIMEOUT 300)
