-- Adds a ban to the index of live bans and keeps the index itself expiring with its last ban.
-- KEYS[1] index (sorted set: member = subject token, score = expiry in unix ms)
-- ARGV[1] subject token, ARGV[2] expiry (unix ms), ARGV[3] now (unix ms, the gateway's clock)
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then
  redis.call('PEXPIREAT', KEYS[1], last[2])
end
return redis.call('ZCARD', KEYS[1])
