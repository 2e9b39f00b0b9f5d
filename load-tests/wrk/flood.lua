-- A credential-stuffing flood: python-requests from 16 addresses, a new account on every request, on the benchmark's
-- "flood" policy (X-Bench-Policy: flood, one login a minute per address): after each address's first request
-- everything is refused, most of it from the over-limit cache. Measures what refusing costs.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Bench-Policy"] = "flood"
wrk.headers["User-Agent"] = "python-requests/2.32.3"
wrk.headers["Accept"] = "*/*"

local requests = {}
local index = 0
request = function()
  if #requests == 0 then
    for i = 0, 1023 do
      local headers = {}
      for name, value in pairs(wrk.headers) do
        headers[name] = value
      end
      headers["X-Forwarded-For"] = string.format("45.10.%d.%d", 20 + i % 16, 30 + i % 16)
      requests[i + 1] = wrk.format(nil, nil, headers, string.format('{"username":"victim%d@example.org","password":"Summer2024!"}', i))
    end
  end
  index = index % #requests + 1
  return requests[index]
end
