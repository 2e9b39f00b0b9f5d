-- POST /api/auth/login with a demo user's correct password: the upstream answers 200.
wrk.method = "POST"
wrk.body = '{"username":"alice","password":"correct-horse-battery"}'
wrk.headers["Content-Type"] = "application/json"
