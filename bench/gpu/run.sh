#!/usr/bin/env bash
# On a GPU machine with its own PyTorch (no JDK needed), from a folder made by bench/gpu/stage.sh: builds DJL
# 0.25.0's JNI library against that PyTorch (once; kept in $WORK), then trains the same shapes with Collab4J's
# device step and with a raw-PyTorch loop (torch_loop.py: loss read once per epoch), one after the other, and
# prints ratings/s of both and the ratio (compare.py).
# Usage: ./run.sh [USERS=200000] [ITEMS=100000] [RATINGS=20000000] [BS=65536] [EPOCHS=3]
# Environment: PYTHON (default python3, the one with torch), WORK (default /tmp/collab4j-gpu), STEP (default
# device; auto|device|dense|touched|host), FACTORS (64), BENCH_ARGS (more bench options, e.g. --touched-rows for
# the device step's touched rows on very large tables), S1 (a folder with train.csv and valid.csv, e.g. a copy of
# ../shared/bench/splits/ml-latest-small-80-20, not staged: when given, BPR is also trained on it with
# `train --implicit --positive-threshold 4 --loss bpr`, which on a GPU runs the device ranking step).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
USERS="${1:-200000}"; ITEMS="${2:-100000}"; RATINGS="${3:-20000000}"; BS="${4:-65536}"; EPOCHS="${5:-3}"
PY="${PYTHON:-python3}"; WORK="${WORK:-/tmp/collab4j-gpu}"; STEP="${STEP:-device}"; FACTORS="${FACTORS:-64}"
mkdir -p "$WORK"
eval "$("$PY" - <<'PYEOF'
import os, torch
print("TORCH=%s" % os.path.dirname(torch.__file__))
print("VER=%s" % torch.__version__.split("+")[0])
print("CUDA=%s" % (torch.version.cuda or "").replace(".", ""))
print("ABI=%d" % int(torch._C._GLIBCXX_USE_CXX11_ABI))
PYEOF
)"
FLAVOR=$([ -n "$CUDA" ] && echo "cu$CUDA" || echo cpu); [ "$ABI" = 1 ] || FLAVOR="$FLAVOR-precxx11"
CACHE="$WORK/djl-cache"; JNI_DIR="$CACHE/pytorch/$VER-$FLAVOR-linux-x86_64"; JNI="$JNI_DIR/0.25.0-libdjl_torch.so"
echo "PyTorch $VER ($FLAVOR) at $TORCH"

if [ ! -f "$JNI" ]; then
  # DJL 0.25.0's sources against a newer libtorch, with the four changes that made them build on the H100
  # (docs/gpu.md): C++17; std::variant instead of the removed c10/util/variant.h; <cstdint> in utils.h; the JNI
  # headers given to CMake directly (no JDK here).
  SRC="$WORK/djl-jni"; rm -rf "$SRC" "$WORK/build"; cp -r "$HERE/djl-jni" "$SRC"
  sed -i 's/CMAKE_CXX_STANDARD 14/CMAKE_CXX_STANDARD 17/; s/-std=c++14/-std=c++17/g' "$SRC/CMakeLists.txt"
  grep -rl 'c10/util/variant.h\|c10::variant\|c10::get<\|c10::holds_alternative' "$SRC/src" | while read -r f; do
    sed -i 's|#include <c10/util/variant.h>|#include <variant>|; s/c10::variant/std::variant/g; s/c10::get</std::get</g;
            s/c10::holds_alternative/std::holds_alternative/g' "$f"
  done
  sed -i '0,/#include/s//#include <cstdint>\n#include/' "$SRC/api/utils.h"
  mkdir -p "$SRC/src/main/native/djl" && cp "$SRC/api/utils.h" "$SRC/src/main/native/djl/utils.h"
  INC="$SRC/include"
  cmake -S "$SRC" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$TORCH/share/cmake" \
      -DJAVA_INCLUDE_PATH="$INC" -DJAVA_INCLUDE_PATH2="$INC/linux" -DJAVA_AWT_INCLUDE_PATH="$INC" \
      -DJNI_INCLUDE_DIRS="$INC;$INC/linux" -DCMAKE_CXX_FLAGS="-I$INC -I$INC/linux -I$SRC/src/main/native" \
      > "$WORK/cmake.log" 2>&1 || { tail -30 "$WORK/cmake.log"; exit 3; }
  make -C "$WORK/build" -j"$(nproc)" > "$WORK/make.log" 2>&1 || { tail -30 "$WORK/make.log"; exit 3; }
  SO=$(find "$WORK/build" -name 'libdjl_torch.so' | head -1)
  [ -n "$SO" ] || { echo "run.sh: the build made no libdjl_torch.so (see $WORK/cmake.log, $WORK/make.log)" >&2; exit 3; }
  mkdir -p "$JNI_DIR"; cp "$SO" "$JNI"
