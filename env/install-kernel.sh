#!/usr/bin/env bash
# Installs the Jupyter kernel spec NAME (default "langneurons"): rapaio-jupyter-kernel 3.0.1, fetched from Maven
# Central into the cache, with the library on its class path (RJK_CLASSPATH), so notebooks import org.langneurons.*
# with no magics. Prints the kernel spec folder.
#
#   bash env/install-kernel.sh [NAME [CLASSPATH [KERNELS_DIR]]]
#
# CLASSPATH defaults to lib/target/langneurons.jar (build it first: mvn package -DskipTests); entries are separated
# by ';' (rapaio's separator; each entry may be a glob). KERNELS_DIR defaults to $(jupyter --data-dir)/kernels.
# For IJava or JJava instead, install that kernel and set IJAVA_CLASSPATH or JJAVA_CLASSPATH to the same jar (with
# ':' between entries) in its kernel.json "env", and add -Dai.djl.offline=true to its "argv".
set -euo pipefail
cd "$(dirname "$0")/.."
NAME="${1:-langneurons}"
CP="${2:-$PWD/lib/target/langneurons.jar}"
KERNELS="${3:-$(jupyter --data-dir)/kernels}"
VERSION=3.0.1
CACHE="${LANGNEURONS_CACHE:-$HOME/.cache/langneurons}/kernel"
JAR="$CACHE/rapaio-jupyter-kernel-$VERSION.jar"
if [ ! -s "$JAR" ]; then
  mkdir -p "$CACHE"
  mvn -B -q dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$VERSION" -DoutputDirectory="$CACHE"
fi
DIR="$KERNELS/$NAME"
mkdir -p "$DIR"
# The kernel runs with jemalloc where it is installed (env/allocator.sh says why).
ALLOC="$(LD_PRELOAD= MALLOC_CONF= bash -c 'source env/allocator.sh; echo "${LD_PRELOAD:-}|${MALLOC_CONF:-}"')"
python3 - "$DIR/kernel.json" "$JAR" "$CP" "$NAME" "$CACHE/mima" "$ALLOC" <<'PY'
import json, sys
path, jar, cp, name, mima, alloc = sys.argv[1:]
preload, malloc_conf = alloc.split("|")
spec = {
    "argv": ["java", "-Xmx8g", "-Dai.djl.offline=true", "-jar", jar, "{connection_file}"],
    "display_name": "Java (LangNeurons)" if name == "langneurons" else "Java (" + name + ")",
    "language": "java",
    "interrupt_mode": "message",
    "env": {"RJK_CLASSPATH": cp, "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "", "RJK_TIMEOUT_MILLIS": "-1",
            "RJK_MIMA_CACHE": mima},
}
if preload:
    spec["env"].update({"LD_PRELOAD": preload, "MALLOC_CONF": malloc_conf})
with open(path, "w") as f:
    json.dump(spec, f, indent=2)
PY
echo "$DIR"
