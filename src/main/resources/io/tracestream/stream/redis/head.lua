-- Where a trace's history starts and ends: {first id, last id, last event type}, or {} when the
-- trace does not exist (never written, or expired). KEYS[1] the trace's history stream.
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
if #first == 0 then return {} end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local fields, event_type = last[1][2], ''
for i = 1, #fields, 2 do
  if fields[i] == 'type' then event_type = fields[i + 1] end
end
return {first[1][1], last[1][1], event_type}
