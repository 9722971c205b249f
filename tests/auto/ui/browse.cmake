# Explore and Repository pages, headless: the fake Hub for search, overview and Hub tags; the
# registries of the test services for layers, history, platforms and comparisons.
berth_add_test(tst_explorepage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_explorepage.cpp LIBS berth_ui)
berth_add_test(tst_repositorypage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_repositorypage.cpp LIBS berth_ui SERVICES)
# The repository overview against hostile Markdown: no resource loaded, no raw HTML, safe links.
berth_add_test(tst_overviewbrowser SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_overviewbrowser.cpp LIBS berth_ui)
