-- GET /scim/v2/Users?count=100&cursor=C: RFC 9865 cursor paging. C is empty (the first page) unless BENCH_CURSOR holds
-- a cursor; run.sh takes one by walking to page CURSOR_PAGE (default 9,000, or the last page of the data set) and runs
-- the scenario twice, first page and deep page. A cursor page is a keyset range scan of users_org_created, so the deep
-- page should cost what the first does (list-100 with BENCH_LIST_START=random pays for OFFSET instead).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local cursor = os.getenv("BENCH_CURSOR") or ""

function request()
  return wrk.format("GET", "/scim/v2/Users?count=100&cursor=" .. cursor)
end

function check(status, body)
  return status == 200 and string.find(body, '"itemsPerPage":100', 1, true) ~= nil
    and string.find(body, '"nextCursor":"', 1, true) ~= nil
end
