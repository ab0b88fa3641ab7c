-- wrk script for POST /api/v1/briefings/_zoek: each request takes a random search key
-- from the generated CSV (env SLEUTELS), by BSN or by name + date of birth (env WIJZE).
local sleutels = {}
local wijze = os.getenv("WIJZE") or "bsn"
local token = os.getenv("TOKEN")

for regel in io.lines(os.getenv("SLEUTELS")) do
  local bsn, vn, an, gd = regel:match("^([^,]*),([^,]*),([^,]*),([^,]*),")
  if bsn and bsn ~= "bsn" then
    sleutels[#sleutels + 1] = { bsn = bsn, vn = vn, an = an, gd = gd }
  end
end

math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  local s = sleutels[math.random(#sleutels)]
  local body
  if wijze == "bsn" then
    body = '{"bsn":"' .. s.bsn .. '"}'
  else
    body = '{"voornamen":"' .. s.vn .. '","achternaam":"' .. s.an .. '","geboortedatum":"' .. s.gd .. '"}'
  end
  return wrk.format(nil, "/api/v1/briefings/_zoek", nil, body)
end

done = function(summary, latency, requests)
  local s = summary.duration / 1e6
  local fouten = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / s, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, fouten))
end
