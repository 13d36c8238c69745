-- For bench/outage.sh: counts answers whose status is not EXPECT_STATUS, and answers slower than 1 s
-- (SLOW_US microseconds).
local threads = {}
local expected = tonumber(os.getenv("EXPECT_STATUS") or "200")
local slow_us = tonumber(os.getenv("SLOW_US") or "1000000") -- what counts as slow, in microseconds

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
  -- #latency is the number of distinct latencies recorded; latency(i) the i-th of them (microseconds) and its count
  local slow = 0
  for i = 1, #latency do
    local us, count = latency(i)
    if us > slow_us then
      slow = slow + count
    end
  end
  io.write(string.format("  answers %d, %.0f/s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; "
      .. "slower than %.0f ms: %d; status other than %d: %d; socket errors: %d\n",
      summary.requests, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, slow_us / 1000, slow, expected, wrongs,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("RESULT slow=%d wrong=%d errors=%d\n", slow, wrongs,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
