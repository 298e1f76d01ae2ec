-- GET a random page of a shopfront listing (BENCH_PAGES pages): most requests miss the one-second
-- listing cache, so this measures reading and rendering a page, not serving a kept one.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  pages = tonumber(os.getenv("BENCH_PAGES") or "100")
  math.randomseed(os.time() + (tid or 0) * 7919)
end

function request()
  return wrk.format("GET", wrk.path .. "?page=" .. math.random(1, pages))
end
