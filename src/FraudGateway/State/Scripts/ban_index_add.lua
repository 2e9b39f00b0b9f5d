-- Adds a ban to the index of live bans and keeps the index itself expiring with its last ban.
-- KEYS[1] index (sorted set: member = subject token, score = expiry in unix ms)
-- ARGV[1] subject token, ARGV[2] expiry (unix ms), ARGV[3] now (unix ms, the gateway's clock)
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then
  -- Relative to the gateway's now: scores are on the gateway's clock, an absolute PEXPIREAT would be read on Redis'.
  redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - tonumber(ARGV[3])))
end
return redis.call('ZCARD', KEYS[1])
