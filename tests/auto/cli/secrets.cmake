# Secrets never leak (issue 8): berthctl's logins, pulls, pushes, crashes and logouts against the
# real registries and keyring, with every log category on, searched everywhere a secret could land.
berth_add_test(tst_secrets SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_secrets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/secretscan.h SERVICES KEYCHAIN TIMEOUT 600)
add_dependencies(tst_secrets berthctl)
