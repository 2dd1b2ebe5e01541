#!/usr/bin/env bash
# The GPU check: on this machine's accelerator (or its CPU when it has none), run every chapter
# under nbval with the time of each, the distribution tests, the precision and XLA tests and
# the scaling benchmark, then print every failure with its message (the chapters' assertions
# and the tests' tolerances) and a summary. Exit status 1 if anything failed.
#
#   make gpu-check                                  # everything (about 15 min on 2 CPU cores)
#   GPU_CHECK_CHAPTERS="05a 04c" make gpu-check      # only the chapters whose names start so
#   GPU_CHECK_PARTS="chapters precision" make gpu-check   # only some parts
#
# Parts: chapters, distribute, precision, bench. The benchmark's report goes to
# $GPU_CHECK_OUT/bench_scaling.json (default _build/gpu-check/), never over the committed one;
# every part's full log is kept there too.
set -u
cd "$(dirname "$0")/.."

PYTHON=${VENV_PYTHON:-.venv/bin/python}
OUT=${GPU_CHECK_OUT:-_build/gpu-check}
PARTS=${GPU_CHECK_PARTS:-chapters distribute precision bench}
CHAPTERS=${GPU_CHECK_CHAPTERS:-}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-3}
mkdir -p "$OUT"
: > "$OUT/failures.txt"
: > "$OUT/times.txt"

wants() { [[ " $PARTS " == *" $1 "* ]]; }

echo "== device"
"$PYTHON" - 2> "$OUT/device.log" <<'EOF' | tee "$OUT/device.txt"
import tensorflow as tf

gpus = tf.config.list_physical_devices("GPU")
if gpus:
    names = [tf.config.experimental.get_device_details(g).get("device_name", g.name)
             for g in gpus]
    print(f"GPU: {len(gpus)} device(s): {', '.join(names)}")
else:
    print("CPU only: no GPU visible to TensorFlow; everything below runs on the CPU")
print(f"TensorFlow {tf.__version__}, built with CUDA: {tf.test.is_built_with_cuda()}")
EOF

# Run pytest; on failure, keep each failed test's one-line reason for the final list.
run_pytest() {  # name, log file, pytest arguments...
    local name=$1 log=$2
    shift 2
    local start=$SECONDS
    "$PYTHON" -m pytest -p no:cov -q -rf --tb=line "$@" > "$log" 2>&1
    local status=$?
    local took=$((SECONDS - start))
    printf '%-40s %5d s  %s\n' "$name" "$took" "$([ $status -eq 0 ] && echo ok || echo FAILED)" \
        | tee -a "$OUT/times.txt"
    if [ $status -ne 0 ]; then
        { echo "-- $name (log: $log)"
          grep -E '^(FAILED|ERROR)|^E +|Error:|assert' "$log" | head -40; } >> "$OUT/failures.txt"
    fi
    return $status
}

if wants chapters; then
    echo "== chapters (nbval)"
    for notebook in book/*.ipynb; do
        base=$(basename "$notebook" .ipynb)
        if [ -n "$CHAPTERS" ]; then
            keep=0
            for prefix in $CHAPTERS; do [[ $base == "$prefix"* ]] && keep=1; done
            [ $keep -eq 1 ] || continue
        fi
        run_pytest "chapter $base" "$OUT/chapter-$base.log" --nbval-lax \
            --nbval-current-env "$notebook"
    done
fi

if wants distribute; then
    echo "== distribution tests (tests/distribute)"
    run_pytest "distribute" "$OUT/distribute.log" -p no:nbval -m scale tests/distribute
fi

if wants precision; then
    echo "== precision and XLA tests (tests/precision)"
    run_pytest "precision" "$OUT/precision.log" -p no:nbval -m scale tests/precision
fi

if wants bench; then
    echo "== scaling benchmark"
    start=$SECONDS
    if "$PYTHON" benchmarks/bench_scaling.py --out "$OUT/bench_scaling.json" \
            > "$OUT/bench.log" 2>&1; then
        status=ok
    else
        status=FAILED
        { echo "-- bench (log: $OUT/bench.log)"; tail -20 "$OUT/bench.log"; } >> "$OUT/failures.txt"
    fi
    printf '%-40s %5d s  %s\n' "bench_scaling" "$((SECONDS - start))" "$status" \
        | tee -a "$OUT/times.txt"
    sed -n '/^| model/,/^Total/p' "$OUT/bench.log"
    if grep -q ': False$' "$OUT/bench.log"; then  # a target of the benchmark not met
        { echo "-- bench targets"; grep ': False$' "$OUT/bench.log"; } >> "$OUT/failures.txt"
    fi
fi

echo "== summary ($(head -1 "$OUT/device.txt"))"
cat "$OUT/times.txt"
if [ -s "$OUT/failures.txt" ]; then
    echo "== failures"
    cat "$OUT/failures.txt"
    exit 1
fi
echo "No failures. Logs in $OUT/."
