# Berth — the two commands every machine runs: `make run` and `make test`.
# Both install what is missing first (scripts/setup), so a fresh Debian 12 machine needs nothing else.

BUILD_DIR      ?= build
TEST_BUILD_DIR ?= build-tests
JOBS           ?= $(shell nproc)
CTEST_ARGS     ?=

.PHONY: all setup build run test test-build bench check-format format clean

# ccache (installed by scripts/setup) keeps the objects of earlier builds: a second clone, a clean
# build directory or a branch switch recompiles only what changed. Paths are taken relative to the
# clone, so another clone of the same tree hits the same cache. CCACHE_DISABLE=1 builds without it.
# Looked up when a recipe runs, after `setup`: on a fresh machine the first build is cached too.
CCACHE = $(shell command -v ccache 2>/dev/null)
CMAKE_LAUNCHER = $(if $(CCACHE),-DCMAKE_C_COMPILER_LAUNCHER=$(CCACHE) -DCMAKE_CXX_COMPILER_LAUNCHER=$(CCACHE))
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

all: build

setup:
	@scripts/setup

# Release build of the app and berthctl.
build: setup
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DBERTH_WERROR=ON -DBERTH_BUILD_TESTS=OFF \
	  $(CMAKE_LAUNCHER)
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/app/berth

# The whole suite in one warnings-as-errors build instrumented with AddressSanitizer and
# UndefinedBehaviorSanitizer; ctest's fixtures start the registries (and later engines) by PID and
# stop them, and scripts/with-keyring gives the run a private, unlocked Secret Service.
# -g1 (line tables: sanitizer reports keep file and line) compiles a tenth faster than -g.
test-build: setup
	cmake -S . -B $(TEST_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
	  -DBERTH_WERROR=ON -DBERTH_SANITIZE=ON $(CMAKE_LAUNCHER)
	cmake --build $(TEST_BUILD_DIR) -j $(JOBS)

# After ctest, a short AFL++ run of every fuzz target from its corpus (mk/fuzz.mk); a crash or a
# hang fails the run. TEST_FUZZ_SECONDS=0 leaves it out (when iterating on a few tests).
# The fuzz targets (clang, a build of their own) compile meanwhile at the lowest priority, on the
# CPU time ctest leaves idle (services starting, tests waiting on processes and sockets, the
# keychain tests one at a time); its output goes to $(TEST_BUILD_DIR)/fuzz-build.log.
TEST_FUZZ_SECONDS ?= 10
test: test-build
	@fuzz_build=; status=0; \
	if [ "$(TEST_FUZZ_SECONDS)" != 0 ]; then \
	  nice -n 19 sh -c '$(FUZZ_CONFIGURE) && $(FUZZ_COMPILE)' >$(TEST_BUILD_DIR)/fuzz-build.log 2>&1 & \
	  fuzz_build=$$!; \
	fi; \
	scripts/with-keyring scripts/run-tests $(TEST_BUILD_DIR) $(CTEST_ARGS) || status=$$?; \
	if [ -n "$$fuzz_build" ] && ! wait $$fuzz_build; then \
	  cat $(TEST_BUILD_DIR)/fuzz-build.log; echo "make test: the fuzz build failed"; exit 1; \
	fi; \
	if [ $$status != 0 ]; then exit $$status; fi; \
	if [ -n "$$fuzz_build" ]; then \
	  fuzz/run-fuzz $(FUZZ_BUILD_DIR) $(TEST_FUZZ_SECONDS) $(FUZZ_BUILD_DIR)/findings; \
	fi

# The machine's limits, transfers and archives against skopeo, docker and podman on the same
# loopback registry, looking inside images against skopeo + tar and gzip, the GUI figures, and
# registry commands over a link with round trips (docs/PERFORMANCE.md).
# BENCH_LATENCY_RTTS=20,50,150 gives the latency bench's full sweep (about 16 minutes instead of 6).
BENCH_SIZES ?= 200,1000,debian
BENCH_RUNS  ?= 3
BENCH_LATENCY_RTTS ?= 50
bench: setup
	cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DBERTH_BUILD_TESTS=OFF
	cmake --build build-bench -j $(JOBS) --target berthctl berth gui-bench contents-load layer-index-bench \
	  latency-pipe
	bench/limits
	scripts/with-keyring bench/transfer-bench build-bench --sizes $(BENCH_SIZES) --runs $(BENCH_RUNS) --engines
	scripts/with-keyring bench/archive-bench build-bench --sizes $(BENCH_SIZES) --runs $(BENCH_RUNS)
	scripts/with-keyring bench/copy-bench build-bench --runs $(BENCH_RUNS)
	scripts/with-keyring bench/contents-bench build-bench --runs $(BENCH_RUNS)
	scripts/with-keyring bench/gui-figures build-bench --runs $(BENCH_RUNS)
	scripts/with-keyring bench/latency-bench build-bench --rtts $(BENCH_LATENCY_RTTS) --runs $(BENCH_RUNS)

# Extra checks (fuzzing, ThreadSanitizer) each live in a fragment of their own.
-include mk/*.mk

check-format:
	git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(TEST_BUILD_DIR)
