-- POST /api/auth/login with a demo user's correct password: the upstream answers 200.
wrk.method = "POST"
wrk.body = '{"username":"alice","password":"correct-horse-battery"}'
wrk.headers["Content-Type"] = "application/json"
-- The headers a browser's fetch() sends: the login policy's risk model scores every request and lets these through.
wrk.headers["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36"
wrk.headers["Accept"] = "application/json, text/plain, */*"
wrk.headers["Accept-Language"] = "en-US,en;q=0.9"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["Sec-Fetch-Mode"] = "cors"
wrk.headers["Sec-Fetch-Dest"] = "empty"
