-- Where a trace's history starts and ends: {first id, last id, the event that ended its workflow
-- ('' while it runs; see 'wf' in append.lua), id before the first}, or {} when the trace does not
-- exist (never written, or expired). Each entry records the
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
local last_id, wf, ended = last[1][1], field(last[1], 'wf'), ''
if wf == '.' then ended = last_id
elseif wf ~= '' then ended = wf
else
  -- No 'wf' (written before it existed), or '': the last event's own type decides.
  local last_type = field(last[1], 'type')
  if last_type == 'workflow_completed' or last_type == 'workflow_failed' then ended = last_id end
end
return {first[1][1], last_id, ended, field(first[1], 'prev')}
