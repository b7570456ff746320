-- wrk script for `make bench`: keeps each answer's Server-Timing (Django's own time) and its
-- status, and prints them when the run ends, so p95 is server time, not the load generator's.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  timings = {}
  failures = 0
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
  local value = headers["Server-Timing"] or headers["server-timing"]
  if value then
    local ms = string.match(value, "dur=([%d%.]+)")
    if ms then
      table.insert(timings, ms)
    end
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local t = thread:get("timings")
    io.write("FAILURES " .. thread:get("failures") .. "\n")
    for _, ms in ipairs(t) do
      io.write("ST " .. ms .. "\n")
    end
  end
end
