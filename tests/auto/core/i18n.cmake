# The French translation: embedded :/i18n/berth_fr.qm loads, real core calls come out in French,
# and translations/berth_fr.ts has no unfinished entry. No services, no network.
berth_add_test(tst_translations SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_translations.cpp)
