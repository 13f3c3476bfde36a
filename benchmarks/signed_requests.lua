-- wrk script: POST pre-signed SOAP envelopes, one per line of a file, never one twice.
-- A TokenPassport nonce is single-use, so each request needs its own signed envelope; the
-- file holds distinct ones and each wrk thread takes every n-th line.
--   wrk -t2 -c8 -d5s -s signed_requests.lua URL -- ENVELOPE_FILE THREADS
-- done() prints one JSON line (requests, duration, non-2xx, errors, latency percentiles, and
-- how many envelopes a thread had to reuse: must be 0 for the mock's figures to count).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- each thread runs in its own Lua state: the thread count comes as an argument
  local nthreads = tonumber(args[2]) or 1
  bodies = {}
  local n = 0
  for line in io.lines(args[1]) do
    if n % nthreads == (id or 0) then
      bodies[#bodies + 1] = line
    end
    n = n + 1
  end
  position = 0
  reused = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
  wrk.headers["SOAPAction"] = "get"
end

function request()
  position = position + 1
  if position > #bodies then
    position = 1
    reused = reused + 1
  end
  return wrk.format(nil, nil, nil, bodies[position])
end

function done(summary, latency, requests)
  local reuses = 0
  for _, thread in ipairs(threads) do
    reuses = reuses + (thread:get("reused") or 0)
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, ' ..
    '"latency_p50_us": %d, "latency_p90_us": %d, "latency_p99_us": %d, ' ..
    '"latency_mean_us": %.1f, "wrapped": %d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    reuses))
end
