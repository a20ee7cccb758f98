-- POST /scim/v2/Users: a new user per request; userName unique by thread, counter and a random part.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local counter = 0
local run

function bench_init(args) run = string.format("%x%04x", os.time(), math.random(0, 65535)) end

function request()
  counter = counter + 1
  local name = "post-" .. run .. "-" .. tid .. "-" .. counter
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],'
    .. '"userName":"' .. name .. '@bench.example","externalId":"' .. name .. '",'
    .. '"name":{"givenName":"Post","familyName":"' .. name .. '"},'
    .. '"emails":[{"value":"' .. name .. '@bench.example","type":"work","primary":true}],"active":true}'
  return bench.with_body("POST", "/scim/v2/Users", body)
end

function check(status, body) return status == 201 end
