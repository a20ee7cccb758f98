-- POST /scim/v2/Bulk with 1,000 user creates: the post-user body, 1,000 times, each with its own bulkId and a new,
-- unique userName (run id, thread, request counter, operation number). Compare its users/s (req/s x 1,000) and CPU per
-- user with post-user's: issue 13 asks a Bulk of 1,000 creates to be at least as fast per user as 1,000 single POSTs.
-- A Bulk request answers 200 whatever its operations did, so every answer is checked here (not only with
-- BENCH_VERIFY=1): an answer without 1,000 "201" statuses counts as bad (the request rate is a few per second, so the
-- check costs nothing that matters).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local operations = tonumber(os.getenv("BENCH_BULK_OPERATIONS") or "1000")
local counter = 0
local run

function bench_init(args) run = string.format("%x%04x", os.time(), math.random(0, 65535)) end

function request()
  counter = counter + 1
  local parts = {}
  for i = 1, operations do
    local name = "bulk-" .. run .. "-" .. tid .. "-" .. counter .. "-" .. i
    parts[i] = '{"method":"POST","path":"/Users","bulkId":"u' .. i .. '","data":'
      .. '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],'
      .. '"userName":"' .. name .. '@bench.example","externalId":"' .. name .. '",'
      .. '"name":{"givenName":"Bulk","familyName":"' .. name .. '"},'
      .. '"emails":[{"value":"' .. name .. '@bench.example","type":"work","primary":true}],"active":true}}'
  end
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":['
    .. table.concat(parts, ",") .. ']}'
  return bench.with_body("POST", "/scim/v2/Bulk", body)
end

function check(status, body)
  if status ~= 200 or not body then return false end
  local _, created = string.gsub(body, '"status":"201"', "")
  return created == operations
end

-- always on (see above); common.lua defines the same hook only when BENCH_VERIFY=1
function response(status, headers, body)
  bench_checked = bench_checked + 1
  if not check(status, body) then
    bench_bad = bench_bad + 1
    if not bench_sample then bench_sample = tostring(status) .. " " .. string.sub(body or "", 1, 300) end
  end
end
