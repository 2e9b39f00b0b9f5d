-- Shared by counters.lua and approx_sync.lua: LuaScripts puts it in place of their include line.
-- a sliding window is a hash, field = window index, value = attempts counted in it.
--
-- A new window's first write: drop windows older than the previous one, and set the expiry once: two windows from
-- now covers every read that still needs this window.
local function start(key, index, window)
  if redis.call('HLEN', key) > 2 then
    for _, field in ipairs(redis.call('HKEYS', key)) do
      if tonumber(field) < index - 1 then
        redis.call('HDEL', key, field)
      end
    end
  end
  redis.call('PEXPIRE', key, window * 2)
end
