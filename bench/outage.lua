-- For bench/outage.sh: counts answers whose status is not EXPECT_STATUS, and answers slower than 1 s.
local threads = {}
local expected = tonumber(os.getenv("EXPECT_STATUS") or "200")

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrong = 0
end

function response(status, headers, body)
  if status ~= expected then
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local wrongs = 0
  for _, thread in ipairs(threads) do
    wrongs = wrongs + thread:get("wrong")
  end
  -- latency(i) is how many answers took i microseconds; #latency is the highest i recorded
  local slow = 0
  for us = 1000001, #latency do
    slow = slow + latency(us)
  end
  io.write(string.format("  answers %d, %.0f/s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; "
      .. "slower than 1 s: %d; status other than %d: %d; socket errors: %d\n",
      summary.requests, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, slow, expected, wrongs,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("RESULT slow=%d wrong=%d errors=%d\n", slow, wrongs,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
