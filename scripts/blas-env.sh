# blas-env.sh: sourced by scripts/make-figure and scripts/verify; the BLAS environment of a
# reference run (the published tables are made and checked in it).
#
# OPENBLAS_NUM_THREADS=1: a BLAS call sums in one order, so a run is bit-for-bit repeatable.
# OPENBLAS_CORETYPE=Haswell: OpenBLAS picks its kernels by CPU (Haswell, SkylakeX, Cooperlake,
# Zen, ...), and kernels of different core types sum in different orders: the same program
# then writes tables that differ in the last bits, and chaotic trajectories (gradient descent at
# the edge of stability, SGD) amplify those bits into visibly different curves, though every
# claim's status is the same.  The published tables are made with the Haswell kernels, which
# every x86-64 CPU with AVX2 and FMA can run, so any such machine reproduces them bit for bit.
# A value the user set is kept; other CPUs (no AVX2, not x86-64) use their own kernels.
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
REFERENCE_CORETYPE=Haswell
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ "$(uname -m)" = x86_64 ] &&
   grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=$REFERENCE_CORETYPE
fi
