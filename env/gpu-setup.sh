#!/usr/bin/env bash
# Prepares the library to run on the PyTorch a machine already has (any version, CPU or CUDA), offline:
# builds DJL's JNI glue (libdjl_torch.so) from DJL's own sources at the tag this library pins (0.35.1) against that
# libtorch, puts it where DJL looks for it, links libcudart.so for DJL's GPU count, and writes the environment to
# export (or, with --kernel, into the Jupyter kernel spec).
#
#   bash env/gpu-setup.sh [--python PY | --libtorch DIR] [--djl-src DIR] [--out DIR] [--jobs N]
#                         [--jdk DIR] [--cuda-include DIR]... [--no-cuda] [--force] [--kernel [NAME]]
#   source OUT/env.sh     # then java -Dai.djl.offline=true -jar lib/target/langneurons.jar info --device gpu
#
# --python PY (default: python3): the interpreter whose `import torch` is the libtorch to use (its torch/lib and
#   torch/include; CUDA's headers from its nvidia/*/include wheels, or --cuda-include / $CUDA_HOME/include).
# --libtorch DIR: a libtorch folder (PyTorch's libtorch zip: DIR/lib, DIR/include, DIR/build-version) instead.
# --djl-src DIR: DJL's source tree at tag v0.35.1 (a checkout or the GitHub tarball unpacked; only
#   engines/pytorch/pytorch-native/src/main/native, api/src/main/native and PyTorchLibrary.java are read). Without
#   it the script downloads https://github.com/deepjavalibrary/djl/archive/refs/tags/v0.35.1.tar.gz (online machines).
#   Where there is no javac, DIR may carry the `javac -h` header as DIR/include/ai_djl_pytorch_jni_PyTorchLibrary.h.
# --jdk DIR: where include/jni.h is (default: the JDK or jlink'd runtime of the `java` on PATH, or $JAVA_HOME).
# --kernel [NAME]: also (re)install the Jupyter kernel spec NAME (default langneurons; env/install-kernel.sh, into
#   $KERNELS_DIR when set) with this environment in its "env".
# --out DIR (default: ~/.cache/langneurons/torch-<version>-<flavor>): gets pytorch/<version>-<flavor>-linux-x86_64/
#   0.35.1-libdjl_torch.so (DJL's cache layout; ENGINE_CACHE_DIR points DJL there, so torch's own folder is never
#   written to), lib/libcudart.so, and env.sh.
# Nothing of DJL's source is kept in this repository; the build folder is OUT/build. A glue already built in OUT for
# the same libtorch (version, flavor, size and time of libtorch_cpu.so) is kept unless --force.
#
# Why: DJL 0.35.1's shipped glue is compiled against libtorch 2.7.1 and fails on the first tensor against any other
# libtorch (`set_stride is not allowed on a Tensor created from .data or .detach()` on 2.13; a bare Java stack trace
# through PyTorchLibrary.torchFromBlob on 2.11 cu130). The glue's sources compile unmodified against 2.11 and 2.13.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
DJL_VERSION="$(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' pom.xml | head -1)"
DJL_VERSION="${DJL_VERSION:-0.35.1}"
PY=python3 LIBTORCH= DJL_SRC= OUT= JOBS="$(nproc 2>/dev/null || echo 2)" JDK= NO_CUDA= KERNEL= FORCE= CUDA_INC=()
while [ $# -gt 0 ]; do
  case "$1" in
    --python) PY="$2"; shift 2 ;;
    --libtorch) LIBTORCH="$2"; shift 2 ;;
    --djl-src) DJL_SRC="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --jdk) JDK="$2"; shift 2 ;;
    --cuda-include) CUDA_INC+=("$2"); shift 2 ;;
    --no-cuda) NO_CUDA=1; shift ;;
    --force) FORCE=1; shift ;;
    --kernel) KERNEL=langneurons; if [ $# -gt 1 ] && [ "${2#--}" = "$2" ]; then KERNEL="$2"; shift; fi; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "error: $*" >&2; exit 1; }

# 1. the libtorch: folder, version, flavor (cpu | cuNNN), C++ ABI
SITE=
if [ -n "$LIBTORCH" ]; then
  TORCH_DIR="$(cd "$LIBTORCH" && pwd)"
  [ -f "$TORCH_DIR/lib/libtorch.so" ] || die "$TORCH_DIR/lib/libtorch.so not found (--libtorch wants libtorch's top folder)"
  BV="$(cat "$TORCH_DIR/build-version" 2>/dev/null || true)"
  [ -n "$BV" ] || die "$TORCH_DIR/build-version not found: cannot tell the version"
  TORCH_VERSION="${BV%%+*}"
  FLAVOR="cpu"; case "$BV" in *+cu*) FLAVOR="${BV##*+}" ;; esac
  if nm -DC "$TORCH_DIR/lib/libc10.so" 2>/dev/null | grep -c '__cxx11' >/dev/null; then ABI=1; else ABI=0; fi
