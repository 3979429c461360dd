-- Appends the events of one or more requests, each request to one trace, atomically: each trace's
-- history and the fan-out stream get the same events in the same order, so every instance sees
-- each trace in history order. Several requests share one call when they arrive together (group
-- commit): one round trip and one script run for all of them.
--
-- KEYS[1] the fan-out stream read by every instance
-- KEYS[2] the index of traces by last activity (sorted set, score = epoch ms)
-- KEYS[3..] the history stream of each request's trace, in request order
-- ARGV[1] history cap (approximate)   ARGV[2] trace TTL, ms   ARGV[3] fan-out cap (approximate)
-- ARGV[4] dedup window, ms
-- then per request: trace id, dedup key prefix, the trace's live channel, the trace's content hash,
-- number of events n, and 5 values per event: event_id ('' for none), event_type, agent_id, JSON
-- without id, the content of its call ('' for none: most events).
--
-- An event's content goes into the trace's content hash under the event's id, not into the
-- history: replays, the fan-out and live messages stay small, and the content is read on demand.
--
-- Each request's new events are also published, in one message, on the trace's live channel, for
-- the instances whose clients watch that trace: each fan-out entry preceded by its length in bytes
-- and a newline. Only when an instance listens there: building the message copies every entry,
-- and most appends (OTLP exports, unwatched traces) have no listener.
--
-- Each history entry also records, in field 'wf', which event has ended the trace's workflow once it
-- is stored: '.' this one (a workflow_completed or workflow_failed), '' none (it runs, or was
-- started again), else that event's id; so head.lua answers it from the last entry alone.
--
-- Returns one string: per event, in request order and separated by commas, the new id, or '=' ..
-- the original id for an event whose event_id was already stored within the dedup window. One
-- string, not a list, because the client decodes each element of a reply separately.
local fanout, index = KEYS[1], KEYS[2]
local max_events, ttl_ms, fanout_max, dedup_ms = ARGV[1], ARGV[2], ARGV[3], ARGV[4]

local answer = {}
-- The newest id of each trace written in this call, and its workflow's end ('wf', resolved to an id
-- or ''), so a trace's second request needs no read.
local newest = {}
local newest_end = {}
local touched = {}
local content_keys = {}
local now_ms = 0
local a = 5
for k = 3, #KEYS do
  local trace = KEYS[k]
  local trace_id, dedup_prefix, channel, content_key, n = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], tonumber(ARGV[a + 4])
  a = a + 5
  content_keys[trace] = content_key
  local published = {}
  local watched = redis.call('PUBSUB', 'NUMSUB', channel)[2] > 0
  local previous, ended = newest[trace], newest_end[trace]
  if previous == nil then
    previous, ended = '', ''
    local last = redis.call('XREVRANGE', trace, '+', '-', 'COUNT', 1)
    if #last > 0 then
      previous = last[1][1]
      local fields = last[1][2]
      local wf, last_type = nil, ''
      for f = 1, #fields, 2 do
        if fields[f] == 'wf' then wf = fields[f + 1] elseif fields[f] == 'type' then last_type = fields[f + 1] end
      end
      if wf == '.' then ended = previous
      elseif wf ~= nil then ended = wf
      -- An entry written before 'wf' existed: its own type is all there is to go on.
      elseif last_type == 'workflow_completed' or last_type == 'workflow_failed' then ended = previous end
    end
  end
  for i = a, a + 5 * n - 1, 5 do
    local event_id, event_type, agent_id, json, content = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
    local dedup_key, original = nil, false
    if event_id ~= '' then
      dedup_key = dedup_prefix .. event_id
      original = redis.call('GET', dedup_key)
    end
    if original then
      answer[#answer + 1] = '=' .. original
    else
      local ends = event_type == 'workflow_completed' or event_type == 'workflow_failed'
      local wf = ended
      if ends then wf = '.' elseif event_type == 'workflow_started' then wf = '' end
      local id = redis.call('XADD', trace, 'MAXLEN', '~', max_events, '*',
        'type', event_type, 'agent', agent_id, 'prev', previous, 'wf', wf, 'json', json)
      if ends then ended = id else ended = wf end
      -- One field: the shared reader of the fan-out and each watching instance decode one value, not six.
      -- Lines: trace id, previous id, id, type, JSON (which holds no raw newline), then the agent id
      -- (which may), so that it can be split at the first five newlines.
      local entry = trace_id .. '\n' .. previous .. '\n' .. id .. '\n' .. event_type .. '\n' .. json .. '\n' .. agent_id
      redis.call('XADD', fanout, 'MAXLEN', '~', fanout_max, '*', 'e', entry)
      if watched then
        published[#published + 1] = #entry .. '\n'
        published[#published + 1] = entry
      end
      if dedup_key then redis.call('SET', dedup_key, id, 'PX', dedup_ms) end
      if content ~= '' then redis.call('HSET', content_key, id, content) end
      previous = id
      answer[#answer + 1] = id
      if not touched[trace] then touched[trace] = trace_id end
    end
  end
  a = a + 5 * n
  if #published > 0 then redis.call('PUBLISH', channel, table.concat(published)) end
  newest[trace] = previous
  newest_end[trace] = ended
  -- Ids start with Redis's clock in ms: the index and its expiry use the same clock.
  if previous ~= '' then now_ms = math.max(now_ms, tonumber(string.match(previous, '^(%d+)'))) end
end
local any = false
for trace, trace_id in pairs(touched) do
  redis.call('PEXPIRE', trace, ttl_ms)
  -- The content expires with its trace (a no-op for the many traces without content).
  redis.call('PEXPIRE', content_keys[trace], ttl_ms)
  redis.call('ZADD', index, tonumber(string.match(newest[trace], '^(%d+)')), trace_id)
  any = true
end
if any then
  redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. (now_ms - tonumber(ttl_ms)))
end
return {table.concat(answer, ',')}
