#!/usr/bin/env bash
# Stages what bench/gpu/run.sh needs on a GPU machine that has its own PyTorch but no JDK, no Maven, no internet,
# in one folder under 60 MiB (the most a call to such a machine can carry):
#   bundle/      the self-contained bundle (bundle/make-bundle.sh) without the pytorch-jni jar (its JNI libraries
#                are for PyTorch 2.0.1; run.sh builds one for the machine's PyTorch)
#   agent/       the native-call counter of lib's tests (bench then prints native calls and syncs per step)
#   djl-jni/     DJL 0.25.0's JNI sources (engines/pytorch/pytorch-native: CMakeLists.txt, src/main/native;
#                api/src/main/native/djl/utils.h), the JNI header of PyTorchLibrary made here with javac -h, and
#                jni.h / jni_md.h from this JDK
#   run.sh torch_loop.py compare.py
# Usage: bench/gpu/stage.sh DJL_SOURCE_DIR [TARGET=target/gpu-stage]
#   DJL_SOURCE_DIR: a checkout of DJL at tag v0.25.0 (git clone -b v0.25.0 https://github.com/deepjavalibrary/djl)
#   (after mvn -B -DcpuOnly -DskipTests package, which also builds lib/target/native-call-counter)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: bench/gpu/stage.sh DJL_SOURCE_DIR [TARGET]" >&2; exit 2; }
DJL="$(cd "$1" && pwd)"; TARGET="${2:-$ROOT/target/gpu-stage}"
NATIVE="$DJL/engines/pytorch/pytorch-native"
LIBRARY="$DJL/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
for f in "$NATIVE/CMakeLists.txt" "$NATIVE/src/main/native" "$DJL/api/src/main/native/djl/utils.h" "$LIBRARY"; do
  [ -e "$f" ] || { echo "stage.sh: $f is missing: give a DJL v0.25.0 checkout" >&2; exit 2; }
done
AGENT="$ROOT/lib/target/native-call-counter"
[ -f "$AGENT/native-call-counter-agent.jar" ] || { echo "stage.sh: $AGENT is missing: run mvn -B -DcpuOnly -DskipTests package first" >&2; exit 2; }
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
rm -rf "$TARGET"; mkdir -p "$TARGET/djl-jni/include/linux" "$TARGET/djl-jni/api" "$TARGET/agent"
# java.instrument: the runtime must accept the counter as a -javaagent.
EXTRA_MODULES=java.instrument "$ROOT/bundle/make-bundle.sh" "$TARGET/bundle" >/dev/null
rm -f "$TARGET"/bundle/app/lib/pytorch-jni-*.jar
cp "$AGENT"/*.jar "$TARGET/agent/"
cp "$NATIVE/CMakeLists.txt" "$TARGET/djl-jni/"
cp -r "$NATIVE/src" "$TARGET/djl-jni/src"
cp "$DJL/api/src/main/native/djl/utils.h" "$TARGET/djl-jni/api/utils.h"
ENGINE_JAR=$(ls "$TARGET"/bundle/app/lib/pytorch-engine-*.jar)
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
javac -h "$TARGET/djl-jni/include" -cp "$ENGINE_JAR" -d "$TMP" "$LIBRARY"
cp "$JAVA_HOME/include/jni.h" "$TARGET/djl-jni/include/"
cp "$JAVA_HOME/include/linux/jni_md.h" "$TARGET/djl-jni/include/linux/"
cp "$ROOT"/bench/gpu/{run.sh,torch_loop.py,compare.py} "$TARGET/"
BYTES=$(du -sb "$TARGET" | cut -f1)
printf 'staged %s: %d bytes (%.1f MiB)\n' "$TARGET" "$BYTES" "$(echo "$BYTES / 1048576" | bc -l)"
[ "$BYTES" -lt $((60 * 1048576)) ] || { echo "stage.sh: over 60 MiB" >&2; exit 1; }
