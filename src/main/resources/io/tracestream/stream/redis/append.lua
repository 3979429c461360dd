-- Appends a batch of events to one trace, atomically: the trace's history and the fan-out stream
-- get the same events in the same order, so every instance sees each trace in history order.
--
-- KEYS[1] the trace's history stream      KEYS[2] the fan-out stream read by every instance
-- KEYS[3] the index of traces by last activity (sorted set, score = epoch ms)
-- ARGV[1] trace id   ARGV[2] history cap (approximate)   ARGV[3] trace TTL, ms
-- ARGV[4] fan-out cap (approximate)   ARGV[5] dedup window, ms   ARGV[6] dedup key prefix
-- then 4 values per event: event_id ('' for none), event_type, agent_id, JSON without id.
--
-- Returns one entry per event, in order: the new id, or '=' .. the original id for an event
-- whose event_id was already stored within the dedup window.
local trace, fanout = KEYS[1], KEYS[2]
local trace_id, max_events, ttl_ms = ARGV[1], ARGV[2], ARGV[3]
local fanout_max, dedup_ms, dedup_prefix = ARGV[4], ARGV[5], ARGV[6]

local previous = ''
local newest = redis.call('XREVRANGE', trace, '+', '-', 'COUNT', 1)
if #newest > 0 then previous = newest[1][1] end

local answer, stored = {}, 0
for i = 7, #ARGV, 4 do
  local event_id, event_type, agent_id, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local dedup_key, original = nil, false
  if event_id ~= '' then
    dedup_key = dedup_prefix .. event_id
    original = redis.call('GET', dedup_key)
  end
  if original then
    answer[#answer + 1] = '=' .. original
  else
    local id = redis.call('XADD', trace, 'MAXLEN', '~', max_events, '*',
      'type', event_type, 'agent', agent_id, 'prev', previous, 'json', json)
    redis.call('XADD', fanout, 'MAXLEN', '~', fanout_max, '*',
      't', trace_id, 'p', previous, 'i', id, 'y', event_type, 'a', agent_id, 'd', json)
    if dedup_key then redis.call('SET', dedup_key, id, 'PX', dedup_ms) end
    previous = id
    stored = stored + 1
    answer[#answer + 1] = id
  end
end
if stored > 0 then
  redis.call('PEXPIRE', trace, ttl_ms)
  -- Ids start with Redis's clock in ms: the index and its expiry use the same clock.
  local now_ms = tonumber(string.match(previous, '^(%d+)'))
  redis.call('ZADD', KEYS[3], now_ms, trace_id)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (now_ms - tonumber(ttl_ms)))
end
return answer
