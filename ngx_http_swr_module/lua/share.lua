-- Sharing with other accounts (swr-api.md 4.5).  P1 namespace, P2
-- repository, P3 the account shared with (its name).  The deadline the
-- registry checks is in swr:{r:<name>}:shares (account id -> Unix time,
-- 0 for "forever"): a share is there or not, and its deadline is that
-- one.  The record is in :sharedoc (account id -> JSON), made on first
-- sight for a share util/swr-admin made (it writes :shares only).

-- a deadline as answered: "forever" or RFC 3339 UTC
local function deadline_text(v)
  if tonumber(v) == 0 then return 'forever' end
  return rfc3339(v)
end

-- does the date of "YYYY-MM-DDT..." exist (parse_time takes 02-31)?
local function day_exists(s)
  local y, m, d = string.match(s, '^(%d%d%d%d)%-(%d%d)%-(%d%d)')
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local feb = (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) and 29
              or 28
  local last = {31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
  return d <= last[m]
end

local function share_body(create)
  local spec = {permit = {'string', true}, deadline = {'string', true},
                description = {'string'}}
  if create then spec.access_domain = {'string', true} end
  local b = fields(body('object'), spec)
  if b.permit ~= 'read' then fail('PERMIT_INVALID', b.permit) end
  local when = 0
  if b.deadline ~= 'forever' then
    when = parse_time(b.deadline)
    if not when or not day_exists(b.deadline) then
      fail('PARAM_INVALID', 'deadline ' .. b.deadline)
    end
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

-- the record of the share with account id (which :shares has)
local function share_doc(k, id)
  local doc = redis.call('HGET', k .. ':sharedoc', id)
  if doc then return cjson.decode(doc) end
  local d = {permit = 'read',
             deadline = deadline_text(redis.call('HGET', k .. ':shares',
                                                 id)),
             description = '', creator_id = '', creator_name = '',
             created = NOW, updated = NOW}
  redis.call('HSET', k .. ':sharedoc', id, cjson.encode(d))
  return d
end

local function record(name, ns, repo, id)
  local k = rkey(name)
  local d = share_doc(k, id)
  local deadline = redis.call('HGET', k .. ':shares', id)
  return {namespace = ns, repository = repo,
          access_domain = account_name(id), permit = d.permit or 'read',
          deadline = deadline_text(deadline),
          description = d.description or '',
          creator_id = d.creator_id or '',
          creator_name = d.creator_name or '',
          created = rfc3339(d.created), updated = rfc3339(d.updated),
          status = share_valid(deadline) and true or false}
end

-- the account id of P3 when the repository is shared with it
local function shared_id(name)
  local id = redis.call('HGET', 'swr:accounts', P3)
  if not id or redis.call('HEXISTS', rkey(name) .. ':shares', id) == 0
  then
    fail('SHARE_UNKNOWN', P3)
  end
  return id
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
    permit = b.permit, deadline = deadline_text(when),
    description = b.description or '', creator_id = U,
    creator_name = user_name(U), created = NOW, updated = NOW}))
  return ok(201)
end

--@ share_update
-- UpdateRepoDomains: PATCH .../access-domains/{access_domain}
local function main()
  local b, when = share_body(false)
  local name = repo_need(P1, P2, 7)
  local id = shared_id(name)
  local k = rkey(name)
  local d = share_doc(k, id)
  d.permit, d.deadline, d.updated = b.permit, deadline_text(when), NOW
  d.description = b.description or ''
  redis.call('HSET', k .. ':shares', id, tostring(when))
  redis.call('HSET', k .. ':sharedoc', id, cjson.encode(d))
  return ok(201)
end

--@ share_delete
-- DeleteRepoDomains: DELETE .../access-domains/{access_domain}
local function main()
  local name = repo_need(P1, P2, 7)
  local id = shared_id(name)
  local k = rkey(name)
  redis.call('HDEL', k .. ':shares', id)
  redis.call('HDEL', k .. ':sharedoc', id)
  return ok(204)
end

--@ share_list
-- ListRepoDomains: GET .../access-domains
local function main()
  local name = repo_need(P1, P2, 1)
  local out = arr()
  for _, id in ipairs(redis.call('HKEYS', rkey(name) .. ':shares')) do
    out[#out + 1] = record(name, P1, P2, id)
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
  if not redis.call('HGET', 'swr:accounts', P3) then
    return ok(200, {exist = false})
  end
  local r = record(name, P1, P2, shared_id(name))
  r.exist = true
  return ok(200, r)
end
