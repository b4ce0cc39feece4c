#!/usr/bin/env bash
# Installs everything the notebooks, the main command and the tests need on a fresh machine (Debian 12 with Java 17,
# Maven and npm, or with apt to install them), and is a no-op for whatever is already there:
#   - Jupyter from Debian packages, and Chromium (the rendering test opens the exported notebooks in it);
#   - jemalloc (libjemalloc2), which the kernel, the tests and the scripts preload (env/allocator.sh says why);
#   - the Java kernel io.github.padreati:rapaio-jupyter-kernel:3.0.1 from Maven Central;
#   - the library's runnable jar (lib/target/langneurons.jar, which holds its dependencies);
#   - the kernel spec "langneurons" (env/install-kernel.sh), whose class path is that jar: notebooks need no magics;
#   - plotly.js-dist-min 2.35.3 from npm into the cache (figures embed it, never a CDN);
#   - the real tokenizer.json files TokenizerParityTest checks against (env/test-tokenizers.sh).
#
#   bash env/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
# A machine may have Maven, Java or npm from elsewhere: their packages are needed only when the command is not there.
DEBS=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel chromium libjemalloc2)
command -v mvn >/dev/null || DEBS+=(maven)
command -v javac >/dev/null || DEBS+=(openjdk-17-jdk-headless)
command -v npm >/dev/null || DEBS+=(npm)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

# the library only: the Spark module (spark/, for spark-submit) is built on demand, with Spark downloaded then
mvn -B -q package -DskipTests -pl lib -am
bash env/install-kernel.sh >/dev/null
java -cp lib/target/langneurons.jar org.langneurons.report.Plotly >/dev/null   # plotly.js into the cache
bash env/test-tokenizers.sh >/dev/null
echo "set up: kernel spec 'langneurons' ($(jupyter --data-dir)/kernels/langneurons), lib/target/langneurons.jar" >&2
