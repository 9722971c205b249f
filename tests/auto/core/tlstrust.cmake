# certs.d (core/network/tlstrust, clientpair) and the certificate messages (tlsproblem), with
# certificates the openssl command line makes.
berth_add_test(tst_tlstrust SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_tlstrust.cpp LIBS OpenSSL::Crypto)