else
  command -v "$PY" >/dev/null || die "no $PY: give --python PY (an interpreter with torch) or --libtorch DIR"
  read -r TORCH_DIR TORCH_VERSION CUDA ABI < <("$PY" - <<'EOF'
import os, torch
cuda = torch.version.cuda or "none"
print(os.path.dirname(torch.__file__), torch.__version__.split("+")[0], cuda, int(torch.compiled_with_cxx11_abi()))
EOF
) || die "$PY cannot import torch"
  FLAVOR=cpu; [ "$CUDA" = none ] || FLAVOR="cu$(echo "$CUDA" | tr -d .)"
  SITE="$(dirname "$TORCH_DIR")"
fi
[ -n "$NO_CUDA" ] && FLAVOR=cpu
TORCH_LIB="$TORCH_DIR/lib"
echo "libtorch $TORCH_VERSION ($FLAVOR, C++11 ABI $ABI) in $TORCH_LIB" >&2
OUT="${OUT:-${LANGNEURONS_CACHE:-$HOME/.cache/langneurons}/torch-$TORCH_VERSION-$FLAVOR}"
mkdir -p "$OUT/build" "$OUT/lib"
OUT="$(cd "$OUT" && pwd)"
BUILD="$OUT/build"

INSTALL_DIR="$OUT/pytorch/$TORCH_VERSION-$FLAVOR-linux-x86_64"
STAMP="$TORCH_VERSION $FLAVOR $ABI $(stat -L -c '%s %Y' "$TORCH_LIB/libtorch_cpu.so")"
SKIP=
if [ -z "$FORCE" ] && [ -f "$INSTALL_DIR/$DJL_VERSION-libdjl_torch.so" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ]; then
  SKIP=1; echo "glue already built for this libtorch: $INSTALL_DIR/$DJL_VERSION-libdjl_torch.so (--force rebuilds)" >&2
fi

# 2. DJL's sources at the pinned tag
if [ -z "$SKIP" ]; then
if [ -z "$DJL_SRC" ]; then
  DJL_SRC="$BUILD/djl-$DJL_VERSION"
  if [ ! -d "$DJL_SRC/engines" ]; then
    URL="https://github.com/deepjavalibrary/djl/archive/refs/tags/v$DJL_VERSION.tar.gz"
    echo "downloading $URL" >&2
    mkdir -p "$DJL_SRC"
    curl -fsSL "$URL" | tar -xz -C "$DJL_SRC" --strip-components=1 --wildcards \
        '*/engines/pytorch/pytorch-native/src/main/native/*' '*/api/src/main/native/*' \
        '*/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java' \
      || die "cannot download DJL $DJL_VERSION's source; on a machine without internet pass --djl-src DIR"
  fi
fi
NATIVE="$DJL_SRC/engines/pytorch/pytorch-native/src/main/native"
[ -d "$NATIVE" ] || die "$NATIVE not found: --djl-src wants DJL's source tree at tag v$DJL_VERSION"
[ -f "$DJL_SRC/api/src/main/native/djl/utils.h" ] || die "$DJL_SRC/api/src/main/native/djl/utils.h not found"

# 3. JNI headers: jni.h from a JDK (or a jlink'd runtime, which keeps include/), PyTorchLibrary's from javac -h
if [ -z "$JDK" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -f "$JAVA_HOME/include/jni.h" ]; then JDK="$JAVA_HOME"
  elif command -v java >/dev/null; then JDK="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; fi
fi
[ -n "$JDK" ] && [ -f "$JDK/include/jni.h" ] || die "no jni.h: give --jdk DIR (a JDK or jlink'd runtime with include/jni.h)"
HDR="$DJL_SRC/include"
if [ ! -f "$HDR/ai_djl_pytorch_jni_PyTorchLibrary.h" ]; then
  HDR="$BUILD/include"
  command -v javac >/dev/null || die "no javac for PyTorchLibrary's JNI header: install a JDK or put the header in $DJL_SRC/include"
  javac -h "$HDR" -d "$BUILD/classes" \
      "$DJL_SRC/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
fi

# 4. CUDA headers (for the two files that use CUDA's API: a TorchScript stream guard and the cache emptying)
CUDA_DEFS=()
CUDA_LIBS=()
if [ "$FLAVOR" != cpu ]; then
  [ -n "${CUDA_HOME:-}" ] && CUDA_INC+=("$CUDA_HOME/include")
  CUDA_INC+=(/usr/local/cuda/include)
  if [ -n "$SITE" ] && [ -d "$SITE/nvidia" ]; then
    while IFS= read -r d; do CUDA_INC+=("$d"); done < <(find -L "$SITE/nvidia" -maxdepth 3 -type d -name include)
  fi
  FOUND=()
  for d in "${CUDA_INC[@]}"; do [ -d "$d" ] && FOUND+=("-isystem" "$d"); done
  if printf '%s\n' "${CUDA_INC[@]}" | while read -r d; do [ -f "$d/cuda_runtime_api.h" ] && exit 1; done; then
    echo "warning: no cuda_runtime_api.h found (pass --cuda-include DIR); building without USE_CUDA: tensors still run" \
         "on CUDA, only torchCudaEmptyCache and TorchScript's separate stream become no-ops" >&2
  else
    CUDA_DEFS=(-DUSE_CUDA "${FOUND[@]}")
  fi
  CUDA_LIBS=(-ltorch_cuda -lc10_cuda)
