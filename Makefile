# Simon-suite: a literate reproducibility suite of James B. Simon and coauthors' findings.
#
# Every target is documented by a `## target: what it does` line above its rule; `make help`
# prints those lines, so the list is complete by construction (tests/test_ownrun.c checks that
# every .PHONY target has one).
#
# BLAS: GSL is linked against OpenBLAS's CBLAS.  `make BLAS=-lgslcblas` swaps in GSL's own
# reference CBLAS for a cross-check (slow).  The binding is checked by `make check-blas`.

SHELL   := /bin/bash
CC      ?= gcc
BLAS    ?= -lopenblas
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
# The flags the code needs are kept apart from CFLAGS, so `make CFLAGS=...` only adds to them.
XCFLAGS := -std=gnu11 -Wall -Wextra -Wshadow -ffp-contract=off -fno-fast-math -fopenmp-simd -Icommon -MMD -MP
LDLIBS  := -lgsl $(BLAS) -llapacke -llapack $(BLAS) -lfftw3 -lz -lm -lpthread -ldl
# A second BLAS gets its own build directory, so switching never runs stale binaries.
B       ?= build$(if $(filter -lopenblas,$(BLAS)),,-$(subst -l,,$(firstword $(BLAS))))

COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:common/%.c=$(B)/common/%.o)
SLUGS      := $(notdir $(patsubst %/,%,$(wildcard experiments/*/)))
EXPS       := $(SLUGS:%=$(B)/%)
TEST_SRC   := $(wildcard tests/test_*.c)
TESTS      := $(TEST_SRC:tests/%.c=$(B)/tests/%)

.PHONY: all deps data figures test check claims reproduce bench bench-check notes clean check-blas \
        sanitize fuzz check-hard help verify
## all: build every program (build/<slug>) and every test
all: $(EXPS) $(TESTS)

# The predictor command, the shared library (make lib, make install PREFIX=...) and the Python
# module: tools/predict.mk (its targets carry their own ## lines).
include tools/predict.mk

## help: this list
help:
	@awk '/^## [^ :][^:]*: / { i = index($$0, ": "); printf "  make %-22s %s\n", substr($$0, 4, i - 4), substr($$0, i + 2); next } \
	     /^##   / { printf "  %-27s %s\n", "", substr($$0, 6) }' Makefile tools/predict.mk

# ---- set-up ------------------------------------------------------------------------------
# `deps` is quick when everything is present; `data` verifies checksums of what it fetched.
## deps: install the missing Debian packages (gcc, GSL, OpenBLAS, gnuplot, ...)
deps:
	@scripts/install-deps
## data: fetch MNIST, Fashion-MNIST and the text corpora into data/, checked by sha256
data: deps
	@for f in scripts/fetch-*.sh; do bash "$$f" || exit 1; done

# ---- build -------------------------------------------------------------------------------
$(B)/common/%.o: common/%.c | $(B)/common
	$(CC) $(CFLAGS) $(XCFLAGS) -c $< -o $@
$(B)/libcommon.a: $(COMMON_OBJ)
	@rm -f $@; ar rcs $@ $^
# GNU make substitutes only the first % of a pattern prerequisite: expand the stem twice.
.SECONDEXPANSION:
$(EXPS): $(B)/%: experiments/$$*/$$*.c $(B)/libcommon.a | $(B)
	$(CC) $(CFLAGS) $(XCFLAGS) -DSLUG='"$*"' $< -o $@ $(B)/libcommon.a $(LDLIBS)
$(B)/tests/%: tests/%.c tests/testlib.h $(B)/libcommon.a | $(B)/tests
	$(CC) $(CFLAGS) $(XCFLAGS) -Itests $< -o $@ $(B)/libcommon.a $(shell pkg-config --libs check) $(LDLIBS)
$(B)/bench/%: tests/bench/%.c $(B)/libcommon.a | $(B)/bench
	$(CC) $(CFLAGS) $(XCFLAGS) $< -o $@ $(B)/libcommon.a $(LDLIBS)
$(B) $(B)/common $(B)/tests $(B)/bench:
	@mkdir -p $@
-include $(wildcard $(B)/common/*.d $(B)/*.d $(B)/tests/*.d)

# ---- figures -----------------------------------------------------------------------------
# Each experiment reruns only when the hash of its sources (its .c, common/, its default
# flags) differs from the one stored beside its TSVs; gnuplot always redraws (seconds).
# One target per experiment, so `make -j2 figures` runs two at a time.
FIGS := $(SLUGS:%=figure-%)
.PHONY: $(FIGS)
## figures: rerun every experiment whose sources changed, then draw every figure (figures/)
figures: $(FIGS)
## figure-SLUG: the same for one experiment (scripts/make-figure SLUG)
$(FIGS): figure-%: $(B)/% | deps data
	@SIM_BUILD=$(B) scripts/make-figure $*
## reproduce: rerun every experiment from scratch, then draw every figure
reproduce: deps data $(EXPS)
	@$(MAKE) --no-print-directory FORCE=1 figures

# ---- reading: the scoreboard, README's table, the notes' claims blocks, the HTML view ----------
# claims reruns what changed, writes figures/data/claims.tsv, then regenerates README.md's
# experiment table and each paper note's claims block (a failed experiment still fails make).
# notes renders site/ (pandoc); check-site opens it in headless Chromium (site/shots/*.png).
.PHONY: check-site
## claims: every experiment's claims at default size over SEEDS (1,2,3): the scoreboard
claims: deps data $(EXPS)
	@st=0; SIM_BUILD=$(B) SEEDS=$(SEEDS) scripts/claims -j $(JOBS) $(SLUGS) || st=$$?; scripts/update-readme && scripts/update-notes && exit $$st
SEEDS ?= 1,2,3
JOBS  ?= 2
.PHONY: plot
## plot RUN=DIR: draw the figures of your own run DIR (build/<slug> wrote it) into DIR [or OUT=]
plot:
	@scripts/plot-run "$(RUN)" $(OUT)
## notes: the literate HTML view (source, note and figure side by side) under site/
notes:
	@scripts/install-deps pandoc
	@scripts/weave
## check-site: open site/ in headless Chromium and screenshot it (site/shots/)
check-site:
	@scripts/install-deps pandoc chromium
	@scripts/check-site

# ---- tests -------------------------------------------------------------------------------
## test: unit tests of common/, every experiment --quick, bad input, the predictor, the library
##   and the Python module; one line per test file
## check: the same as make test
test check: deps data all lib
	@SIM_BUILD=$(B) PYTHON='$(PYTHON)' MAKE='$(MAKE)' tools/test-install.sh
	@SIM_BUILD=$(B) SIMSUITE_LIB=$(CURDIR)/$(SS_SO) OPENBLAS_NUM_THREADS=1 $(PYTHON) tests/test_python.py
	@scripts/check-structure
	@SIM_BUILD=$(B) BLAS_EXPECT='$(BLAS)' scripts/run-tests $(TESTS)

## verify [SLUGS=...]: rerun experiments at default size into a scratch directory and compare
##   every table with the committed one (exact, or experiments/<slug>/verify-tolerances)
verify: $(EXPS)
	@SIM_BUILD=$(B) scripts/verify $(SLUGS)

## check-blas: check that cblas_dgemm binds to OpenBLAS, not GSL's reference CBLAS
check-blas: $(EXPS)
	@scripts/check-blas $(B)/krr-curves

# ---- benchmarks (never part of test) -------------------------------------------------------
BENCHES := $(patsubst tests/bench/%.c,$(B)/bench/%,$(wildcard tests/bench/*.c))
## bench: performance against references (dgemm, numpy/scipy, word2vec, PyTorch), as ratios
bench: deps data all $(BENCHES)
	@scripts/bench/install-refs
	@SIM_BUILD=$(B) scripts/bench/run.py
	@gnuplot -c scripts/bench/bench.gp figures/data/bench figures
	@scripts/bench/readme.py

## bench-check: rerun the fast benchmark workloads and fail when a ratio to its reference is worse
##   than the committed bench.tsv's by more than that run's spread (a regression gate, ~2 min)
bench-check: deps all $(BENCHES)
	@scripts/bench/install-refs
	@SIM_BUILD=$(B) scripts/bench/check.py

# ---- reliability (slow; not part of test) -------------------------------------------------
# sanitize: everything rebuilt with ASan+UBSan into build-asan/, then every test and every
# experiment --quick (the claim test runs them all); any report fails the run.
## sanitize: rebuild with ASan+UBSan into build-asan/ and run make test there (slow)
sanitize: deps data
	@$(MAKE) --no-print-directory B=build-asan OPT=-O1 \
	  CFLAGS='-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer' \
	  ASAN_OPTIONS=detect_leaks=1 test
## fuzz: feed random flags and files to the programs for FUZZ_SECONDS (default 60)
fuzz:
	@scripts/fuzz $${FUZZ_SECONDS:-60}
## check-hard: valgrind, 2 BLAS threads against 1, a second BLAS (slow)
check-hard: all
	@SIM_BUILD=$(B) scripts/check-hard

# ---- beyond one machine (optional; never part of make test) --------------------------------
# The distributed KRR path (common/mpi/pkrr, ScaLAPACK on Open MPI) builds into build-mpi/ and
# links the single-process library as it is.  Its packages are installed on demand, as pandoc is
# for the notes: Debian's libscalapack-openmpi-dev and openmpi-bin.
MB        := build-mpi
MPICC     ?= mpicc
MPIRUN    ?= mpirun
SCALAPACK ?= -lscalapack-openmpi
# root in a container, and more processes than cores on a laptop: both are allowed for the tests
MPI_ENV   := OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 \
             OPENBLAS_NUM_THREADS=1
.PHONY: mpi test-mpi
## mpi: the distributed KRR (ScaLAPACK over MPI) into build-mpi/: krr-mnist-mpi and its test
mpi:
	@scripts/install-deps mpi
	@$(MAKE) --no-print-directory $(MB)/krr-mnist-mpi $(MB)/test_pkrr
$(MB)/pkrr.o: common/mpi/pkrr.c common/mpi/pkrr.h | $(MB)
	$(MPICC) $(CFLAGS) $(XCFLAGS) -c $< -o $@
$(MB)/krr-mnist-mpi: tools/krr-mnist-mpi.c $(MB)/pkrr.o $(B)/libcommon.a | $(MB)
	$(MPICC) $(CFLAGS) $(XCFLAGS) $< $(MB)/pkrr.o -o $@ $(B)/libcommon.a $(SCALAPACK) $(LDLIBS)
$(MB)/test_pkrr: tests/mpi/test_pkrr.c $(MB)/pkrr.o $(B)/libcommon.a | $(MB)
	$(MPICC) $(CFLAGS) $(XCFLAGS) $< $(MB)/pkrr.o -o $@ $(B)/libcommon.a $(SCALAPACK) $(LDLIBS)
$(MB):
	@mkdir -p $@
-include $(wildcard $(MB)/*.d)
## test-mpi: the distributed solve, predictions and pool spectrum equal the single-process ones
##   to 1e-10 under mpirun -np 1, 2 and 4 (n = 4000, pool M = 2000; oversubscribed on 2 cores)
test-mpi: mpi
	@set -o pipefail; for np in 1 2 4; do $(MPI_ENV) $(MPIRUN) -np $$np $(MB)/test_pkrr 4000 2000 | \
	  { [ $$np = 1 ] && cat || tail -n +2; } || exit 1; done

## clean: remove build/, build-*/ and site/ (your runs/ stay)
clean:
	rm -rf build build-* site
