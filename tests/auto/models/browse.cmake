# Explore and Repository models: search results against the fake Hub, tag groups and their filter.
berth_add_test(tst_searchresultsmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_searchresultsmodel.cpp LIBS berth_models)
berth_add_test(tst_taggroupsmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_taggroupsmodel.cpp LIBS berth_models)
