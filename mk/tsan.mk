# ThreadSanitizer over the core tests (docs/RELIABILITY.md): berth_core, berthctl and
# tests/auto/core only (BERTH_CORE_ONLY), in a warnings-as-errors tree of its own. Qt is not
# instrumented: the false positives that causes inside Qt are listed, each with its reason, in
# tests/tsan.supp.
# Left out for now: the tests whose work goes through QNetworkAccessManager (its HTTP thread hands
# every request and reply over inside uninstrumented QtNetwork, hundreds of reports with no race
# in Berth's code), tst_credentialstore (libsecret/GDBus threads in GLib, same cause) and the
# engine interop tests (docker/podman, the slowest of the suite); with them the services fixture
# goes too, as no remaining test needs it.
TSAN_BUILD_DIR  ?= build-tsan
TSAN_EXCLUDE    ?= ^(services_start|services_stop|tst_(registryclient|registryfaults|wirefaults|hubclient|embeddedbackend|services|credentialstore|archiveinterop|enginebackend))$$
TSAN_CTEST_ARGS ?= -E '$(TSAN_EXCLUDE)'

.PHONY: test-tsan test-tsan-build

test-tsan-build: setup
	cmake -S . -B $(TSAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBERTH_WERROR=ON \
	  -DBERTH_SANITIZE_THREAD=ON -DBERTH_CORE_ONLY=ON
	cmake --build $(TSAN_BUILD_DIR) -j $(JOBS)

test-tsan: test-tsan-build
	scripts/with-keyring scripts/run-tests $(TSAN_BUILD_DIR) $(TSAN_CTEST_ARGS)
