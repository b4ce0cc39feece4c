#!/usr/bin/env bash
# The Spark statistics job in local mode on this machine (bench/SparkStats.java): tokens/s of the library alone,
# of local[1] and local[2] (one and two task slots, i.e. executors' worth of models), and the driver's merge as the
# number of partials grows. Spark comes from the spark module's (provided) dependencies.
#   bash bench/spark-stats.sh [TOKENS_PER_LANG]
set -euo pipefail
cd "$(dirname "$0")/.."
TOKENS=${1:-10000}
mvn -B -q -o compile dependency:build-classpath -pl spark -am -Dmdep.outputFile="$PWD/spark/target/bench-cp.txt"
CP="spark/target/classes:lib/target/classes:$(cat spark/target/bench-cp.txt)"
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
 --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
 --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
 --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
[ -f /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 ] && export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
J="java -Xmx6g $OPENS -Dai.djl.offline=true -Dlog4j2.level=WARN -cp $CP bench/SparkStats.java"
$J single "$TOKENS"
$J stats 'local[1]' 4 "$TOKENS"
# two task slots on 2 cores: one PyTorch thread each, or four threads would share two cores
for p in 4 16; do
  java -Dai.djl.pytorch.num_threads=1 -Xmx6g $OPENS -Dai.djl.offline=true -cp "$CP" bench/SparkStats.java \
    stats 'local[2]' "$p" "$TOKENS"
done
$J merge 4 688 64
$J merge 32 14336 8      # Llama 3.1 8B's shape
