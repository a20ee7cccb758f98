-- PATCH /scim/v2/Users/{id} replace active=false (as Okta/Entra deactivate): a random existing user per request.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local ids
local body = '{"schemas":["' .. bench.patch_op .. '"],"Operations":[{"op":"replace","value":{"active":false}}]}'

function bench_init(args) ids = bench.lines("users.txt") end

function request()
  return bench.with_body("PATCH", "/scim/v2/Users/" .. ids[math.random(#ids)], body)
end

function check(status, body)
  return status == 200 and string.find(body, '"active":false', 1, true) ~= nil
end
