-- POST /login with the demo password. A successful login renews the session (the old id is
-- deleted, against session fixation), so a cookie + CSRF token pair is good for one login only:
-- bench/login_pool.py fetches a pool of pairs beforehand (GET /login), one line each:
-- "<cookie value> <csrf token>", and each wrk thread uses its own share of the pool, each pair once.
-- Running out of pairs would show as 403s (status errors): raise LOGIN_POOL then.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS")) or 1
  local email = os.getenv("BENCH_LOGIN_EMAIL")
  local password = os.getenv("BENCH_LOGIN_PASSWORD")
  requests_list = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_LOGIN_POOL")) do
    if i % nthreads == tid then
      local cookie, token = line:match("^(%S+) (%S+)$")
      local body = "_csrf=" .. urlencode(token) .. "&email=" .. urlencode(email) .. "&password=" .. urlencode(password)
      table.insert(requests_list, wrk.format("POST", "/login", {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = "maillage_session=" .. cookie,
      }, body))
    end
    i = i + 1
  end
  next_index = 1
end

function request()
  local r = requests_list[next_index]
  if r == nil then
    -- pool exhausted: a reused pair would be refused (403) and counted as a status error
    r = requests_list[#requests_list]
  end
  next_index = next_index + 1
  return r
end
