# SPDX-License-Identifier: GPL-2.0
#
# Long runs of the debug-kernel tests (included by the top Makefile; before
# that include exists: make -f Makefile -f mk/debug.mk TARGET).
#
#   make fuzz          objhash_fuzz_test for FUZZ_SECONDS under DEBUG_KERNEL
#   make soak          objhash_stress_test for STRESS_SECONDS
#   make fault-inject  objhash_fault_test for FAULT_SECONDS
#   make unload-cycles objhash_unload_test for UNLOAD_CYCLES cycles
#   make trinity       scripts/trinity-run for TRINITY_SECONDS
#   make debug-soak    all of the above, one after the other
#
# Variables (defaults in brackets):
#   DEBUG_KERNEL     vm-run --kernel [debug]; stock, kcsan or a path work too
#   DEBUG_SMP        guest CPUs [2]
#   FUZZ_SECONDS [300]  FUZZ_THREADS [3]    FUZZ_SEED [time]
#   STRESS_SECONDS [300] STRESS_THREADS [4] STRESS_SEED [time]
#   FAULT_SECONDS [60]   FAULT_THREADS [2]
#   UNLOAD_CYCLES [200]
#   TRINITY_SECONDS [300]
#   TRINITY_KERNEL [stock]: trinity's own main process segfaults on the
#                    tinyconfig-based debug kernel (scripts/trinity-run)
# Each run fails on a test failure or on any kernel splat (vm-run).

DEBUG_KERNEL ?= debug
DEBUG_SMP ?= 2
FUZZ_SECONDS ?= 300
FUZZ_THREADS ?= 3
FUZZ_SEED ?=
STRESS_SECONDS ?= 300
STRESS_THREADS ?= 4
STRESS_SEED ?=
FAULT_SECONDS ?= 60
FAULT_THREADS ?= 2
UNLOAD_CYCLES ?= 200
TRINITY_SECONDS ?= 300
TRINITY_KERNEL ?= stock

# Long CPU-bound runs under TCG trip false RCU stall reports: raise the
# stall timeout for these soaks only.
DEBUG_SOAK_APPEND := rcupdate.rcu_cpu_stall_timeout=300

DEBUG_TESTS_DIR := /opt/objhash/kselftest/objhash

# debug_run PROGRAM, ENV ASSIGNMENTS, RUN SECONDS
define debug_run
	scripts/vm-run --kernel $(DEBUG_KERNEL) --smp $(DEBUG_SMP) \
		--timeout $$(( $(3) * 3 + 600 )) --append "$(DEBUG_SOAK_APPEND)" \
		-- env $(2) $(DEBUG_TESTS_DIR)/$(1)
endef

.PHONY: fuzz soak fault-inject unload-cycles trinity debug-soak

fuzz: selftests
	$(call debug_run,objhash_fuzz_test,OBJHASH_FUZZ_SECONDS=$(FUZZ_SECONDS) \
		OBJHASH_FUZZ_THREADS=$(FUZZ_THREADS) \
		$(if $(FUZZ_SEED),OBJHASH_FUZZ_SEED=$(FUZZ_SEED)),$(FUZZ_SECONDS))

soak: selftests
	$(call debug_run,objhash_stress_test,OBJHASH_STRESS_SECONDS=$(STRESS_SECONDS) \
		OBJHASH_STRESS_THREADS=$(STRESS_THREADS) \
		$(if $(STRESS_SEED),OBJHASH_STRESS_SEED=$(STRESS_SEED)),$(STRESS_SECONDS))

fault-inject: selftests
	$(call debug_run,objhash_fault_test,OBJHASH_FAULT_SECONDS=$(FAULT_SECONDS) \
		OBJHASH_FAULT_THREADS=$(FAULT_THREADS),$$(( $(FAULT_SECONDS) * 4 )))

unload-cycles: selftests
	$(call debug_run,objhash_unload_test,OBJHASH_UNLOAD_CYCLES=$(UNLOAD_CYCLES),$(UNLOAD_CYCLES))

trinity:
	scripts/trinity-run --kernel $(TRINITY_KERNEL) --seconds $(TRINITY_SECONDS)

debug-soak: fuzz soak fault-inject unload-cycles trinity
