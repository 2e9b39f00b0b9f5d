-- POST /api/auth/login at a paced rate: each connection waits 10 ms after every answer, so 20 connections
-- offer at most ~2,000 requests/s. wrk has no open-loop mode; this keeps the proxies below saturation so the
-- latencies are the cost of one request, not queueing.
wrk.method = "POST"
wrk.body = '{"username":"alice","password":"correct-horse-battery"}'
wrk.headers["Content-Type"] = "application/json"

function delay()
  return 10
end
