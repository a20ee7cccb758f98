-- GET /scim/v2/Users?filter=emails.value eq "mail<N>@bench.example": a random existing user per request.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function request()
  local n = math.random(bench.users)
  return wrk.format("GET", "/scim/v2/Users?filter=emails.value%20eq%20%22mail" .. n .. "%40bench.example%22")
end

function check(status, body)
  return status == 200 and string.find(body, '"totalResults":1,', 1, true) ~= nil
end
