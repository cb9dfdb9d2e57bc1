-- Sharing with other accounts (swr-api.md 4.5).  P1 namespace, P2
-- repository, P3 the account shared with (its name).  The deadline the
-- registry checks is in swr:{r:<name>}:shares (account id -> Unix time,
-- 0 for "forever"); the record is in :sharedoc (account id -> JSON).

local function share_body(create)
  local spec = {permit = {'string', true}, deadline = {'string', true},
                description = {'string'}}
  if create then spec.access_domain = {'string', true} end
  local b = fields(body('object'), spec)
  if b.permit ~= 'read' then fail('PERMIT_INVALID', b.permit) end
  local when = 0
  if b.deadline ~= 'forever' then
    when = parse_time(b.deadline)
    if not when then fail('PARAM_INVALID', 'deadline ' .. b.deadline) end
    if when <= NOW then
      fail('PARAM_INVALID', 'deadline in the past: ' .. b.deadline)
    end
  end
  if b.description and #b.description > 1024 then
    fail('DESCRIPTION_TOO_LONG', 'description over 1024 bytes')
  end
  return b, when
end

local function domain_valid(s)
  return #s >= 1 and #s <= 64 and not string.find(s, '[/%c]')
end

local function record(name, ns, repo, id, doc)
  local d = cjson.decode(doc)
  local deadline = redis.call('HGET', rkey(name) .. ':shares', id)
  return {namespace = ns, repository = repo,
          access_domain = account_name(id), permit = d.permit,
          deadline = d.deadline, description = d.description,
          creator_id = d.creator_id, creator_name = d.creator_name,
          created = rfc3339(d.created), updated = rfc3339(d.updated),
          status = share_valid(deadline) and true or false}
end

--@ share_create
-- CreateRepoDomains: POST .../repositories/{repository}/access-domains
local function main()
  local b, when = share_body(true)
  if not domain_valid(b.access_domain) then
    fail('PARAM_INVALID', 'access_domain ' .. b.access_domain)
  end
  local name, owner = repo_need(P1, P2, 7)
  local id = redis.call('HGET', 'swr:accounts', b.access_domain)
  if not id then fail('ACCOUNT_UNKNOWN', b.access_domain) end
  if id == owner then
    fail('PARAM_INVALID', 'the repository\'s own account')
  end
  local k = rkey(name)
  if redis.call('HEXISTS', k .. ':shares', id) == 1 then
    fail('SHARE_EXISTS', b.access_domain)
  end
  repo_meta(name)
  redis.call('HSET', k .. ':shares', id, tostring(when))
  redis.call('HSET', k .. ':sharedoc', id, cjson.encode({
    permit = b.permit, deadline = b.deadline,
    description = b.description or '', creator_id = U,
    creator_name = user_name(U), created = NOW, updated = NOW}))
  return ok(201)
end

--@ share_update
-- UpdateRepoDomains: PATCH .../access-domains/{access_domain}
local function main()
  local b, when = share_body(false)
  local name = repo_need(P1, P2, 7)
  local id = redis.call('HGET', 'swr:accounts', P3)
  local k = rkey(name)
  local doc = id and redis.call('HGET', k .. ':sharedoc', id)
  if not doc then fail('SHARE_UNKNOWN', P3) end
  local d = cjson.decode(doc)
  d.permit, d.deadline, d.updated = b.permit, b.deadline, NOW
  d.description = b.description or ''
  redis.call('HSET', k .. ':shares', id, tostring(when))
  redis.call('HSET', k .. ':sharedoc', id, cjson.encode(d))
  return ok(201)
end

--@ share_delete
-- DeleteRepoDomains: DELETE .../access-domains/{access_domain}
local function main()
  local name = repo_need(P1, P2, 7)
  local id = redis.call('HGET', 'swr:accounts', P3)
  local k = rkey(name)
  if not id or redis.call('HDEL', k .. ':sharedoc', id) == 0 then
    fail('SHARE_UNKNOWN', P3)
  end
  redis.call('HDEL', k .. ':shares', id)
  return ok(204)
end

--@ share_list
-- ListRepoDomains: GET .../access-domains
local function main()
  local name = repo_need(P1, P2, 1)
  local all = redis.call('HGETALL', rkey(name) .. ':sharedoc')
  local out = arr()
  for i = 1, #all, 2 do
    out[#out + 1] = record(name, P1, P2, all[i], all[i + 1])
  end
  table.sort(out, function(a, b)
    return a.access_domain < b.access_domain
  end)
  return ok(200, out)
end

--@ share_show
-- ShowAccessDomain: GET .../access-domains/{access_domain}; an unknown
-- account is {"exist": false}, one not shared with 4001090
local function main()
  local name = repo_need(P1, P2, 1)
  local id = redis.call('HGET', 'swr:accounts', P3)
  if not id then return ok(200, {exist = false}) end
  local doc = redis.call('HGET', rkey(name) .. ':sharedoc', id)
  if not doc then fail('SHARE_UNKNOWN', P3) end
  local r = record(name, P1, P2, id, doc)
  r.exist = true
  return ok(200, r)
end
