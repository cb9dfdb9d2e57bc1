-- Image repositories (swr-api.md 4.3).  P1 namespace, P2 repository.

-- the registry addresses of a repository
local function paths(name)
  return HOST .. '/' .. name, HOST .. '/' .. name
end

-- the repository of the path (P2, '$' already '/'): a name of swr-api.md
-- 1.6, before anything else
local function repo_name()
  if not valid_repo(P2) then fail('REPO_INVALID', P2) end
end

-- ShowReposResp, for lists
local function repo_row(name, owner, status)
  local m = repo_meta(name)
  local k = rkey(name)
  local ns = ns_split(name)
  local path, internal = paths(name)
  local tags = redis.call('HLEN', k .. ':tags')
  return {
    name = string.sub(name, #ns + 2), category = m.category,
    description = m.description, size = m.size, is_public = m.public,
    num_images = tags,
    num_download = m.downloads, created_at = rfc3339(m.created),
    updated_at = rfc3339(m.updated), logo = '', url = '', path = path,
    internal_path = internal, domain_name = account_name(owner),
    namespace = ns, tags = arr(redis.call('ZRANGE', k .. ':taglist', 0, -1)),
    status = status or false, total_range = 0,
    _updated = m.updated, _tags = tags
  }
end

local REPO_COLUMNS = {updated_time = '_updated', updated_at = '_updated',
                      name = 'name', tag_count = '_tags',
                      namespace = 'namespace', is_public = 'is_public',
                      domain_name = 'domain_name'}

-- the common list parameters of ListReposDetails and the shared list
local function repo_list_params(p)
  if p.order_type and p.order_type ~= 'asc' and p.order_type ~= 'desc'
  then
    fail('PARAM_INVALID', 'order_type ' .. p.order_type)
  end
  if p.order_type and not p.order_column then
    fail('PARAM_INVALID', 'order_type needs order_column')
  end
  local col = '_updated'
  if p.order_column then
    col = REPO_COLUMNS[p.order_column]
    if not col then
      fail('PARAM_INVALID', 'order_column ' .. p.order_column)
    end
  end
  if p.category then category(p.category) end
  if p.is_public and p.is_public ~= 'true' and p.is_public ~= 'false' then
    fail('PUBLIC_INVALID', 'is_public ' .. p.is_public)
  end
  if p.name then p.name = string.gsub(p.name, '%$', '/') end
  local limit, offset = page(p, 100)
  return col, p.order_type == 'desc' or (not p.order_type and
                                         col == '_updated'), limit, offset
end

local function repo_match(p, row)
  return (not p.namespace or string.find(row.namespace, p.namespace, 1,
                                         true))
     and (not p.name or string.find(row.name, p.name, 1, true))
     and (not p.category or row.category == category(p.category))
     and (not p.is_public or tostring(row.is_public) == p.is_public)
     and (not p.tag
          or redis.call('HEXISTS', rkey(row.namespace .. '/' .. row.name)
                        .. ':tags', p.tag) == 1)
end

local function finish_rows(rows, col, desc, limit, offset)
  for _, row in ipairs(rows) do
    row._key = row.namespace .. '/' .. row.name
  end
  local out, range = sorted_page(rows, col, desc, limit, offset)
  for _, row in ipairs(out) do
    row.total_range = #rows
    row._updated, row._tags = nil, nil
  end
  return out, range
end

--@ repo_create
-- CreateRepo: POST /v2/manage/namespaces/{namespace}/repos
local function main()
  local b = fields(body('object'), {
    repository = {'string', true}, is_public = {'boolean', true},
    category = {'string'}, description = {'string'}})
  if not valid_repo(b.repository) then
    fail('REPO_INVALID', b.repository)
  end
  local cat = category(b.category or 'other')
  if b.description and #b.description > 1024 then
    fail('DESCRIPTION_TOO_LONG', 'description over 1024 bytes')
  end
  local owner = ns_need(P1, 3)
  local name = P1 .. '/' .. b.repository
  if #name > 255 then fail('REPO_INVALID', name) end
  if repo_exists(name) then fail('REPO_EXISTS', name) end
  local used = 0
  for _, ns in ipairs(redis.call('SMEMBERS',
                                 'swr:account:{' .. owner .. '}:namespaces'))
  do
    used = used + (tonumber(redis.call('HGET', nskey(ns) .. ':usage',
                                       'repos') or '0') or 0)
  end
  if used >= limit_of(2) then fail('REPO_QUOTA', name) end
  local id = redis.call('INCR', 'swr:repo:seq')
  redis.call('HSET', rkey(name) .. ':meta', 'id', id,
             'public', b.is_public and '1' or '0', 'category', cat,
             'description', b.description or '', 'created', NOW,
             'updated', NOW, 'creator', U, 'downloads', 0, 'size', 0)
  redis.call('ZADD', 'swr:repos', 0, name)
  usage(P1, 'repos', 1)
  return ok(200)
end

--@ repo_show
-- ShowRepository: GET /v2/manage/namespaces/{namespace}/repos/{repository}
local function main()
  repo_name()
  local name, owner = repo_need(P1, P2, 1)
  local m = repo_meta(name)
  local path, internal = paths(name)
  return ok(200, {
    id = m.id, ns_id = tonumber(redis.call('HGET', nskey(P1), 'id') or '0'),
    name = P2, category = m.category, description = m.description,
    creator_id = m.creator, creator_name = user_name(m.creator),
    size = m.size, is_public = m.public,
    num_images = redis.call('HLEN', rkey(name) .. ':tags'),
    num_download = m.downloads, url = '', path = path,
    internal_path = internal, created = rfc3339(m.created),
    updated = rfc3339(m.updated), domain_id = owner, priority = 0})
end

--@ repo_update
-- UpdateRepo: PATCH /v2/manage/namespaces/{namespace}/repos/{repository}
local function main()
  repo_name()
  local b = fields(body('object'), {
    is_public = {'boolean', true}, category = {'string'},
    description = {'string'}})
  local cat = b.category and category(b.category)
  if b.description and #b.description > 1024 then
    fail('DESCRIPTION_TOO_LONG', 'description over 1024 bytes')
  end
  local name = repo_need(P1, P2, 3)
  repo_meta(name)
  local k = rkey(name) .. ':meta'
  redis.call('HSET', k, 'public', b.is_public and '1' or '0',
             'updated', NOW)
  if cat then redis.call('HSET', k, 'category', cat) end
  if b.description then
    redis.call('HSET', k, 'description', b.description)
  end
  return ok(201)
end

--@ repo_delete
-- DeleteRepo: DELETE /v2/manage/namespaces/{namespace}/repos/{repository};
-- its tags, manifests and blob links go with it (the blobs no other
-- repository links are then swr-gc's)
local function main()
  repo_name()
  local name = repo_need(P1, P2, 7)
  local k = rkey(name)
  local size = tonumber(redis.call('HGET', k .. ':meta', 'size') or '0')
               or 0
  local tags = redis.call('HLEN', k .. ':tags')
  local keys = {k .. ':blobs', k .. ':manifests', k .. ':bodies',
                k .. ':tags', k .. ':taglist', k .. ':subjects',
                k .. ':meta', k .. ':grants', k .. ':shares',
                k .. ':sharedoc', k .. ':tagmeta', k .. ':sizes'}
  local subjects = redis.call('HVALS', k .. ':subjects')
  for _, s in ipairs(subjects) do
    keys[#keys + 1] = k .. ':referrers:' .. s
  end
  redis.call('DEL', unpack(keys))
  redis.call('ZREM', 'swr:repos', name)
  usage(P1, 'repos', -1)
  usage(P1, 'images', -tags)
  usage(P1, 'size', -size)
  if size ~= 0 then
    redis.call('HSET', nskey(P1) .. ':daily:store', day(NOW),
               redis.call('HGET', nskey(P1) .. ':usage', 'size'))
  end
  return ok(204)
end

--@ repo_list
-- ListReposDetails: GET /v2/manage/repos; what the caller may read;
-- tag (exact) keeps the repositories that have that tag
local function main()
  local p = list_params({namespace = 1, name = 1, category = 1,
                         is_public = 1, limit = 1, offset = 1,
                         order_column = 1, order_type = 1, tag = 1})
  if p.tag and not valid_tag(p.tag) then fail('TAG_INVALID', p.tag) end
  local col, desc, limit, offset = repo_list_params(p)
  local rows, owners = {}, {}
  for _, name in ipairs(redis.call('ZRANGE', 'swr:repos', 0, -1)) do
    local ns = ns_split(name)
    if owners[ns] == nil then owners[ns] = ns_owner(ns) or false end
    if owners[ns] and repo_level(name, owners[ns]) >= 1 then
      local row = repo_row(name, owners[ns])
      if repo_match(p, row) then rows[#rows + 1] = row end
    end
  end
  return ok(200, finish_rows(rows, col, desc, limit, offset))
end

--@ repo_shared
-- ListSharedReposDetails: GET /v2/manage/shared-repositories; center=self:
-- what the caller's account shares with others (he may read; status
-- false, as for any image not shared with him), thirdparty: what others
-- share with his account (status: the share is still valid)
local function main()
  local p = list_params({center = 1, namespace = 1, name = 1, limit = 1,
                         offset = 1, order_column = 1, order_type = 1,
                         domain_name = 1, status = 1})
  if not p.center then fail('PARAM_MISSING', 'center') end
  if p.center ~= 'self' and p.center ~= 'thirdparty' then
    fail('PARAM_INVALID', 'center ' .. p.center)
  end
  if p.status and p.status ~= 'true' and p.status ~= 'false' then
    fail('PARAM_INVALID', 'status ' .. p.status)
  end
  local col, desc, limit, offset = repo_list_params(p)
  local rows, owners = {}, {}
  for _, name in ipairs(redis.call('ZRANGE', 'swr:repos', 0, -1)) do
    local ns = ns_split(name)
    if owners[ns] == nil then owners[ns] = ns_owner(ns) or false end
    local owner = owners[ns]
    local row
    if owner and p.center == 'self' and A ~= '' and owner == A
       and redis.call('HLEN', rkey(name) .. ':shares') > 0
       and repo_level(name, owner) >= 1 then
      row = repo_row(name, owner)
    elseif owner and p.center == 'thirdparty' and A ~= ''
           and owner ~= A then
      local d = redis.call('HGET', rkey(name) .. ':shares', A)
      if d then row = repo_row(name, owner, share_valid(d) and true) end
    end
    if row and repo_match(p, row)
       and (not p.domain_name or row.domain_name == p.domain_name)
       and (not p.status or tostring(row.status) == p.status) then
      rows[#rows + 1] = row
    end
  end
  return ok(200, finish_rows(rows, col, desc, limit, offset))
end
