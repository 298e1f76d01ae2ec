# Sourced by bench/run (after the lending stage): the carpool ride search over HTTP, on a
# cooperative of CARPOOL_ADS ads (100,000 by default; 2,000 with --smoke) generated over the
# territory, half of them regular, seeded by `maillage carpool-benchmark --seed-only` into the
# running server's database (DB_URL). Each request is one of the generated passengers' searches
# (bench/carpool.lua cycles over them), measured beside /healthz in the same run; the server's
# CPU time per search is read from /proc before and after.
# Env: CARPOOL_ADS, CARPOOL_QUERIES (1000), CARPOOL=0 skips the stage.
if [[ ${CARPOOL:-1} != 0 ]]; then
  CARPOOL_ADS=${CARPOOL_ADS:-$([[ $SMOKE == 1 ]] && echo 2000 || echo 100000)}
  CARPOOL_QUERIES=${CARPOOL_QUERIES:-1000}
  echo "== seeding a carpool cooperative of $CARPOOL_ADS ads"
  DATABASE_URL="$DB_URL" JOBS=off "$BIN" carpool-benchmark --ads "$CARPOOL_ADS" --queries "$CARPOOL_QUERIES" --seed-only --out "$WORK" \
    >"$WORK/carpool-seed.log" 2>&1 \
    || { cat "$WORK/carpool-seed.log" >&2; echo "bench/run: carpool-benchmark --seed-only failed" >&2; exit 1; }
  grep -E "^Seeded" "$WORK/carpool-seed.log"
  # shellcheck disable=SC1091
  source "$WORK/carpool.env"
  CARPOOL_SEARCH="carpool search"
  CARPOOL_PATH="/api/v1/cooperatives/$CARPOOL_SLUG/carpool/search"
  export BENCH_CARPOOL_QUERIES="$WORK/carpool-queries.txt"
  first=$(head -n 1 "$BENCH_CARPOOL_QUERIES")
  curl -fsS "$BASE$CARPOOL_PATH?$first" >/dev/null || { echo "bench/run: the carpool search did not answer" >&2; exit 1; }
  # Results over every query, so that a search that finds nothing anywhere fails the stage.
  hits=$(python3 - "$BASE$CARPOOL_PATH" "$BENCH_CARPOOL_QUERIES" <<'PY'
import json, sys, urllib.request
base, path = sys.argv[1], sys.argv[2]
lines = [l.strip() for l in open(path) if l.strip()][:50]
print(sum(len(json.load(urllib.request.urlopen(base + "?" + q))["data"]) for q in lines))
PY
) || { echo "bench/run: the carpool search did not answer" >&2; exit 1; }
  echo "   $CARPOOL_PATH answers $hits rides over its first 50 searches"
  (( hits > 0 )) || { echo "bench/run: the carpool search found nothing" >&2; exit 1; }
  NAMES+=("$CARPOOL_SEARCH")
fi

# The server's CPU seconds so far (utime + stime of /proc/<pid>/stat), for CPU per request.
server_cpu_seconds() { # every serve process together
  local pid
  for pid in "${SERVER_PIDS[@]}"; do cat "/proc/$pid/stat"; done \
    | awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); s += $12 + $13 } END { print s / hz }'
}

# Called by bench/run's loop for the stage: warm-up, then the measured run with the CPU it took.
carpool_stage() { # index total
  local before after
  echo "[$1/$2] $CARPOOL_SEARCH ($CARPOOL_ADS ads, $(wc -l <"$BENCH_CARPOOL_QUERIES") searches in turn) … ($DURATION, $CONNECTIONS connections, $THREADS threads)"
  if [[ $WARMUP != 0 ]]; then
    BENCH_DIR="$BENCH_DIR" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" --timeout 10s -s "$BENCH_DIR/carpool.lua" "$BASE$CARPOOL_PATH" >/dev/null 2>&1 || true
  fi
  before=$(server_cpu_seconds)
  NO_WARMUP=1 run_wrk "$CARPOOL_SEARCH" carpool.lua "$CARPOOL_PATH" 10s "$CONNECTIONS" "$THREADS"
  after=$(server_cpu_seconds)
  CARPOOL_CPU_MS=$(awk -v a="$before" -v b="$after" -v n="${REQS[$CARPOOL_SEARCH]}" 'BEGIN { printf "%.2f", (n > 0 ? (b - a) * 1000 / n : 0) }')
  echo "      server CPU: $CARPOOL_CPU_MS ms per search"
}
