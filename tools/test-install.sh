#!/usr/bin/env bash
# test-install: `make install PREFIX=<temp>`, then a small C program compiled and linked against
# the installed library through `pkg-config --cflags --libs simsuite`, the installed predictor,
# and the installed Python module (found through PYTHONPATH, the library through _libdir.py).
set -euo pipefail
B=${SIM_BUILD:-build}
PY=${PYTHON:-python3}
MK=${MAKE:-make}
P=$(mktemp -d /tmp/simsuite-install.XXXXXX)
trap 'rm -rf "$P"' EXIT
$MK --no-print-directory -s -f Makefile -f tools/predict.mk install PREFIX="$P" B="$B" >/dev/null
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
flags=$(pkg-config --cflags --libs simsuite)
cat > "$P/t.c" <<'C'
#include <math.h>
#include <stdio.h>
#include <simsuite.h>
int main(void) {
    double lam[3] = {1, 0.5, 0.25}, v2[3] = {1, 0.25, 0.0625}, bad[3] = {1, NAN, 0.25};
    ss_krr_result r;
    if (ss_krr(3, lam, NULL, v2, 0, 0, 2, 0.1, 0.2, &r, NULL)) return 1;
    if (!(fabs(r.test_mse - r.E0 * r.bias) <= 1e-15 * r.test_mse)) return 2;
    if (ss_krr(3, bad, NULL, v2, 0, 0, 2, 0.1, 0, &r, NULL) != SS_EINVAL) return 3;
    printf("simsuite %s: E_te = %.6f; bad input -> \"%s\"\n", ss_version(), r.test_mse, ss_last_error());
    return 0;
}
C
cc "$P/t.c" -o "$P/t" $flags -lm
LD_LIBRARY_PATH="$P/lib" "$P/t"
"$P/bin/eigenpredict" --version >/dev/null
printf '1\t1\n0.5\t0.5\n0.25\t0.25\n' > "$P/s.tsv"
"$P/bin/eigenpredict" --spectrum "$P/s.tsv" --n 2 --ridge 0.1 --noise 0.2 | grep -v '^#' | tail -1 | cut -f10 > "$P/cmd.txt"
(cd "$P" && PYTHONPATH="$P/lib/python3/dist-packages" "$PY" -c '
import simsuite, sys
assert simsuite.library_path.startswith(sys.argv[1]), simsuite.library_path
p = simsuite.krr([1, 0.5, 0.25], [1, 0.5, 0.25], n=2, ridge=0.1, noise=0.2)
assert repr(float(p["test_mse"])) == repr(float(open("cmd.txt").read())), (p["test_mse"], open("cmd.txt").read())
print("installed python module: %s, E_te = %.6f (= the installed eigenpredict)" % (simsuite.library_path, p["test_mse"]))
' "$P/lib")
echo "test-install: pkg-config C program, eigenpredict and Python module from $P: ok"
