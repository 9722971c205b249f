# make test-fuzz: the fuzz targets (fuzz/) built for AFL++ with clang 16 and run FUZZ_SECONDS
# each from their committed corpus; fails when a crash or a hang is found. Unprivileged: no
# core_pattern or CPU-governor changes (fuzz/run-fuzz sets the AFL_ variables that waive them).
# A longer run: make test-fuzz FUZZ_SECONDS=900 FUZZ_TARGETS=manifest
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS   ?= 15
FUZZ_TARGETS   ?=

.PHONY: test-fuzz fuzz-build

# The two steps of the build, also run by `make test` (Makefile) beside ctest.
FUZZ_CONFIGURE = cmake -S fuzz -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_LAUNCHER)
FUZZ_COMPILE   = cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS)

fuzz-build: setup
	$(FUZZ_CONFIGURE)
	$(FUZZ_COMPILE)

test-fuzz: fuzz-build
	fuzz/run-fuzz $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS) $(FUZZ_BUILD_DIR)/findings $(FUZZ_TARGETS)
