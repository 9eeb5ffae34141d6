-- wrk script: walk a file of request paths (one per line) without repeating any.
-- Thread i of n takes lines i, i+n, i+2n, ...; when its share runs out it stops (and counts
-- the few requests already queued as repeats). At the end one line "BENCH_JSON {...}" holds
-- the figures search_bench.py reads (requests, non-2xx, body bytes, wrk's percentiles) and
-- one line "BENCH_HIST value:count,..." with every latency in microseconds, so that rounds
-- can be merged into exact percentiles.
--   BENCH_PATHS=file BENCH_THREADS=n wrk -t n -c 4 -d 60s -s walk_queries.lua http://host:port

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Accept-Encoding"] = "gzip, deflate"  -- as every browser sends
  local n = tonumber(os.getenv("BENCH_THREADS"))
  paths = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if i % n == id then table.insert(paths, line) end
    i = i + 1
  end
  position = 0
  responses = 0
  non2xx = 0
  body_bytes = 0
  repeats = 0
end

function request()
  position = position + 1
  if position > #paths then
    repeats = repeats + 1
    wrk.thread:stop()
    return wrk.format("GET", paths[(position - 1) % #paths + 1])
  end
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if body then body_bytes = body_bytes + #body end
end

function done(summary, latency, requests)
  local total = {responses = 0, non2xx = 0, body_bytes = 0, repeats = 0, paths = 0}
  for _, t in ipairs(threads) do
    total.responses = total.responses + t:get("responses")
    total.non2xx = total.non2xx + t:get("non2xx")
    total.body_bytes = total.body_bytes + t:get("body_bytes")
    total.repeats = total.repeats + t:get("repeats")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "responses": %d, "non2xx": %d, ' ..
    '"body_bytes": %d, "repeats": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, total.responses, total.non2xx, total.body_bytes,
    total.repeats, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, e.connect + e.read + e.write, e.timeout))
  local hist = {}
  for i = 1, #latency do
    local value, count = latency(i)
    if count and count > 0 then table.insert(hist, value .. ":" .. count) end
  end
  io.write("BENCH_HIST " .. table.concat(hist, ",") .. "\n")
end
