-- Organization permissions (swr-api.md 4.6) and repository permissions
-- (4.7).  P1 namespace, P2 repository (repository grants).
--
-- Rules (docs/authorization.md): an organization's grants are changed by
-- a holder of 7 on it; a repository's by a holder of 3 on its
-- organization or 7 on the repository; nobody grants a level above his
-- own, nor changes or deletes a grant above his own level, and nobody
-- changes his own grant.  Grants go to users of the account that owns
-- the organization.

local LEVELS = {[1] = true, [3] = true, [7] = true}

-- the UserAuth array of a create or update
local function user_auths(owner, mine, invalid)
  local list = body('array')
  if type(list) ~= 'table' or next(list) == nil then
    fail('PARAM_MISSING', 'at least one UserAuth')
  end
  local seen = {}
  for i, g in ipairs(list) do
    fields(g, {user_id = {'string', true}, user_name = {'string', true},
               auth = {'integer', true}}, 'a UserAuth')
    if not LEVELS[g.auth] then
      fail(invalid, 'auth ' .. tostring(g.auth))
    end
    if seen[g.user_id] then fail('PARAM_INVALID', 'user twice') end
    seen[g.user_id] = true
    if redis.call('HGET', 'swr:user:{' .. g.user_id .. '}', 'account')
       ~= owner then
      fail('USER_UNKNOWN', g.user_id)
    end
    if g.user_id == U then
      fail('DENIED', 'nobody changes his own grant')
    end
    if g.auth > mine then
      fail('DENIED', 'a level above the caller\'s own')
    end
  end
  if #list == 0 then fail('BODY_INVALID', 'the body must be an array') end
  return list
end

-- the user id array of a delete
local function user_ids()
  local list = body('array')
  if type(list) ~= 'table' or next(list) == nil then
    fail('PARAM_MISSING', 'at least one user id')
  end
  for _, id in ipairs(list) do
    if type(id) ~= 'string' then
      fail('BODY_INVALID', 'user ids are strings')
    end
    if id == U then fail('DENIED', 'nobody changes his own grant') end
  end
  return list
end

local function others(key)
  local out = arr()
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    if all[i] ~= U then
      out[#out + 1] = {user_id = all[i], user_name = user_name(all[i]),
                       auth = tonumber(all[i + 1])}
    end
  end
  table.sort(out, function(a, b) return a.user_name < b.user_name end)
  return out
end

-- who may change a repository's grants, and up to which level
local function repo_manager(name, owner)
  local nl = ns_level(P1, owner)
  local lvl = repo_level(name, owner)
  if nl < 3 and lvl < 7 then fail('DENIED', name) end
  return lvl
end

--@ ns_auth_create
-- CreateNamespaceAuth: POST /v2/manage/namespaces/{namespace}/access
local function main()
  local owner = ns_need(P1, 7)
  local list = user_auths(owner, 7, 'NS_AUTH_INVALID')
  local k = nskey(P1) .. ':grants'
  for _, g in ipairs(list) do
    if redis.call('HEXISTS', k, g.user_id) == 1 then
      fail('NS_GRANT_EXISTS', g.user_id)
    end
  end
  for _, g in ipairs(list) do
    redis.call('HSET', k, g.user_id, tostring(g.auth))
  end
  return ok(200)
end

--@ ns_auth_update
-- UpdateNamespaceAuth: PATCH /v2/manage/namespaces/{namespace}/access
local function main()
  local owner = ns_need(P1, 7)
  local list = user_auths(owner, 7, 'NS_AUTH_INVALID')
  local k = nskey(P1) .. ':grants'
  for _, g in ipairs(list) do
    if redis.call('HEXISTS', k, g.user_id) == 0 then
      fail('NS_GRANT_UNKNOWN', g.user_id)
    end
  end
  for _, g in ipairs(list) do
    redis.call('HSET', k, g.user_id, tostring(g.auth))
  end
  return ok(201)
end

--@ ns_auth_delete
-- DeleteNamespaceAuth: DELETE /v2/manage/namespaces/{namespace}/access
local function main()
  ns_need(P1, 7)
  local list = user_ids()
  local k = nskey(P1) .. ':grants'
  for _, id in ipairs(list) do
    if redis.call('HEXISTS', k, id) == 0 then
      fail('NS_GRANT_UNKNOWN', id)
    end
  end
  redis.call('HDEL', k, unpack(list))
  return ok(204)
end

--@ ns_auth_show
-- ShowNamespaceAuth: GET /v2/manage/namespaces/{namespace}/access
local function main()
  local owner, lvl = ns_need(P1, 1)
  return ok(200, {
    id = ns_id(P1), name = P1,
    creator_name = user_name(redis.call('HGET', nskey(P1), 'creator')),
    self_auth = {user_id = U, user_name = user_name(U), auth = lvl},
    others_auths = others(nskey(P1) .. ':grants')})
end

--@ repo_auth_create
-- CreateUserRepositoryAuth: POST .../repos/{repository}/access
local function main()
  local name, owner = repo_need(P1, P2, 1)
  local mine = repo_manager(name, owner)
  local list = user_auths(owner, mine, 'REPO_AUTH_INVALID')
  local k = rkey(name) .. ':grants'
  for _, g in ipairs(list) do
    if redis.call('HEXISTS', k, g.user_id) == 1 then
      fail('REPO_GRANT_EXISTS', g.user_id)
    end
  end
  repo_meta(name)
  for _, g in ipairs(list) do
    redis.call('HSET', k, g.user_id, tostring(g.auth))
  end
  return ok(201)
end

--@ repo_auth_update
-- UpdateUserRepositoryAuth: PATCH .../repos/{repository}/access
local function main()
  local name, owner = repo_need(P1, P2, 1)
  local mine = repo_manager(name, owner)
  local list = user_auths(owner, mine, 'REPO_AUTH_INVALID')
  local k = rkey(name) .. ':grants'
  for _, g in ipairs(list) do
    local cur = redis.call('HGET', k, g.user_id)
    if not cur then fail('REPO_GRANT_UNKNOWN', g.user_id) end
    if tonumber(cur) > mine then
      fail('DENIED', 'a grant above the caller\'s own level')
    end
  end
  for _, g in ipairs(list) do
    redis.call('HSET', k, g.user_id, tostring(g.auth))
  end
  return ok(201)
end

--@ repo_auth_delete
-- DeleteUserRepositoryAuth: DELETE .../repos/{repository}/access
local function main()
  local name, owner = repo_need(P1, P2, 1)
  local mine = repo_manager(name, owner)
  local list = user_ids()
  local k = rkey(name) .. ':grants'
  for _, id in ipairs(list) do
    local g = redis.call('HGET', k, id)
    if not g then fail('REPO_GRANT_UNKNOWN', id) end
    if tonumber(g) > mine then
      fail('DENIED', 'a grant above the caller\'s own level')
    end
  end
  redis.call('HDEL', k, unpack(list))
  return ok(204)
end

--@ repo_auth_show
-- ShowUserRepositoryAuth: GET .../repos/{repository}/access
local function main()
  local name, owner, lvl = repo_need(P1, P2, 1)
  local m = repo_meta(name)
  return ok(200, {
    id = m.id, name = P2,
    self_auth = {user_id = U, user_name = user_name(U), auth = lvl},
    others_auths = others(rkey(name) .. ':grants')})
end
