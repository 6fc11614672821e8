# tools/predict.mk: the predictor, the shared library, its Python module, install and tests.
# Included by the Makefile, which defines B, CC, CFLAGS, XCFLAGS, LDLIBS, COMMON_SRC, COMMON_OBJ.
#
#   make lib                       build/libsimsuite.so(.1, .1.0.0), simsuite.pc, include/simsuite.h
#   make install PREFIX=DIR        library, header, .pc, eigenpredict, the Python module
#   make test-predict              predictor, library (installed, via pkg-config) and Python tests
#
# The library is common/'s numerics compiled again with -fPIC.  Only the ss_* functions of
# common/simsuite.h are exported (tools/libsimsuite.map); every failure inside is a status
# return (common/status.h).

ifndef SS_PREDICT_MK
SS_PREDICT_MK := 1
SS_MAJOR   := 1
SS_VERSION := 1.0.0
PREFIX     ?= /usr/local
DESTDIR    ?=
LIBDIR     ?= $(PREFIX)/lib
INCDIR     ?= $(PREFIX)/include
BINDIR     ?= $(PREFIX)/bin
PCDIR      ?= $(LIBDIR)/pkgconfig
PYDIR      ?= $(PREFIX)/lib/python3/dist-packages
# Debian's python3 (with python3-numpy); another interpreter with NumPy works too.
PYTHON     ?= $(firstword $(wildcard /usr/bin/python3) python3)

# The library is common/'s numerics only: the program layer (util's DIE and x-allocators, cli,
# tsv, claim, progress, blasinfo) is left out, so -z defs makes the link itself prove that no
# path inside libsimsuite can exit the process (status.h: only programs exit).
SS_PROGRAM_ONLY := util cli tsv claim progress blasinfo
SS_PIC_OBJ := $(patsubst common/%.c,$(B)/pic/common/%.o,$(filter-out $(SS_PROGRAM_ONLY:%=common/%.c),$(COMMON_SRC)))
SS_SO      := $(B)/libsimsuite.so.$(SS_VERSION)

.PHONY: lib install uninstall-check test-predict
all: $(B)/eigenpredict
## lib: build/libsimsuite.so (the ss_* functions of common/simsuite.h) and build/simsuite.pc
lib: $(SS_SO) $(B)/libsimsuite.so $(B)/simsuite.pc

$(B)/pic/common/%.o: common/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XCFLAGS) -fPIC -c $< -o $@
$(SS_SO): $(SS_PIC_OBJ) tools/libsimsuite.map
	$(CC) -shared -Wl,-soname,libsimsuite.so.$(SS_MAJOR) -Wl,--version-script=tools/libsimsuite.map \
	  -Wl,-z,defs -o $@ $(SS_PIC_OBJ) $(LDLIBS)
$(B)/libsimsuite.so: $(SS_SO)
	@ln -sf libsimsuite.so.$(SS_VERSION) $(B)/libsimsuite.so.$(SS_MAJOR)
	@ln -sf libsimsuite.so.$(SS_VERSION) $@
# pkg-config file for the installed layout (PREFIX, LIBDIR, INCDIR)
define SS_PC
prefix=$(PREFIX)
libdir=$(LIBDIR)
includedir=$(INCDIR)

Name: simsuite
Description: eigenframework theory of kernel ridge and random-feature regression (simon-suite)
Version: $(SS_VERSION)
Cflags: -I$${includedir}
Libs: -L$${libdir} -lsimsuite
endef
export SS_PC
$(B)/simsuite.pc: tools/predict.mk | $(B)
	@printf '%s\n' "$$SS_PC" > $@
-include $(wildcard $(B)/pic/common/*.d $(B)/pic/tools/*.d)

$(B)/eigenpredict: tools/eigenpredict.c common/simsuite.h $(B)/libcommon.a | $(B)
	$(CC) $(CFLAGS) $(XCFLAGS) $< -o $@ $(B)/libcommon.a $(LDLIBS)

## install PREFIX=DIR: the library, its header and .pc, eigenpredict and the Python module
install: lib $(B)/eigenpredict
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(PCDIR) $(DESTDIR)$(PYDIR)/simsuite
	install -m 644 $(SS_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libsimsuite.so.$(SS_VERSION) $(DESTDIR)$(LIBDIR)/libsimsuite.so.$(SS_MAJOR)
	ln -sf libsimsuite.so.$(SS_VERSION) $(DESTDIR)$(LIBDIR)/libsimsuite.so
	install -m 644 common/simsuite.h $(DESTDIR)$(INCDIR)/
	printf '%s\n' "$$SS_PC" > $(DESTDIR)$(PCDIR)/simsuite.pc
	install -m 755 $(B)/eigenpredict $(DESTDIR)$(BINDIR)/
	install -m 644 python/simsuite/*.py $(DESTDIR)$(PYDIR)/simsuite/
	printf 'LIBDIR = "%s"\n' '$(LIBDIR)' > $(DESTDIR)$(PYDIR)/simsuite/_libdir.py

# Predictor (tests/test_predict: against krr-curves' and random-features' theory, bad input),
# the installed library through pkg-config, and the Python module against the predictor.
## test-predict: the predictor, library, install and Python tests alone
test-predict: $(B)/eigenpredict $(B)/tests/test_predict lib
	@SIM_BUILD=$(B) BLAS_EXPECT='$(BLAS)' scripts/run-tests $(B)/tests/test_predict
	@SIM_BUILD=$(B) PYTHON='$(PYTHON)' MAKE='$(MAKE)' tools/test-install.sh
	@SIM_BUILD=$(B) SIMSUITE_LIB=$(CURDIR)/$(SS_SO) OPENBLAS_NUM_THREADS=1 $(PYTHON) tests/test_python.py
endif
