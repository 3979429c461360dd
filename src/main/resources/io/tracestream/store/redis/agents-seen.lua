-- Agents heard from: keeps each agent's latest event time. Instances report in any order, so an
-- older time written after a newer one must not replace it.
-- KEYS[1] the agents hash; ARGV agent, epoch ms, agent, epoch ms, ...
for i = 1, #ARGV, 2 do
  local known = tonumber(redis.call('HGET', KEYS[1], ARGV[i]))
  if not known or known < tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
return {}
