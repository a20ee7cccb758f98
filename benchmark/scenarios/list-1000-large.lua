-- GET /scim/v2/Users?filter=userName sw "large"&count=1000: pages of 1,000 users of ~30 KB (LARGE_USERS, loaded when
-- this scenario runs), ~30 MB of JSON each, 16 at once by default. What it shows is whether big pages stream: every
-- page answered (no 503 or 500 under memory pressure) and the RSS after it, on the benchmark's small heap.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function request()
  return wrk.format("GET", "/scim/v2/Users?filter=userName%20sw%20%22large%22&count=1000")
end

function check(status, body)
  return status == 200 and string.find(body, '"itemsPerPage":', 1, true) ~= nil
end
