-- POST a one-line basket to a cycle's checkout (confirmed in the same call), each request with a
-- shopper's token and a variant taken in turn from files written by `maillage food-bench-seed`:
-- BENCH_FOOD_TOKENS (one token a line), BENCH_FOOD_VARIANTS (one variant id a line), and the
-- cycle's pickup point and slot in BENCH_FOOD_POINT / BENCH_FOOD_SLOT.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  tokens, variants = {}, {}
  for line in io.lines(os.getenv("BENCH_FOOD_TOKENS")) do if #line > 0 then table.insert(tokens, line) end end
  for line in io.lines(os.getenv("BENCH_FOOD_VARIANTS")) do if #line > 0 then table.insert(variants, line) end end
  point, slot = os.getenv("BENCH_FOOD_POINT"), os.getenv("BENCH_FOOD_SLOT")
  n = (tid or 0) * 7919
end

function request()
  n = n + 1
  local token = tokens[(n % #tokens) + 1]
  local variant = variants[(n % #variants) + 1]
  local body = string.format('{"lines":[{"variantId":"%s","quantity":1}],"pickupPointId":"%s","slotId":"%s","payment":"atPickup"}', variant, point, slot)
  return wrk.format("POST", wrk.path, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
