# Company networks: Settings → Network (the proxy: the environment's, none, or the user's own with
# its password in the keychain).
list(APPEND BERTH_UI_SOURCES
  networksettingspage.h networksettingspage.cpp)
