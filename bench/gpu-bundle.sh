#!/usr/bin/env bash
# Makes the folder bench/gpu-check.sh takes to a bare GPU machine (only Python with PyTorch there): a jlink'd Java
# runtime, the jar without its CPU natives, the two check classes, DJL's glue sources at the pinned tag with the
# `javac -h` header (the GPU machine has no javac), the parity fixtures and Llama 3's tokenizer.json. Under 60 MiB.
#
#   bash bench/gpu-bundle.sh --djl-src DIR --tokenizer FILE [--shared ../shared] [--out .gpucheck]
#
# --djl-src: DJL's source tree at tag v0.35.1 (see env/gpu-setup.sh; only the glue's sources are copied);
# --tokenizer: Llama 3's tokenizer.json (vocabulary 128,256), for the statistics pass on the Llama-3.1-8B shape;
# --shared: the folder with fixtures/parity (the project's shared fixtures). Build the jar first (mvn package).
# Writes OUT/ (a folder) and OUT.tar.xz (the same as one file, what travels: pass it as `carry` to the device tool, then
# bash bench/gpu-check.sh --bundle .gpucheck.tar.xz). Both are ignored by git.
set -euo pipefail
cd "$(dirname "$0")/.."
DJL_SRC= TOKENIZER= SHARED=../shared OUTB=.gpucheck
while [ $# -gt 0 ]; do
  case "$1" in
    --djl-src) DJL_SRC="$2"; shift 2 ;;
    --tokenizer) TOKENIZER="$2"; shift 2 ;;
    --shared) SHARED="$2"; shift 2 ;;
    --out) OUTB="$2"; shift 2 ;;
    *) echo "error: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "$DJL_SRC/engines/pytorch/pytorch-native/src/main/native" ] || { echo "error: --djl-src DIR (DJL v0.35.1)" >&2; exit 2; }
[ -f "$TOKENIZER" ] || { echo "error: --tokenizer FILE (Llama 3's tokenizer.json)" >&2; exit 2; }
[ -f lib/target/langneurons.jar ] || { echo "error: build the jar first: mvn -B -o -q -DskipTests package" >&2; exit 2; }
rm -rf "$OUTB"; mkdir -p "$OUTB"/{classes,tokenizer,fixtures,djl/include}

# the jar without libtorch (the GPU machine's is used), without DJL's prebuilt glue, and without other platforms' natives
cp lib/target/langneurons.jar "$OUTB/langneurons.jar"
zip -q -d "$OUTB/langneurons.jar" 'pytorch/*' 'jnilib/*/*' 'native/lib/linux-aarch64/*' 'native/lib/win-*' \
    'native/lib/osx-*' 'com/sun/jna/aix-*' 'com/sun/jna/win32-*' 'com/sun/jna/darwin-*' 'com/sun/jna/sunos-*' \
    'com/sun/jna/freebsd-*' 'com/sun/jna/openbsd-*' 'com/sun/jna/linux-[a-w]*' >/dev/null || true

# the runtime: the modules the jar needs (jdeps' answer plus what DJL, JNA and picocli load reflectively)
MODS="java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.zipfs,jdk.crypto.ec"
STRIP=(--strip-debug --no-man-pages)
command -v objcopy >/dev/null && STRIP+=(--strip-native-debug-symbols "objcopy=$(command -v objcopy)")
jlink --add-modules "$MODS" "${STRIP[@]}" --output "$OUTB/jre"
[ -f "$OUTB/jre/include/jni.h" ] || cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")/include" "$OUTB/jre/"

# the check's own classes, compiled here
javac -d "$OUTB/classes" -cp lib/target/langneurons.jar bench/GpuParity.java bench/Bf16Probe.java

# DJL's glue sources (not this repository's; they travel only in the bundle) and PyTorchLibrary's JNI header
N=engines/pytorch/pytorch-native/src/main/native
mkdir -p "$OUTB/djl/$N" "$OUTB/djl/api/src/main/native/djl" \
    "$OUTB/djl/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni"
cp "$DJL_SRC/$N"/* "$OUTB/djl/$N/"
cp "$DJL_SRC/api/src/main/native/djl/utils.h" "$OUTB/djl/api/src/main/native/djl/"
P=engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java
cp "$DJL_SRC/$P" "$OUTB/djl/$P"
javac -h "$OUTB/djl/include" -d "$OUTB/djl/classes" "$DJL_SRC/$P" && rm -rf "$OUTB/djl/classes"

cp "$TOKENIZER" "$OUTB/tokenizer/tokenizer.json"
for d in "$SHARED"/fixtures/parity/*/ lib/src/test/resources/fixtures/*/; do
  [ -f "$d/reference.json" ] && cp -r "${d%/}" "$OUTB/fixtures/"
done

# one file to carry: the jar's entries stored (a deflated jar does not shrink further; stored classes do under xz),
# the folder as tar.xz. bench/gpu-check.sh --bundle FILE.tar.xz unpacks it.
rm -rf "$OUTB/x"; mkdir "$OUTB/x"
(cd "$OUTB/x" && unzip -q ../langneurons.jar && rm ../langneurons.jar && zip -q -0 -X ../langneurons.jar META-INF/MANIFEST.MF \
  && zip -q -0 -X -r ../langneurons.jar . -x META-INF/MANIFEST.MF)
rm -rf "$OUTB/x"
tar -C "$OUTB" -cf - . | xz -T0 -6 > "$OUTB.tar.xz"
du -sh "$OUTB"/* | sort -h
ls -la "$OUTB.tar.xz"
