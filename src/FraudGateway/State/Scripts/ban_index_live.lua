-- Prunes expired entries from the ban index and returns the live subject tokens, soonest expiry first.
-- KEYS[1] index, ARGV[1] now (unix ms, the gateway's clock)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)
