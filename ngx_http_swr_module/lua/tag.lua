-- Image tags (swr-api.md 4.4).  P1 namespace, P2 repository, P3 tag.
-- The tags are the registry's own (swr:{r:<name>}:tags), so what the
-- registry serves and what is listed here are one thing; tagmeta keeps a
-- tag's id and times ("<id> <created> <updated>").

-- the size of an image: its manifest and what it references
local function image(manifest)
  local ok, m = pcall(cjson.decode, manifest)
  local info = {size = #manifest, schema = 2, image_id = '', tag_type = 0}
  if not ok or type(m) ~= 'table' then return info end
  info.schema = tonumber(m.schemaVersion) or 2
  if type(m.manifests) == 'table' then
    info.tag_type = 1
    for _, d in ipairs(m.manifests) do
      if type(d) == 'table' then
        info.size = info.size + (tonumber(d.size) or 0)
      end
    end
    return info
  end
  if type(m.config) == 'table' then
    info.size = info.size + (tonumber(m.config.size) or 0)
    if type(m.config.digest) == 'string' then
      info.image_id = string.gsub(m.config.digest, '^[^:]*:', '')
    end
  end
  if type(m.layers) == 'table' then
    for _, d in ipairs(m.layers) do
      if type(d) == 'table' then
        info.size = info.size + (tonumber(d.size) or 0)
      end
    end
  end
  return info
end

-- a tag's id and times, made for a tag pushed before they were kept
local function tag_meta(name, tag)
  local k = rkey(name) .. ':tagmeta'
  local v = redis.call('HGET', k, tag)
  local id, created, updated
  if v then
    id, created, updated = string.match(v, '^(%d+) (%d+) (%d+)$')
  end
  if not id then
    id = redis.call('HINCRBY', rkey(name) .. ':meta', 'tagseq', 1)
    created, updated = NOW, NOW
    redis.call('HSET', k, tag, id .. ' ' .. NOW .. ' ' .. NOW)
  end
  return tonumber(id), tonumber(created), tonumber(updated)
end

--@ tag_list
-- ListRepositoryTags: GET .../repos/{repository}/tags
local function main()
  local p = list_params({limit = 1, offset = 1, order_column = 1,
                         order_type = 1, tag = 1})
  local col = 'updated'
  if p.order_column then
    if p.order_column ~= 'updated_at' and p.order_column ~= 'tag' then
      fail('PARAM_INVALID', 'order_column ' .. p.order_column)
    end
    col = p.order_column == 'tag' and 'Tag' or 'updated'
  end
  if p.order_type and p.order_type ~= 'asc' and p.order_type ~= 'desc'
  then
    fail('PARAM_INVALID', 'order_type ' .. p.order_type)
  end
  if p.order_type and not p.order_column then
    fail('PARAM_INVALID', 'order_type needs order_column')
  end
  if p.tag and not valid_tag(p.tag) then fail('TAG_INVALID', p.tag) end
  local limit, offset = page(p, nil)
  local name, owner = repo_need(P1, P2, 1)
  local k = rkey(name)
  local repo_id = repo_meta(name).id
  local all = redis.call('HGETALL', k .. ':tags')
  local rows = {}
  for i = 1, #all, 2 do
    local tag, digest = all[i], all[i + 1]
    if not p.tag or p.tag == tag then
      local body = redis.call('HGET', k .. ':bodies', digest) or ''
      local info = image(body)
      local id, created, updated = tag_meta(name, tag)
      rows[#rows + 1] = {
        id = id, repo_id = repo_id, Tag = tag, image_id = info.image_id,
        manifest = body, digest = digest, schema = info.schema,
        path = HOST .. '/' .. name .. ':' .. tag,
        internal_path = HOST .. '/' .. name .. ':' .. tag,
        size = info.size, is_trusted = false,
        created = rfc3339(created), updated = rfc3339(updated),
        deleted = NULL, domain_id = owner, scanned = false,
        tag_type = info.tag_type, _key = tag, _u = updated}
    end
  end
  if col == 'updated' then col = '_u' end
  local out, range = sorted_page(rows, col,
                                 p.order_type == 'desc'
                                 or (not p.order_type and col == '_u'),
                                 limit, offset)
  for _, row in ipairs(out) do row._u = nil end
  return ok(200, out, range)
end

--@ tag_create
-- CreateRepoTag: POST .../repos/{repository}/tags
local function main()
  local b = fields(body('object'), {
    source_tag = {'string', true}, destination_tag = {'string', true},
    override = {'boolean'}})
  if not valid_tag(b.source_tag) then fail('TAG_INVALID', b.source_tag) end
  if not valid_tag(b.destination_tag) then
    fail('TAG_INVALID', b.destination_tag)
  end
  local name = repo_need(P1, P2, 3)
  local k = rkey(name)
  -- a repository pushed before records were kept is counted first
  repo_meta(name)
  local digest = redis.call('HGET', k .. ':tags', b.source_tag)
  if not digest then fail('TAG_UNKNOWN', b.source_tag) end
  local old = redis.call('HGET', k .. ':tags', b.destination_tag)
  if old and not b.override then
    fail('TAG_EXISTS', b.destination_tag)
  end
  if not old then
    local count = redis.call('HLEN', k .. ':tags')
    if count >= limit_of(3) then fail('TAG_QUOTA', name) end
  end
  redis.call('HSET', k .. ':tags', b.destination_tag, digest)
  redis.call('ZADD', k .. ':taglist', 0, b.destination_tag)
  local id, created = tag_meta(name, b.destination_tag)
  redis.call('HSET', k .. ':tagmeta', b.destination_tag,
             id .. ' ' .. created .. ' ' .. NOW)
  redis.call('HSET', k .. ':meta', 'updated', NOW)
  if not old then usage(P1, 'images', 1) end
  return ok(201)
end

--@ tag_delete
-- DeleteRepoTag: DELETE .../repos/{repository}/tags/{tag}; the manifest
-- stays (the registry deletes manifests by digest)
local function main()
  if not valid_tag(P3) then fail('TAG_INVALID', P3) end
  local name = repo_need(P1, P2, 7)
  local k = rkey(name)
  repo_meta(name)
  if redis.call('HDEL', k .. ':tags', P3) == 0 then
    fail('TAG_UNKNOWN', P3)
  end
  redis.call('ZREM', k .. ':taglist', P3)
  redis.call('HDEL', k .. ':tagmeta', P3)
  redis.call('HSET', k .. ':meta', 'updated', NOW)
  usage(P1, 'images', -1)
  return ok(204)
end
