-- Quotas and account information (swr-api.md 4.12), from the usage
-- counters the registry and the management API keep per organization
-- (swr:ns:{<ns>}:usage: repos, images, size, downflow) summed over the
-- caller's account's organizations (swr:account:{<id>}:namespaces), and
-- what deleted organizations left the account (downloads in
-- swr:account:{<id>}:usage, daily history under swr:retired:{<id>}:<n>).
-- P1 project id (checked by the module), or resource type and P2 the
-- frequency (reports).

local function account_namespaces()
  if A == '' then return {} end
  local list = redis.call('SMEMBERS', 'swr:account:{' .. A .. '}:namespaces')
  table.sort(list)
  return list
end

-- an organization's name (swr-api.md 1.6, R1)
local function valid_ns(s)
  if #s < 1 or #s > 64 or string.find(s, '[^a-z0-9._-]')
     or not string.find(s, '^[a-z]') or not string.find(s, '[a-z0-9]$')
  then
    return false
  end
  for run in string.gmatch(s, '[._-]+') do
    if not (run == '.' or run == '_' or run == '__'
            or string.find(run, '^%-+$')) then
      return false
    end
  end
  return true
end

local function totals()
  local t = {namespaces = 0, repos = 0, images = 0, size = 0,
             downflow = 0}
  if A ~= '' then
    t.downflow = tonumber(redis.call('HGET', 'swr:account:{' .. A
                                     .. '}:usage', 'downflow') or '0')
                 or 0
  end
  for _, ns in ipairs(account_namespaces()) do
    if redis.call('HGET', nskey(ns), 'account') == A then
      local u = redis.call('HMGET', nskey(ns) .. ':usage', 'repos',
                           'images', 'size', 'downflow')
      t.namespaces = t.namespaces + 1
      t.repos = t.repos + (tonumber(u[1] or '0') or 0)
      t.images = t.images + (tonumber(u[2] or '0') or 0)
      t.size = t.size + (tonumber(u[3] or '0') or 0)
      t.downflow = t.downflow + (tonumber(u[4] or '0') or 0)
    end
  end
  return t
end

--@ quota_list
-- ListQuotas: GET /v2/manage/projects/{project_id}/quotas[?namespace=&
-- repository=]: the tag quota's "used" is that repository's tag count
local function main()
  local t = totals()
  local tags = 0
  if Q.namespace and not Q.repository then
    fail('PARAM_MISSING', 'repository (with namespace)')
  end
  if Q.repository and not Q.namespace then
    fail('PARAM_MISSING', 'namespace (with repository)')
  end
  if Q.namespace and Q.repository then
    local repo = string.gsub(Q.repository, '%$', '/')
    if not valid_repo(repo) then fail('REPO_INVALID', repo) end
    -- no organization has a name outside the rule
    if not valid_ns(Q.namespace) then fail('NS_UNKNOWN', Q.namespace) end
    local name = repo_need(Q.namespace, repo, 1)
    tags = redis.call('HLEN', rkey(name) .. ':tags')
  end
  return ok(200, {quotas = arr({
    {quota_key = 'namespace', quota_limit = limit_of(1), unit = '',
     used = t.namespaces},
    {quota_key = 'repository', quota_limit = limit_of(2), unit = '',
     used = t.repos},
    {quota_key = 'tag', quota_limit = limit_of(3), unit = '',
     used = tags}})})
end

--@ feature_gates
-- ShowShareFeatureGates: GET /v2/manage/projects/{project_id}/feature-gates
local function main()
  return ok(200, {enable_experience = false, enable_hss_service = false,
                  enable_image_scan = false, enable_sm3 = false,
                  enable_image_sync = false, enable_cci_service = false,
                  enable_image_label = false, enable_pipeline = false})
end

--@ overview
-- ShowDomainOverview: GET /v2/manage/overview ("namspace_num" sic)
local function main()
  local t = totals()
  return ok(200, {domain_id = A, domain_name = account_name(A),
                  namspace_num = t.namespaces, repo_num = t.repos,
                  image_num = t.images, store_space = t.size,
                  downflow_size = t.downflow})
end

--@ report
-- ShowDomainResourceReports: GET /v2/manage/reports/{downflow|store}/daily:
-- bytes downloaded each day, or bytes stored at the end of each day
local function main()
  if P1 ~= 'downflow' and P1 ~= 'store' then
    fail('PARAM_INVALID', 'resource_type ' .. P1)
  end
  if P2 ~= 'daily' then fail('PARAM_INVALID', 'frequency ' .. P2) end
  local per, dates, seen, sources = {}, {}, {}, {}
  for _, ns in ipairs(account_namespaces()) do
    if redis.call('HGET', nskey(ns), 'account') == A then
      sources[#sources + 1] = nskey(ns)
    end
  end
  if A ~= '' then
    local retired = redis.call('SMEMBERS',
                               'swr:account:{' .. A .. '}:retired')
    table.sort(retired)
    for _, base in ipairs(retired) do sources[#sources + 1] = base end
  end
  for _, src in ipairs(sources) do
    local h = redis.call('HGETALL', src .. ':daily:' .. P1)
    local m = {}
    for i = 1, #h, 2 do
      m[h[i]] = tonumber(h[i + 1]) or 0
      if not seen[h[i]] then
        seen[h[i]] = true
        dates[#dates + 1] = h[i]
      end
    end
    per[#per + 1] = m
  end
  table.sort(dates)
  local out, last = arr(), {}
  for _, d in ipairs(dates) do
    local v = 0
    for i, m in ipairs(per) do
      if P1 == 'store' then
        if m[d] then last[i] = m[d] end
        v = v + (last[i] or 0)
      else
        v = v + (m[d] or 0)
      end
    end
    out[#out + 1] = {date = d, value = v}
  end
  return ok(200, out)
end
