-- Shared by every scenario (loaded with dofile from the scenario's own folder). Environment, set by run.sh:
--   BENCH_TOKEN    SCIM Client bearer token
--   BENCH_DATA     folder with users.txt, spare.txt, groups.txt written by Loader.java (one id per line)
--   USERS          how many user<N>@bench.example exist (N = 1..USERS)
--   BENCH_THREADS  wrk's -t, so that threads can split id pools between them (default 2)
--   BENCH_VERIFY   1: check every response (status and, for searches, the body); slower, for small runs
--   BENCH_OFFSET   where a scenario that numbers its requests (patch-1000-members) starts, so that the measured run
--                  continues after its warm-up instead of repeating it (run.sh passes the previous run's "next")
-- Each scenario defines request() and, optionally, check(status, body) used when BENCH_VERIFY=1.
-- done() prints one machine-readable line starting with BENCH_RESULT that run.sh parses.

bench = {}
bench.token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
bench.data = os.getenv("BENCH_DATA") or error("BENCH_DATA is not set")
bench.users = tonumber(os.getenv("USERS") or "100000")
bench.threads = tonumber(os.getenv("BENCH_THREADS") or "2")
bench.verify = os.getenv("BENCH_VERIFY") == "1"
bench.offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
bench.patch_op = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

wrk.headers["Authorization"] = "Bearer " .. bench.token
wrk.headers["Accept"] = "application/scim+json"

-- Lines of a file in BENCH_DATA, as a Lua array.
function bench.lines(name)
  local path = bench.data .. "/" .. name
  local file = io.open(path, "r")
  if not file then error("cannot read " .. path) end
  local lines = {}
  for line in file:lines() do
    if #line > 0 then lines[#lines + 1] = line end
  end
  file:close()
  if #lines == 0 then error(path .. " is empty") end
  return lines
end

-- A request with a SCIM JSON body (wrk.headers plus Content-Type).
function bench.with_body(method, path, body)
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/scim+json"
  return wrk.format(method, path, headers, body)
end

-- Thread bookkeeping: ids 1..n, and the list the main state keeps for done().
local threads = {}
local next_id = 1
function setup(thread)
  thread:set("tid", next_id)
  thread:set("bench_bad", 0)
  thread:set("bench_checked", 0)
  thread:set("bench_wrapped", 0)
  thread:set("bench_next", 0)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

-- Per-thread start: a distinct random sequence per thread, then the scenario's own init (bench_init).
function init(args)
  tid = tid or 1
  math.randomseed(os.time() * 1000 + tid * 7919 + math.floor((os.clock() * 1e6) % 100000))
  bench_bad, bench_checked, bench_wrapped, bench_next = 0, 0, 0, 0
  if bench_init then bench_init(args) end
end

if bench.verify then
  function response(status, headers, body)
    bench_checked = bench_checked + 1
    local ok
    if check then ok = check(status, body) else ok = status >= 200 and status < 300 end
    if not ok then
      bench_bad = bench_bad + 1
      if not bench_sample then bench_sample = tostring(status) .. " " .. string.sub(body or "", 1, 300) end
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local bad, checked, wrapped, nxt, sample = 0, 0, 0, 0, nil
  for _, t in ipairs(threads) do
    bad = bad + (tonumber(t:get("bench_bad")) or 0)
    checked = checked + (tonumber(t:get("bench_checked")) or 0)
    wrapped = wrapped + (tonumber(t:get("bench_wrapped")) or 0)
    nxt = math.max(nxt, tonumber(t:get("bench_next")) or 0)
    sample = sample or t:get("bench_sample")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d "
      .. "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d checked=%d bad=%d wrapped=%d next=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, checked, bad, wrapped, nxt))
  if sample then io.write("BENCH_BAD_SAMPLE " .. string.gsub(sample, "\n", " ") .. "\n") end
end
