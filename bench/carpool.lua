-- GET the carpool search with each generated passenger's query in turn (BENCH_CARPOOL_QUERIES: one
-- query string a line, written by `maillage carpool-benchmark --seed-only`); each wrk thread
-- starts at a different line, so that the connections do not ask the same thing at once.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  queries = {}
  for line in io.lines(os.getenv("BENCH_CARPOOL_QUERIES")) do
    if line ~= "" then queries[#queries + 1] = line end
  end
  n = ((tid or 0) * 7919) % #queries
end

function request()
  n = n % #queries + 1
  return wrk.format("GET", wrk.path .. "?" .. queries[n])
end
