-- Where a trace's history starts and ends: {first id, last id, last event type, id before the
-- first}, or {} when the trace does not exist (never written, or expired). Each entry records the
-- id before it ('prev'), so the first entry's 'prev' is the newest event the history cap trimmed
-- ('' when nothing was): it tells whether a resume point fell off the history.
-- KEYS[1] the trace's history stream.
local function field(entry, name)
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == name then return fields[i + 1] end
  end
  return ''
end
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
if #first == 0 then return {} end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
return {first[1][1], last[1][1], field(last[1], 'type'), field(first[1], 'prev')}
