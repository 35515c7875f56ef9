# Thin wrapper over CMake. `make run` and `make test` do the whole setup on a fresh Debian 12
# machine (packages, lwIP source), build in Release, then run the suite or every test.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
REPORT_DIR ?= reports/latest

.PHONY: all setup configure build run test bench clean

all: build

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	@echo "[build] configured $(BUILD_DIR) ($(BUILD_TYPE))"

build: configure
	@echo "[build] compiling host code and firmware ($(JOBS) jobs)"
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# run and bench build only what they use (k7sim and the firmware, the benchmark); test builds all.
run: configure
	@echo "[build] compiling k7sim and the reference firmware ($(JOBS) jobs)"
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target k7sim
	@rm -rf $(REPORT_DIR) && mkdir -p $(REPORT_DIR)
	@./$(BUILD_DIR)/k7sim run scenarios --jobs $(JOBS) --report-dir $(REPORT_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target k7sim_bench
	@./$(BUILD_DIR)/k7sim_bench

clean:
	@rm -rf $(BUILD_DIR)
