-- Plain GET of the URL given to wrk, reported by report.lua.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
