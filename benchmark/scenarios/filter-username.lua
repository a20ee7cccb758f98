-- GET /scim/v2/Users?filter=userName eq "user<N>@bench.example": a random existing user per request.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function request()
  local n = math.random(bench.users)
  return wrk.format("GET", "/scim/v2/Users?filter=userName%20eq%20%22user" .. n .. "%40bench.example%22")
end

function check(status, body)
  return status == 200 and string.find(body, '"totalResults":1,', 1, true) ~= nil
end
