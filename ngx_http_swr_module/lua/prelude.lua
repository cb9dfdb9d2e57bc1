-- The start of every management script (util/lua2c puts it in front of
-- each operation of the other files).  A script validates its input,
-- authorizes the caller, changes what it changes and renders the answer
-- in one atomic step on one Redis.
--
-- ARGV: user account admin now host p1 p2 p3 query body limits
--   query   the query string's arguments as a JSON object
--   body    the request body as received ('' for none)
--   limits  "<namespaces> <repositories> <tags>" (swr_quota)
-- Answers {'ok', status, body[, content-range]} or {'err', name, detail}.

local U, A, ADM = ARGV[1], ARGV[2], ARGV[3]
local NOW, HOST = tonumber(ARGV[4]), ARGV[5]
local P1, P2, P3 = ARGV[6], ARGV[7], ARGV[8]
local QRAW, BODY, LIMITS = ARGV[9], ARGV[10], ARGV[11]

local FAIL = {}

local function fail(name, detail)
  error({FAIL, name, detail or ''})
end

-- JSON out: arrays are tables marked by arr(), null is NULL

local ARR, NULL = {}, {}

local function arr(t)
  return setmetatable(t or {}, ARR)
end

local enc
enc = function(v)
  if v == NULL then return 'null' end
  local t = type(v)
  if t == 'string' then
    return (string.gsub(cjson.encode(v), '\\/', '/'))
  end
  if t == 'boolean' then return v and 'true' or 'false' end
  if t == 'number' then
    if v == math.floor(v) and math.abs(v) < 2 ^ 53 then
      return string.format('%d', v)
    end
    return cjson.encode(v)
  end
  local o = {}
  if getmetatable(v) == ARR then
    for i = 1, #v do o[i] = enc(v[i]) end
    return '[' .. table.concat(o, ',') .. ']'
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  for i, k in ipairs(keys) do
    o[i] = cjson.encode(k) .. ':' .. enc(v[k])
  end
  return '{' .. table.concat(o, ',') .. '}'
end

-- times: Unix seconds <-> RFC 3339 UTC

local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100)
              + doy
  return era * 146097 + doe - 719468
end

local function civil(t)
  local z = math.floor(t / 86400) + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460)
                          + math.floor(doe / 36524)
                          - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4)
                     - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end

local function rfc3339(t)
  t = tonumber(t) or 0
  local y, m, d = civil(t)
  local s = t % 86400
  return string.format('%04d-%02d-%02dT%02d:%02d:%02dZ', y, m, d,
                       math.floor(s / 3600), math.floor(s % 3600 / 60),
                       s % 60)
end

local function day(t)
  local y, m, d = civil(tonumber(t) or 0)
  return string.format('%04d-%02d-%02d', y, m, d)
end

-- "2018-10-01T16:00:00Z", fractions and "+hh:mm" offsets too; nil if not
local function parse_time(s)
  local y, mo, d, h, mi, se, rest =
    string.match(s, '^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)(.*)$')
  if not y then return nil end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  h, mi, se = tonumber(h), tonumber(mi), tonumber(se)
  if mo < 1 or mo > 12 or d < 1 or d > 31 or h > 23 or mi > 59
     or se > 60 then
    return nil
  end
  rest = string.gsub(rest, '^%.%d+', '')
  local off = 0
  if rest ~= 'Z' and rest ~= 'z' then
    local sign, oh, om = string.match(rest, '^([+-])(%d%d):(%d%d)$')
    if not sign then return nil end
    off = (tonumber(oh) * 60 + tonumber(om)) * 60
    if sign == '-' then off = -off end
  end
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off
end

-- names (swr-api.md 1.6)

local function valid_repo(s)
  if #s < 1 or #s > 128 or string.find(s, '[^a-z0-9._/-]')
     or not string.find(s, '^[a-z0-9]') or not string.find(s, '[a-z0-9]$')
  then
    return false
  end
  for run in string.gmatch(s, '[._/-]+') do
    if not (run == '.' or run == '_' or run == '__' or run == '/'
            or string.find(run, '^%-+$')) then
      return false
    end
  end
  return true
end

local function valid_tag(s)
  return #s >= 1 and #s <= 128
         and string.find(s, '^[A-Za-z0-9_][A-Za-z0-9_.-]*$') ~= nil
end

-- the request: query arguments and body

local Q = cjson.decode(QRAW)

