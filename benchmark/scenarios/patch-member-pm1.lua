-- PATCH /scim/v2/Groups/{big group}: add one member, then remove it again, alternately. The members come from the
-- spare users (spare.txt), who are in no group; thread t uses spare users t, t+T, t+2T... (T = BENCH_THREADS), so
-- threads never touch each other's members. Every request changes exactly one membership of the big group.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local own = {}
local big
local counter = 0

function bench_init(args)
  big = bench.lines("groups.txt")[1]
  local spare = bench.lines("spare.txt")
  for i = tid, #spare, bench.threads do own[#own + 1] = spare[i] end
  if #own == 0 then error("no spare users for thread " .. tid) end
end

function request()
  local pair = math.floor(counter / 2)
  local id = own[(pair % #own) + 1]
  local body
  if counter % 2 == 0 then
    body = '{"schemas":["' .. bench.patch_op .. '"],"Operations":[{"op":"add","path":"members","value":[{"value":"'
      .. id .. '"}]}]}'
  else
    body = '{"schemas":["' .. bench.patch_op .. '"],"Operations":[{"op":"remove","path":"members[value eq \\"'
      .. id .. '\\"]"}]}'
  end
  counter = counter + 1
  return bench.with_body("PATCH", "/scim/v2/Groups/" .. big, body)
end

function check(status, body) return status == 204 end
