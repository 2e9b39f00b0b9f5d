-- Everything some requests touch, atomically, one request after the other: per request an optional ban flag
-- and any number of rate-limit windows. The same arithmetic lives in RateLimiting/SlidingWindowAlgorithm.cs and
-- TokenBucketAlgorithm.cs (the in-memory store); the store contract tests hold both to the same answers.
--
-- The wire layout below is owned by State/CountersScript.cs (argument and reply order, algorithm and mode codes);
-- the key formats by State/StoreKeys.cs. Change them there and here together.
--
-- ARGV[1] now in unix ms, or 0 to use this Redis server's TIME (one clock for every gateway instance)
-- ARGV[2] number of requests in this call
-- ARGV[3] number of ban keys at the start of KEYS (every request's, in request order; read with one MGET)
-- ARGV[4] number of rules, then five values per rule (each once per call, whichever requests use it):
--         algorithm ('s' sliding window, 't' token bucket), limit, window ms, burst, penalty ms
--         then per request:
--         number of ban keys, number of limits, then per limit: its rule's number (from 1), its mode, and for
--         mode 'd' its member. Modes:
--         'c' count this attempt; 'k' check only (would one more be allowed? nothing written, no penalty set);
--         'f' count a failed login: as 'c', but when it starts a penalty the window is cleared, so the penalty
--             alone decides how long the key stays refused; 'r' reset (delete the window and the penalty);
--         'd' distinct: add member (an HMAC) to this window's HyperLogLog; the count is the distinct members of
--             this window and the previous one (the state key records which window each HyperLogLog holds)
-- KEYS: every request's ban keys, then per request, in the same order: per limit: state key, penalty key (only when
--       its penalty ms > 0) and, for mode 'd', two HyperLogLog keys
-- Returns { now ms, then per request: first ban value found or false, then per limit: allowed (1/0), remaining,
--           reset ms, retry-after ms }
--
-- Sliding windows are hashes (field = window index, value = attempts counted in it), token buckets a string (the
-- theoretical arrival time in us), penalties a string (their end in unix ms).
--
-- On a single Redis the gateway puts the requests that arrive together into one call, one round trip for all of
-- them, each with its own answer (CounterBatcher.cs). On Redis Cluster it calls this once per hash-tag group of one
-- request (all KEYS of a call share one slot, so one request's ban key at most), the calls pipelined together.
--
-- Every attempt counts: a sliding window counts it even when it refuses it; a token bucket takes a token
-- whenever one is there.

local now = tonumber(ARGV[1])
if now == 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local banKeys = tonumber(ARGV[3])
local banValues = {}
if banKeys > 0 then
  -- On a single Redis one MGET for the whole call; on Redis Cluster a call holds one group, so one key.
  banValues = redis.call('MGET', unpack(KEYS, 1, banKeys))
end

-- Sliding windows this call has already touched ('c', 'k'), by key: the count after this call's attempts so far, the
-- previous window's count, and what later requests of the call added (written once at the end). The first touch reads
-- and writes Redis as it always did (HINCRBY + HGET; a check: HMGET); a key that later requests of the same call touch
-- again (a route's or a prefix's limit) costs nothing more until one HINCRBY at the end. Measured on redis-server
-- (INFO commandstats, a login policy whose requests share their keys): 17.4 -> 11.2 redis.call()s and 32 -> 24 µs per
-- request; a first-touch cache for every key (a table per key) cost more than it saved on keys touched once.
local counted = {}
local previousOf = {}
local pending = {}
local pendingAt = {}

-- include window_prelude (start: a new window's first write)

-- Forgets what this call knows about a key (a reset deletes it: what was pending goes with it).
local function forget(key)
  counted[key], previousOf[key], pending[key], pendingAt[key] = nil, nil, nil, nil
end

-- Writes what later requests of this call counted on a key and forgets the key (before anything else writes it, and
-- at the end).
local function flush(key)
  local delta = pending[key]
  if delta ~= nil then
    local at = pendingAt[key]
    if redis.call('HINCRBY', key, at[1], delta) == delta then
      start(key, at[1], at[2])
    end
  end
  forget(key)
end

-- The call's rules, turned into numbers once.
local algorithms, limits, windows, bursts, penalties = {}, {}, {}, {}, {}
local rules = tonumber(ARGV[4])
for r = 1, rules do
  local a = 5 + (r - 1) * 5
  algorithms[r] = ARGV[a]
  limits[r] = tonumber(ARGV[a + 1])
  windows[r] = tonumber(ARGV[a + 2])
  bursts[r] = tonumber(ARGV[a + 3])
  penalties[r] = tonumber(ARGV[a + 4])
end

local result = { now }
local bp = 1
local kp = banKeys + 1
local ap = 5 + rules * 5
for _ = 1, tonumber(ARGV[2]) do
  local bans = tonumber(ARGV[ap])
  local n = tonumber(ARGV[ap + 1])
  ap = ap + 2
  local ban = false
  for b = bp, bp + bans - 1 do
    ban = ban or banValues[b]
  end
  bp = bp + bans
  result[#result + 1] = ban

  for _ = 1, n do
    local rule = tonumber(ARGV[ap])
    local mode = ARGV[ap + 1]
    local member = nil
    if mode == 'd' then
      member = ARGV[ap + 2]
      ap = ap + 3
    else
      ap = ap + 2
    end
    local algorithm = algorithms[rule]
    local limit = limits[rule]
    local window = windows[rule]
    local burst = bursts[rule]
    local penalty = penalties[rule]
    local key = KEYS[kp]
    kp = kp + 1
    local penaltyKey = nil
    if penalty > 0 then
      penaltyKey = KEYS[kp]
      kp = kp + 1
    end
    local allowed, remaining, reset, retry

    if mode == 'r' then
      forget(key)
      if penaltyKey then
        redis.call('DEL', key, penaltyKey)
      else
        redis.call('DEL', key)
      end
      allowed, remaining, reset, retry = 1, limit, 0, 0
    elseif mode == 'd' then
      local index = math.floor(now / window)
      local untilEnd = window - (now - index * window)
      local slot = index % 2
      local current = KEYS[kp + slot]
      local other = KEYS[kp + 1 - slot]
      kp = kp + 2
      local held = redis.call('HMGET', key, slot, 1 - slot)
      if tonumber(held[1] or -1) ~= index then
        -- First member of a new window: reuse this slot's HyperLogLog. Expiry is set once per window: two windows
        -- from the first write covers every read that still needs this window.
        redis.call('DEL', current)
        redis.call('HSET', key, slot, index)
        redis.call('PFADD', current, member)
        redis.call('PEXPIRE', current, window * 2)
        redis.call('PEXPIRE', key, window * 2)
      else
        redis.call('PFADD', current, member)
      end
      local withPrevious = tonumber(held[2] or -1) == index - 1
      local count
      if withPrevious then
        count = redis.call('PFCOUNT', current, other)
      else
        count = redis.call('PFCOUNT', current)
      end
      reset = untilEnd + window
      if count <= limit then
        allowed, remaining, retry = 1, limit - count, 0
      else
        allowed, remaining = 0, 0
        -- When the previous window's members drop out, does this window alone fit?
        if withPrevious and redis.call('PFCOUNT', current) < limit then
          retry = untilEnd
        else
          retry = untilEnd + window
        end
      end
    elseif algorithm == 's' then
      local index = math.floor(now / window)
      local elapsed = now - index * window
      local current, previous
      local known = counted[key]
      if mode == 'f' then
        -- A failure may clear the window below: it reads and writes Redis itself.
        flush(key)
        known = nil
      end
      if known ~= nil then
        current, previous = known + 1, previousOf[key]
        if mode == 'c' then
          counted[key] = current
          pending[key] = (pending[key] or 0) + 1
          if pendingAt[key] == nil then
            pendingAt[key] = { index, window }
          end
        end
      elseif mode == 'k' then
        local counts = redis.call('HMGET', key, index, index - 1)
        current = tonumber(counts[1] or 0) + 1
        previous = tonumber(counts[2] or 0)
        counted[key], previousOf[key] = current - 1, previous
      else
        current = redis.call('HINCRBY', key, index, 1)
        previous = tonumber(redis.call('HGET', key, index - 1) or 0)
        if current == 1 then
          start(key, index, window)
        end
        if mode == 'c' then
          counted[key], previousOf[key] = current, previous
        end
      end

      local scaled = previous * (window - elapsed) + current * window
      local untilEnd = window - elapsed
      reset = untilEnd
      if current > 0 then
        reset = untilEnd + window
      end
      if scaled <= limit * window then
        allowed = 1
        remaining = math.floor((limit * window - scaled) / window)
        retry = 0
      else
        allowed = 0
        remaining = 0
        retry = -1
        if current + 1 <= limit and previous > 0 then
          local t = untilEnd - math.floor((limit - current - 1) * window / previous)
          if t < untilEnd then
            retry = math.max(1, t)
          end
        end
        if retry < 0 then
          local e = 0
          if current > 0 then
            e = window - math.floor((limit - 1) * window / current)
          end
          retry = untilEnd + math.max(0, e)
        end
      end
    else
      local nowUs = now * 1000
      local interval = math.max(1, math.floor(window * 1000 / limit))
      local tolerance = burst * interval
      local stored = tonumber(redis.call('GET', key) or 0)
      local tat = math.max(stored, nowUs)
      local newTat = tat + interval
      local allowAt = newTat - tolerance
      if nowUs >= allowAt then
        if mode ~= 'k' then
          redis.call('SET', key, newTat, 'PX', math.floor((newTat - nowUs + 999) / 1000) + 1000)
        end
        allowed = 1
        remaining = math.floor((tolerance - (newTat - nowUs)) / interval)
        reset = math.floor((newTat - nowUs + 999) / 1000)
        retry = 0
      else
        allowed = 0
        remaining = 0
        reset = math.floor((tat - nowUs + 999) / 1000)
        retry = math.max(1, math.floor((allowAt - nowUs + 999) / 1000))
      end
    end

    -- Penalty box: once a limit refuses, the key stays refused for the penalty time (not extended by retries).
    -- The penalty key holds its end time on the script's clock; its TTL only collects garbage.
    -- A limit without a penalty never writes its penalty key, so it need not read it either.
    local penaltyUntil = 0
    if mode ~= 'r' and penalty > 0 then
      penaltyUntil = tonumber(redis.call('GET', penaltyKey) or 0)
    end
    if penaltyUntil > now then
      allowed = 0
      remaining = 0
      retry = math.max(retry, penaltyUntil - now)
    elseif allowed == 0 and penalty > 0 and (mode == 'c' or mode == 'f' or mode == 'd') then
      redis.call('SET', penaltyKey, now + penalty, 'PX', penalty)
      retry = math.max(retry, penalty)
      if mode == 'f' then
        redis.call('DEL', key)
      end
    end

    local r = #result
    result[r + 1] = allowed
    result[r + 2] = remaining
    result[r + 3] = reset
    result[r + 4] = retry
  end
end

for key in pairs(pending) do
  flush(key)
end

return result
