-- wrk script for benches/load/keten.py: one request shape per run, from the environment.
--   TOKEN       bearer token (required)
--   METHOD      GET (default) or POST
--   BODY_FILE   a JSON body sent with every request (POST)
-- The path is the one on wrk's command line. At the end one machine-readable line:
--   RESULT requests=N duration_us=N p50_us=N p99_us=N errors=N non2xx=N
-- (latency from wrk's own histogram, microseconds; errors = connect+read+write+timeout).
local token = os.getenv("TOKEN")
wrk.method = os.getenv("METHOD") or "GET"
wrk.headers["Authorization"] = "Bearer " .. token
local body_file = os.getenv("BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "r"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