local function body(kind)
  if BODY == '' then fail('BODY_INVALID', 'no body') end
  local first = string.match(BODY, '^%s*(.)')
  local ok, v = pcall(cjson.decode, BODY)
  if not ok then fail('BODY_INVALID', 'malformed JSON') end
  if kind == 'object' and first ~= '{' then
    fail('BODY_INVALID', 'the body must be a JSON object')
  end
  if kind == 'array' and first ~= '[' then
    fail('BODY_INVALID', 'the body must be a JSON array')
  end
  return v
end

-- fields of an object: spec = {name = {type, mandatory}}; types are
-- 'string', 'boolean', 'integer'; unknown fields are refused
local function fields(o, spec, where)
  if type(o) ~= 'table' or o[1] ~= nil then
    fail('BODY_INVALID', (where or 'the body') .. ' must be an object')
  end
  for k, v in pairs(o) do
    local s = spec[k]
    if not s then fail('BAD_REQUEST', 'unknown field ' .. k) end
    local ok
    if s[1] == 'integer' then
      ok = type(v) == 'number' and v == math.floor(v)
    else
      ok = type(v) == s[1]
    end
    if not ok then
      if k == 'is_public' then
        fail('PUBLIC_INVALID', 'is_public must be a boolean')
      end
      fail('BODY_INVALID', k .. ' must be ' .. (s[1] == 'integer'
           and 'an integer' or 'a ' .. s[1]))
    end
  end
  for k, s in pairs(spec) do
    if s[2] and o[k] == nil then fail('PARAM_MISSING', k) end
  end
  return o
end

-- the list parameters: individual ones, or "filter" (which wins)
local function list_params(allowed)
  local p = {}
  if Q.filter and Q.filter ~= '' then
    for pair in string.gmatch(Q.filter .. '|', '([^|]*)|') do
      local i = string.find(pair, '::', 1, true)
      if not i then fail('FILTER_INVALID', pair) end
      local k, v = string.sub(pair, 1, i - 1), string.sub(pair, i + 2)
      if not allowed[k] or p[k] then fail('FILTER_INVALID', pair) end
      p[k] = v
    end
  else
    for k in pairs(allowed) do
      if k ~= 'filter' and Q[k] then p[k] = Q[k] end
    end
  end
  return p
end

-- limit/offset (default limit, maximum 1000); nil limit: all rows
local function page(p, default)
  local limit, offset = default, 0
  if p.limit then
    if not string.find(p.limit, '^%d+$') or tonumber(p.limit) > 1000 then
      fail('PAGINATION_INVALID', 'limit ' .. p.limit)
    end
    limit = tonumber(p.limit)
  end
  if p.offset then
    if not string.find(p.offset, '^%d+$') then
      fail('PAGINATION_INVALID', 'offset ' .. p.offset)
    end
    offset = tonumber(p.offset)
  end
  return limit, offset
end

