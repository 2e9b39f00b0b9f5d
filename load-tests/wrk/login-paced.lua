-- POST /api/auth/login at a paced rate: each connection waits 10 ms after every answer, so 20 connections
-- offer at most ~2,000 requests/s. wrk has no open-loop mode; this keeps the proxies below saturation so the
-- latencies are the cost of one request, not queueing.
wrk.method = "POST"
wrk.body = '{"username":"alice","password":"correct-horse-battery"}'
wrk.headers["Content-Type"] = "application/json"

function delay()
  return 10
end
-- The headers a browser's fetch() sends: the login policy's risk model scores every request and lets these through.
wrk.headers["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36"
wrk.headers["Accept"] = "application/json, text/plain, */*"
wrk.headers["Accept-Language"] = "en-US,en;q=0.9"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["Sec-Fetch-Mode"] = "cors"
wrk.headers["Sec-Fetch-Dest"] = "empty"
