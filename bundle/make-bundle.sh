#!/usr/bin/env bash
# Stages a self-contained Collab4J bundle for a Linux x86-64 host without Maven, a JDK or internet:
#
#   TARGET/bin/collab4j               launcher: runs the examples jar on the bundled runtime
#   TARGET/runtime/                   a Java 17 runtime cut down by jlink to the modules the jars use
#   TARGET/app/collab4j-examples.jar  the examples (its manifest puts app/lib/*.jar on the classpath)
#   TARGET/app/lib/*.jar              the runtime jars, WITHOUT the pytorch-native-* jars
#   TARGET/README.txt                 how to point it at a PyTorch install
#
# The PyTorch natives are left out to keep the bundle small (pytorch-native-cpu is 130 MB, cu118 1.6 GB): the
# bundle runs against a libtorch already on the host, named by PYTORCH_LIBRARY_PATH (docs/gpu.md).
# --with-cpu-natives adds the CPU native jar for hosts without any libtorch; the bundle then weighs ~170 MiB,
# far over the 60 MiB budget this script checks otherwise.
#
# Usage: bundle/make-bundle.sh [--build] [--with-cpu-natives] [TARGET]   (default TARGET: target/collab4j-bundle)
#   --build  run 'mvn -B -DcpuOnly -DskipTests package' first (also done when the examples jar is missing);
#            MVN_ARGS adds arguments, e.g. MVN_ARGS=-o
# Needs a JDK 17+ with jlink and jdeps (JAVA_HOME, or on the PATH).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=0
NATIVES=0
TARGET=
for arg in "$@"; do
  case "$arg" in
    --build) BUILD=1 ;;
    --with-cpu-natives) NATIVES=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "make-bundle: unknown option $arg" >&2; exit 2 ;;
    *) TARGET=$arg ;;
  esac
done
TARGET=${TARGET:-$ROOT/target/collab4j-bundle}
MAX_MIB=60

JDK_BIN=${JAVA_HOME:+$JAVA_HOME/bin/}
EXAMPLES=$ROOT/examples/target
if [ "$BUILD" = 1 ] || [ ! -f "$EXAMPLES/collab4j-examples.jar" ]; then
  (cd "$ROOT" && mvn -B ${MVN_ARGS:-} -DcpuOnly -DskipTests package)
fi

# Refuse to overwrite anything but an earlier bundle.
if [ -e "$TARGET" ]; then
  if [ -x "$TARGET/bin/collab4j" ] && [ -d "$TARGET/runtime" ]; then
    rm -rf "$TARGET"
  else
    echo "make-bundle: $TARGET exists and is not a Collab4J bundle; choose another folder" >&2
    exit 2
  fi
fi
mkdir -p "$TARGET/bin" "$TARGET/app/lib"

cp "$EXAMPLES/collab4j-examples.jar" "$TARGET/app/"
for jar in "$EXAMPLES"/lib/*.jar; do
  case "$(basename "$jar")" in
    pytorch-native-cpu-*) [ "$NATIVES" = 1 ] && cp "$jar" "$TARGET/app/lib/" ;;
    pytorch-native-*) ;;
    *) cp "$jar" "$TARGET/app/lib/" ;;
  esac
done

# The modules the jars reference (jdeps), less one that only code Collab4J never runs references, plus two
# that are reached only by reflection or at run time:
# - java.compiler: DJL's model zoo compiling bundled Java sources. (java.desktop stays: Collab4J's charts are
#   drawn with XChart on AWT's headless Java2D.)
# - jdk.unsupported (sun.misc.Unsafe, used by JNA and Gson); jdk.crypto.ec (TLS to GroupLens when the
#   quickstart downloads MovieLens).
MODULES=$("${JDK_BIN}jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 \
  "$TARGET"/app/collab4j-examples.jar "$TARGET"/app/lib/*.jar 2>/dev/null | tail -n 1)
MODULES=$(echo "$MODULES" | tr ',' '\n' | grep -v -x -e java.compiler | paste -s -d, -)
MODULES=$MODULES,jdk.unsupported,jdk.crypto.ec
# EXTRA_MODULES: more modules, e.g. java.instrument for a -javaagent (bench/gpu/stage.sh's native-call counter).
MODULES=$MODULES${EXTRA_MODULES:+,$EXTRA_MODULES}
echo "make-bundle: jlink modules $MODULES"
"${JDK_BIN}jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$TARGET/runtime"

cp "$ROOT/bundle/collab4j" "$TARGET/bin/collab4j"
chmod +x "$TARGET/bin/collab4j"
cp "$ROOT/bundle/README.txt" "$TARGET/README.txt"

BYTES=$(du -sb "$TARGET" | cut -f1)
MIB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "make-bundle: $TARGET is $BYTES bytes ($MIB MiB): runtime $(du -sh "$TARGET/runtime" | cut -f1),"\
" jars $(du -sh "$TARGET/app" | cut -f1)"
if [ "$NATIVES" = 0 ] && [ "$BYTES" -gt $((MAX_MIB * 1048576)) ]; then
  echo "make-bundle: over the $MAX_MIB MiB budget" >&2
  exit 1
fi
