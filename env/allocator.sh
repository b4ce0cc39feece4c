# Sourced by the scripts that run the library (and by users before `java -jar`): preloads jemalloc, keeping the
# memory it frees, when Debian's libjemalloc2 is installed (env/setup.sh installs it); changes nothing otherwise.
# Why: PyTorch's CPU tensors are large and short-lived. glibc gives each one fresh pages from the kernel and returns
# them on free, so every op pays a page fault per 4 KiB written; on our 2-core VMs that took a third of the CPU time
# as system time, and training the embedded default ran at 1,700 tokens/s instead of 3,400 (README, "CPU or GPU").
#
#   source env/allocator.sh && java -jar lib/target/langneurons.jar ...
for _lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2; do
  if [ -f "$_lib" ]; then
    case ":${LD_PRELOAD:-}:" in *":$_lib:"*) ;; *) export LD_PRELOAD="$_lib${LD_PRELOAD:+:$LD_PRELOAD}" ;; esac
    # Never purge freed pages: a long run's memory stays at its peak, and no op faults its buffers in again.
    export MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:-1,muzzy_decay_ms:-1}"
    break
  fi
done
unset _lib