fi
echo "JNI library $JNI"

# DJL loads every file under PYTORCH_LIBRARY_PATH: a folder of links to libtorch's own libraries only.
LIBS="$WORK/libtorch"; rm -rf "$LIBS"; mkdir -p "$LIBS"
for f in libc10.so libc10_cuda.so libtorch_cpu.so libtorch_cuda.so libtorch.so libtorch_global_deps.so; do
  [ -e "$TORCH/lib/$f" ] && ln -s "$TORCH/lib/$f" "$LIBS/$f"
done
for f in "$TORCH"/lib/libgomp*.so*; do [ -e "$f" ] && ln -s "$f" "$LIBS/"; done
NV=$(dirname "$TORCH")/nvidia
LDP="$TORCH/lib"; for d in "$NV"/*/lib; do [ -d "$d" ] && LDP="$LDP:$d"; done
CUDART=$(dirname "$( (ls "$NV"/cuda_runtime/lib/libcudart.so* /usr/local/cuda/lib64/libcudart.so* \
    /usr/local/cuda*/targets/x86_64-linux/lib/libcudart.so* 2>/dev/null || true) | head -1)" 2>/dev/null || echo .)

echo "== Collab4J (bench --step $STEP) =="
env LD_LIBRARY_PATH="$LDP:${LD_LIBRARY_PATH:-}" PYTORCH_LIBRARY_PATH="$LIBS" PYTORCH_VERSION="$VER" \
    PYTORCH_FLAVOR="$FLAVOR" DJL_CACHE_DIR="$CACHE" \
    JAVA_OPTS="-javaagent:$HERE/agent/native-call-counter-agent.jar -Djna.library.path=$CUDART ${JAVA_OPTS:-}" \
    "$HERE/bundle/bin/collab4j" bench --step "$STEP" --synthetic "$USERS,$ITEMS,$RATINGS" --bs "$BS" \
    --factors "$FACTORS" --epochs "$EPOCHS" --schedule constant --lr 5e-3 --wd 0.1 ${BENCH_ARGS:-} \
    | tee "$WORK/collab4j.out"
echo "== raw PyTorch (torch_loop.py) =="
"$PY" "$HERE/torch_loop.py" --users "$USERS" --items "$ITEMS" --ratings "$RATINGS" --bs "$BS" \
    --factors "$FACTORS" --epochs "$EPOCHS" | tee "$WORK/pytorch.out"
echo "== comparison =="
"$PY" "$HERE/compare.py" "$WORK/collab4j.out" "$WORK/pytorch.out"
if [ -n "${S1:-}" ]; then
  echo "== BPR on $S1 (train --implicit --positive-threshold 4 --loss bpr: the device ranking step on a GPU) =="
  env LD_LIBRARY_PATH="$LDP:${LD_LIBRARY_PATH:-}" PYTORCH_LIBRARY_PATH="$LIBS" PYTORCH_VERSION="$VER" \
      PYTORCH_FLAVOR="$FLAVOR" DJL_CACHE_DIR="$CACHE" JAVA_OPTS="-Djna.library.path=$CUDART ${JAVA_OPTS:-}" \
      "$HERE/bundle/bin/collab4j" train --ratings "$S1/train.csv" --valid "$S1/valid.csv" --implicit \
      --positive-threshold 4 --loss bpr | tee "$WORK/bpr.out"
fi
