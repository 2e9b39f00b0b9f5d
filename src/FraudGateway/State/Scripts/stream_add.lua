-- Appends one record to a capped stream of records (decisions, the audit trail) and keeps it by age on Redis' own
-- clock, which also stamps the entry ids: the trim never compares a gateway's clock with Redis' ids.
-- KEYS[1] the stream; ARGV[1] the record (JSON); ARGV[2] the most entries kept (approximate); ARGV[3] the lifetime, ms.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lifetime = tonumber(ARGV[3])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'd', ARGV[1])
redis.call('XTRIM', KEYS[1], 'MINID', '~', now - lifetime)
redis.call('PEXPIRE', KEYS[1], lifetime)
return 1
