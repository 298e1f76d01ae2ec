# Sourced by bench/run (after the food stage): the lending catalogue's search over HTTP, words +
# distance, on a cooperative of LENDING_ITEMS items (50,000 by default; 2,000 with --smoke) seeded
# by `maillage lending-bench-seed` into the running server's database (DB_URL). The measured request is
# the JSON search "perceuse within 5 km of Nantes"; its path is the name of the stage, so that the
# table of bench/run prints it beside /healthz like every other endpoint.
# Env: LENDING_ITEMS, LENDING_QUERY (q=perceuse&near=Nantes&radius=5), LENDING=0 skips the stage.
if [[ ${LENDING:-1} != 0 ]]; then
  LENDING_ITEMS=${LENDING_ITEMS:-$([[ $SMOKE == 1 ]] && echo 2000 || echo 50000)}
  LENDING_QUERY=${LENDING_QUERY:-q=perceuse&near=Nantes&radius=5}
  echo "== seeding a lending cooperative of $LENDING_ITEMS items"
  DATABASE_URL="$DB_URL" "$BIN" lending-bench-seed --items "$LENDING_ITEMS" --out "$WORK" >"$WORK/lending-seed.log" 2>&1 \
    || { cat "$WORK/lending-seed.log" >&2; echo "bench/run: lending-bench-seed failed" >&2; exit 1; }
  grep -E "^Seeded" "$WORK/lending-seed.log"
  # shellcheck disable=SC1091
  source "$WORK/lending.env"
  LENDING_SEARCH="/api/v1/cooperatives/$LENDING_SLUG/lending/items?$LENDING_QUERY"
  hits=$(curl -fsS "$BASE$LENDING_SEARCH" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"]))') \
    || { echo "bench/run: the lending search did not answer" >&2; exit 1; }
  echo "   $LENDING_SEARCH answers $hits items"
  (( hits > 0 )) || { echo "bench/run: the lending search found nothing" >&2; exit 1; }
  NAMES+=("$LENDING_SEARCH")
fi
