-- GET /scim/v2/Users?filter=externalId eq "ext-<N>": a random existing user per request.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function request()
  local n = math.random(bench.users)
  return wrk.format("GET", "/scim/v2/Users?filter=externalId%20eq%20%22ext-" .. n .. "%22")
end

function check(status, body)
  return status == 200 and string.find(body, '"totalResults":1,', 1, true) ~= nil
end
