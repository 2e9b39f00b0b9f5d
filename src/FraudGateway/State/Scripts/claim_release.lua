-- Releases a single-use claim, but only the claimant's own: the claim on a captcha token whose provider could not
-- answer, so the user's retry with the same token is not refused as a replay. Another request's claim stays.
-- KEYS[1] the claim key (StoreKeys.Claim); ARGV[1] the claimant. Returns 1 when released, 0 otherwise.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