-- sort rows by a column, then the page of it and its Content-Range
local function sorted_page(rows, col, desc, limit, offset)
  table.sort(rows, function(a, b)
    local x, y = a[col], b[col]
    if type(x) == 'boolean' then x, y = x and 1 or 0, y and 1 or 0 end
    if x == y then
      if desc then return a._key > b._key end
      return a._key < b._key
    end
    if desc then return x > y end
    return x < y
  end)
  local out = arr()
  local last = #rows
  if limit then last = math.min(#rows, offset + limit) end
  for i = offset + 1, last do
    rows[i]._key = nil
    out[#out + 1] = rows[i]
  end
  return out, string.format('%d-%d/%d', offset, #out, #rows)
end

-- identity and levels (docs/redis-schema.md, "Identity and grants")

local function nskey(ns) return 'swr:ns:{' .. ns .. '}' end
local function rkey(repo) return 'swr:{r:' .. repo .. '}' end

local function ns_split(repo)
  return string.match(repo, '^[^/]+') or repo
end

-- an organization's number in the management API, given on first sight
-- to one made without it
local function ns_id(ns)
  local id = redis.call('HGET', nskey(ns), 'id')
  if not id then
    id = redis.call('INCR', 'swr:ns:seq')
    redis.call('HSET', nskey(ns), 'id', id)
    redis.call('ZADD', 'swr:namespaces', 0, ns)
  end
  return tonumber(id)
end

local function ns_owner(ns)
  return redis.call('HGET', nskey(ns), 'account')
end

local function ns_level(ns, owner)
  if ADM == '1' and A ~= '' and owner == A then return 7 end
  if U == '' then return 0 end
  return tonumber(redis.call('HGET', nskey(ns) .. ':grants', U) or '0')
         or 0
end

local function share_valid(deadline)
  return deadline and (tonumber(deadline) == 0
                       or tonumber(deadline) > NOW)
end

-- the caller's level on a repository and what it is made of
local function repo_level(repo, owner)
  local ns = ns_split(repo)
  local best = ns_level(ns, owner)
  local rg = 0
  if U ~= '' then
    rg = tonumber(redis.call('HGET', rkey(repo) .. ':grants', U) or '0')
         or 0
  end
  if rg > best then best = rg end
  if best < 1 and redis.call('HGET', rkey(repo) .. ':meta', 'public')
                  == '1' then
    best = 1
  end
  if best < 1 and A ~= ''
     and share_valid(redis.call('HGET', rkey(repo) .. ':shares', A)) then
    best = 1
  end
  return best
end


-- the organization, looked up for a caller: unknown when he has no level
-- on it (as ShowNamespace answers him), else refused below the level
-- needed
local function ns_need(ns, need)
  local owner = ns_owner(ns)
  if not owner then fail('NS_UNKNOWN', ns) end
  local lvl = ns_level(ns, owner)
  if lvl < 1 then fail('NS_UNKNOWN', ns) end
  if lvl < need then fail('DENIED', ns) end
  return owner, lvl
end

local function repo_exists(repo)
  local k = rkey(repo)
  return redis.call('EXISTS', k .. ':meta', k .. ':manifests',
                    k .. ':tags', k .. ':blobs') > 0
end

-- the repository, looked up for a caller who needs a level on it: one he
-- may not read is unknown, and so is its organization when he has no
-- level on that either (a grant on another of its repositories, or one
-- of them being public, does not show him the organization)
local function repo_need(ns, repo, need)
  local owner = ns_owner(ns)
  if not owner then fail('NS_UNKNOWN', ns) end
  local name = ns .. '/' .. repo
  local lvl = repo_level(name, owner)
  if lvl < 1 or not repo_exists(name) then
    if lvl < 1 and ns_level(ns, owner) < 1 then
      fail('NS_UNKNOWN', ns)
    end
    fail('REPO_UNKNOWN', name)
  end
  if lvl < need then fail('DENIED', name) end
  return name, owner, lvl
end

-- a repository's record: made on first sight for one pushed before the
-- registry kept records (and then counted in its organization's usage)
local function repo_meta(name)
  local k = rkey(name) .. ':meta'
  local m = redis.call('HMGET', k, 'id', 'public', 'category',
                       'description', 'created', 'updated', 'creator',
                       'downloads', 'size')
  if not m[1] then
    m[1] = tostring(redis.call('INCR', 'swr:repo:seq'))
    redis.call('HSET', k, 'id', m[1])
  end
  if not m[5] then
    m[5] = tostring(NOW)
    redis.call('HSET', k, 'created', m[5])
    local ns = ns_split(name)
    redis.call('HINCRBY', nskey(ns) .. ':usage', 'repos', 1)
    redis.call('HINCRBY', nskey(ns) .. ':usage', 'images',
               redis.call('HLEN', rkey(name) .. ':tags'))
  end
  return {id = tonumber(m[1]), public = m[2] == '1',
          category = m[3] or 'other', description = m[4] or '',
          created = tonumber(m[5]), updated = tonumber(m[6] or m[5]),
          creator = m[7] or '', downloads = tonumber(m[8] or '0') or 0,
          size = tonumber(m[9] or '0') or 0}
end

local function user_name(id)
  if not id or id == '' then return '' end
  return redis.call('HGET', 'swr:user:{' .. id .. '}', 'name') or ''
end

local function account_name(id)
  if not id or id == '' then return '' end
  return redis.call('HGET', 'swr:account:{' .. id .. '}', 'name') or ''
end

local function limit_of(i)
  local l = {}
  for n in string.gmatch(LIMITS, '%d+') do l[#l + 1] = tonumber(n) end
  return l[i] or 0
end

-- usage counters of an organization (docs/redis-schema.md, "Usage")
local function usage(ns, field, delta)
  if delta ~= 0 then
    redis.call('HINCRBY', nskey(ns) .. ':usage', field, delta)
  end
end

local CATEGORIES = {app_server = 1, linux = 1, framework_app = 1,
                    database = 1, lang = 1, other = 1, windows = 1,
                    arm = 1, arms = 1}

local function category(c)
  if not CATEGORIES[c] then fail('PARAM_INVALID', 'category ' .. c) end
  if c == 'arms' then return 'arm' end
  return c
end

local function ok(status, out, range)
  local b = ''
  if out ~= nil then b = enc(out) end
  if range then return {'ok', tostring(status), b, range} end
  return {'ok', tostring(status), b}
end
