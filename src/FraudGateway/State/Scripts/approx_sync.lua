-- Approximate counting (Counters/ApproximateCounting.cs): one instance's increments of sliding windows since its last
-- sync, added, and the windows' global counts read back, for many keys in one call. The windows are the same hashes
-- counters.lua keeps (field = window index, value = attempts), so exact and approximate policies could even share one.
--
-- KEYS: the windows' state keys
-- ARGV: per key four values: window ms, current window index, increments for the previous window, increments for
--       the current window
-- Returns per key: { count in the current window, count in the previous window }

-- include window_prelude

local result = {}
for i = 1, #KEYS do
  local a = (i - 1) * 4
  local window = tonumber(ARGV[a + 1])
  local index = tonumber(ARGV[a + 2])
  local previousDelta = tonumber(ARGV[a + 3])
  local currentDelta = tonumber(ARGV[a + 4])
  local key = KEYS[i]
  if previousDelta > 0 then
    redis.call('HINCRBY', key, index - 1, previousDelta)
  end
  local current, previous
  if currentDelta > 0 then
    current = redis.call('HINCRBY', key, index, currentDelta)
    previous = tonumber(redis.call('HGET', key, index - 1) or 0)
    if current == currentDelta then
      -- First increments of a new window, as counters.lua does.
      start(key, index, window)
    end
  else
    local counts = redis.call('HMGET', key, index, index - 1)
    current = tonumber(counts[1] or 0)
    previous = tonumber(counts[2] or 0)
    if previousDelta > 0 and previous == previousDelta then
      -- Only the previous window was written, and it is new to Redis: its expiry is set here.
      redis.call('PEXPIRE', key, window * 2)
    end
  end
  result[#result + 1] = current
  result[#result + 1] = previous
end
return result