fi

# 5. compile and link (the flags of DJL's CMake build: torch's include folders, -fPIC, the libtorch's C++ ABI)
CXXFLAGS=(-O2 -fPIC -std=c++20 -D_GLIBCXX_USE_CXX11_ABI="$ABI" -w
          -I"$NATIVE" -I"$DJL_SRC/api/src/main/native" -I"$HDR" -I"$JDK/include" -I"$JDK/include/linux"
          -isystem "$TORCH_DIR/include" -isystem "$TORCH_DIR/include/torch/csrc/api/include")
mkdir -p "$BUILD/obj"
START=$(date +%s)
export BUILD NATIVE
compile() {  # $1: source file; the rest: flags
  local src="$1"; shift
  local flags=("$@")
  local obj="$BUILD/obj/$(basename "${src%.cc}").o"
  if [ ${#CUDA_DEFS[@]} -gt 0 ] && grep -q USE_CUDA "$src"; then
    g++ "${flags[@]}" "${CUDA_DEFS[@]}" -c "$src" -o "$obj" 2> "$obj.err" && return 0
    echo "warning: $(basename "$src") does not compile with CUDA's headers found ($(grep -m1 error "$obj.err"));" \
         "built without USE_CUDA (only torchCudaEmptyCache and TorchScript's separate stream become no-ops)" >&2
  fi
  g++ "${flags[@]}" -c "$src" -o "$obj"
}
PIDS=()
FAIL=0
for src in "$NATIVE"/*.cc; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || FAIL=1; done
  compile "$src" "${CXXFLAGS[@]}" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || FAIL=1; done
[ "$FAIL" = 0 ] || die "compiling DJL's glue against libtorch $TORCH_VERSION failed (messages above)"
mkdir -p "$INSTALL_DIR"
g++ -shared -o "$BUILD/libdjl_torch.so" "$BUILD"/obj/*.o -L"$TORCH_LIB" -Wl,-rpath,"$TORCH_LIB" -Wl,--no-as-needed \
    -ltorch -ltorch_cpu -lc10 "${CUDA_LIBS[@]}"
cp "$BUILD/libdjl_torch.so" "$INSTALL_DIR/$DJL_VERSION-libdjl_torch.so"
echo "built libdjl_torch.so for libtorch $TORCH_VERSION $FLAVOR in $(( $(date +%s) - START )) s ($JOBS jobs):" \
     "$INSTALL_DIR/$DJL_VERSION-libdjl_torch.so" >&2
echo "$STAMP" > "$OUT/stamp"
fi

# 6. libcudart.so for DJL's GPU count (JNA loads "cudart"; wheels ship only libcudart.so.NN)
if [ "$FLAVOR" != cpu ]; then
  CUDART=
  for d in "$TORCH_LIB" ${SITE:+"$SITE/nvidia"} ${CUDA_HOME:+"$CUDA_HOME/lib64"} /usr/local/cuda/lib64; do
    [ -d "$d" ] || continue
    CUDART="$(find -L "$d" -name 'libcudart.so*' 2>/dev/null | sort | tail -1)"
    [ -n "$CUDART" ] && break
  done
  if [ -n "$CUDART" ]; then ln -sf "$CUDART" "$OUT/lib/libcudart.so"; echo "libcudart.so -> $CUDART" >&2
  else echo "warning: no libcudart.so* found; DJL will count no GPU unless the system has one on its library path" >&2; fi
fi

# 7. the environment
EXCL=libjitbackend_test.so,libtorchbind_test.so,libbackend_with_compiler.so,libaoti_custom_ops.so
cat > "$OUT/env.sh" <<EOF
# LangNeurons on libtorch $TORCH_VERSION ($FLAVOR) with DJL $DJL_VERSION's glue rebuilt by env/gpu-setup.sh
export PYTORCH_LIBRARY_PATH="$TORCH_LIB"
export PYTORCH_VERSION="$TORCH_VERSION"
export PYTORCH_FLAVOR="$FLAVOR"
export PYTORCH_LIBRARY_EXCLUSION="$EXCL"
export ENGINE_CACHE_DIR="$OUT"
export LD_LIBRARY_PATH="$OUT/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
EOF
echo "$OUT/env.sh" >&2
if [ -n "$KERNEL" ]; then
  DIR="$(bash env/install-kernel.sh "$KERNEL" "$REPO/lib/target/langneurons.jar" ${KERNELS_DIR:+"$KERNELS_DIR"})"
  python3 - "$DIR/kernel.json" "$OUT/env.sh" <<'PY'
import json, os, re, sys
path, envfile = sys.argv[1:]
spec = json.load(open(path))
for line in open(envfile):
    m = re.match(r'export (\w+)="(.*)"$', line.strip())
    if m:
        spec["env"][m.group(1)] = m.group(2).replace("${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}", "")
json.dump(spec, open(path, "w"), indent=2)
PY
  echo "kernel spec $DIR/kernel.json has this environment" >&2
fi
cat "$OUT/env.sh"
