-- POST /api/auth/login on the benchmark's rate-limits-only route (X-Bench-Policy: ratelimits), each request from one
-- of 4,096 client addresses (X-Forwarded-For; the gateway trusts 127.0.0.1 as a proxy), so per-address and
-- per-prefix windows are spread over many keys as they are in production, while the route's window is shared.
wrk.method = "POST"
wrk.body = '{"username":"alice","password":"correct-horse-battery"}'
wrk.headers["Content-Type"] = "application/json"
-- BENCH_POLICY=approx selects the same limits counted approximately (bench.sh).
wrk.headers["X-Bench-Policy"] = os.getenv("BENCH_POLICY") or "ratelimits"
wrk.headers["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36"
wrk.headers["Accept"] = "application/json, text/plain, */*"

-- Built on the first request: wrk knows the URL's path only after the script has loaded.
local requests = {}
local index = 0
request = function()
  if #requests == 0 then
    for i = 0, 4095 do
      local headers = {}
      for name, value in pairs(wrk.headers) do
        headers[name] = value
      end
      headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(i / 256) % 16, i % 256, (i * 7) % 250 + 1)
      requests[i + 1] = wrk.format(nil, nil, headers, nil)
    end
  end
  index = index % #requests + 1
  return requests[index]
end

-- Optional pacing: `wrk ... -s limits.lua URL -- 10` waits 10 ms after every answer on each connection.
local pause = 0
init = function(args)
  pause = tonumber(args[1] or "0") or 0
end
delay = function()
  return pause
end
