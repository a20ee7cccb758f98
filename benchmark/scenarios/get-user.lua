-- GET /scim/v2/Users/{id}: a random existing user per request.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local ids
function bench_init(args) ids = bench.lines("users.txt") end

function request()
  return wrk.format("GET", "/scim/v2/Users/" .. ids[math.random(#ids)])
end

function check(status, body)
  return status == 200 and string.find(body, '"userName":"user', 1, true) ~= nil
end
