-- wrk script: the same briefing (by BSN, env BSN) through the API (env DOEL=api, with
-- env TOKEN) or through the werkplek's page (DOEL=werkplek, with env COOKIE and CSRF).
local doel = os.getenv("DOEL") or "api"
local bsn = os.getenv("BSN")
wrk.method = "POST"
if doel == "api" then
  wrk.path = "/api/v1/briefings/_zoek"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.body = '{"bsn":"' .. bsn .. '"}'
else
  wrk.path = "/werkplek/briefing"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = os.getenv("COOKIE")
  wrk.body = "_csrf=" .. os.getenv("CSRF") .. "&bsn=" .. bsn
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT %s req=%d errors=%d non2xx=%d rps=%.1f p50=%.1f p95=%.1f p99=%.1f\n",
    doel, summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
