-- GET /scim/v2/Users?startIndex=S&count=100. S is 1 (the first page) unless BENCH_LIST_START=random, which picks a
-- random page of the USERS users (deeper pages cost more: OFFSET).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local random_page = os.getenv("BENCH_LIST_START") == "random"

function request()
  local start = 1
  if random_page and bench.users > 100 then start = math.random(bench.users - 99) end
  return wrk.format("GET", "/scim/v2/Users?startIndex=" .. start .. "&count=100")
end

function check(status, body)
  return status == 200 and string.find(body, '"itemsPerPage":100,', 1, true) ~= nil
end
