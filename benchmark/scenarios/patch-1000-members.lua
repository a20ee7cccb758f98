-- PATCH /scim/v2/Groups/{id} add 1,000 members. The targets are the groups other than the big one (groups.txt lines
-- 2..GROUPS), round-robin; request r (numbered across threads) goes to target r mod T (T = GROUPS - 1) with users
-- [c*1000, c*1000+1000) where c = floor(r / T), so every request adds 1,000 memberships that did not exist, until
-- c*1000 reaches USERS: after (GROUPS-1) * floor(USERS/1000) requests the chunks wrap around and requests become
-- no-ops (counted as "wrapped" in the result line; enlarge GROUPS/USERS or shorten DURATION if it is not 0).
-- Numbering starts at BENCH_OFFSET, so a measured run continues after its warm-up.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local users, targets
local counter = 0
local chunks

function bench_init(args)
  users = bench.lines("users.txt")
  local groups = bench.lines("groups.txt")
  targets = {}
  for i = 2, #groups do targets[#targets + 1] = groups[i] end
  if #targets == 0 then error("needs at least 2 groups") end
  if #users < 1000 then error("needs at least 1000 users") end
  chunks = math.floor(#users / 1000)
end

function request()
  local r = bench.offset + counter * bench.threads + (tid - 1)
  counter = counter + 1
  bench_next = math.max(bench_next, r + 1)
  local target = targets[(r % #targets) + 1]
  local c = math.floor(r / #targets)
  if c >= chunks then bench_wrapped = bench_wrapped + 1 end
  local from = (c % chunks) * 1000
  local parts = {}
  for i = 1, 1000 do parts[i] = '{"value":"' .. users[from + i] .. '"}' end
  local body = '{"schemas":["' .. bench.patch_op .. '"],"Operations":[{"op":"add","path":"members","value":['
    .. table.concat(parts, ",") .. ']}]}'
  return bench.with_body("PATCH", "/scim/v2/Groups/" .. target, body)
end

function check(status, body) return status == 204 end
