
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED
#endif
#include <openssl/sha.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_redis.h"
#include "ngx_http_swr_store.h"


typedef struct {
    ngx_http_swr_script_t          *script;
    ngx_http_swr_cmd_t             *cmd;
    ngx_http_swr_redis_handler_pt   handler;
    void                           *data;
    unsigned                        retried:1;
} ngx_http_swr_script_call_t;


static void ngx_http_swr_script_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);


/*
 * The scripts.  Every key a script touches belongs to one repository and
 * so to one Redis Cluster slot (the {r:<name>} hash tag), except where a
 * comment says otherwise.
 */

/*
 * A user's level on a repository (docs/redis-schema.md, "Identity and
 * grants"): 7 as an administrator of the account that owns the namespace,
 * his grants on the namespace and on the repository, 1 for a public one or
 * one shared with his account until a deadline ahead; for the scripts
 * that need it (the keys it reads depend on its arguments: one Redis, not
 * a cluster).
 */

#define NGX_HTTP_SWR_LUA_LEVEL                                               \
    "local function swr_level(user, account, admin, now, repo)\n"            \
    "  local ns = string.match(repo, '^[^/]+') or repo\n"                   \
    "  local nk = 'swr:ns:{' .. ns .. '}'\n"                                 \
    "  local rk = 'swr:{r:' .. repo .. '}'\n"                                \
    "  local best = 0\n"                                                    \
    "  if admin == '1' and account ~= ''\n"                                 \
    "     and redis.call('HGET', nk, 'account') == account then\n"          \
    "    return 7\n"                                                        \
    "  end\n"                                                               \
    "  if user ~= '' then\n"                                                \
    "    local g = tonumber(redis.call('HGET', nk .. ':grants', user)\n"    \
    "                       or '0') or 0\n"                                 \
    "    if g > best then best = g end\n"                                   \
    "    g = tonumber(redis.call('HGET', rk .. ':grants', user) or '0')\n"  \
    "        or 0\n"                                                        \
    "    if g > best then best = g end\n"                                   \
    "  end\n"                                                               \
    "  if best < 1 and redis.call('HGET', rk .. ':meta', 'public') == '1'\n"\
    "  then\n"                                                              \
    "    best = 1\n"                                                        \
    "  end\n"                                                               \
    "  if best < 1 and account ~= '' then\n"                                \
    "    local d = redis.call('HGET', rk .. ':shares', account)\n"          \
    "    if d and (tonumber(d) == 0 or tonumber(d) > now) then\n"           \
    "      best = 1\n"                                                      \
    "    end\n"                                                             \
    "  end\n"                                                               \
    "  return best\n"                                                       \
    "end\n"


static const char  *ngx_http_swr_scripts[] = {

    /*
     * manifest put: every referenced blob and child manifest is here;
     * then the manifest, its tag and subject; the repository's record
     * (made on its first image, docs/redis-schema.md "Repositories"), the
     * tag's id and times, the image's size, and the organization's usage
     * counters (the last two keys are the organization's, not the
     * repository's: one Redis, or a cluster without them)
     * KEYS: blobs manifests bodies tags taglist subjects referrers meta
     *       tagmeta sizes usage daily-store
     * ARGV: digest meta body tag subject descriptor now day tag-limit
     *       pusher repository-limit nblobs blob... nmanifests manifest...
     * The repository quota counts the repositories of every organization
     * of the account that owns this one (keys built here: one Redis).
     * Answers {'ok', 'new' when the repository's record was made}.
     */

    "local size = string.len(ARGV[3])\n"
    "local i = 13\n"
    "for j = 1, tonumber(ARGV[12]) do\n"
    "  local s = redis.call('HGET', KEYS[1], ARGV[i])\n"
    "  if not s then return {'blob', ARGV[i]} end\n"
    "  size = size + (tonumber(s) or 0)\n"
    "  i = i + 1\n"
    "end\n"
    "local n = tonumber(ARGV[i])\n"
    "i = i + 1\n"
    "for j = 1, n do\n"
    "  local m = redis.call('HGET', KEYS[2], ARGV[i])\n"
    "  if not m then return {'manifest', ARGV[i]} end\n"
    "  size = size + (tonumber(string.match(m, '^%d+')) or 0)\n"
    "  i = i + 1\n"
    "end\n"
    "local tag, now = ARGV[4], ARGV[7]\n"
    "local newtag = tag ~= '' and redis.call('HEXISTS', KEYS[4], tag) == 0\n"
    "if newtag and redis.call('HLEN', KEYS[4]) >= tonumber(ARGV[9]) then\n"
    "  return {'quota'}\n"
    "end\n"
    "local new = not redis.call('HGET', KEYS[8], 'created')\n"
    "if new then\n"
    "  local acct = redis.call('HGET', string.sub(KEYS[11], 1, -7),\n"
    "                          'account')\n"
    "  if acct then\n"
    "    local used = 0\n"
    "    for _, ns in ipairs(redis.call('SMEMBERS', 'swr:account:{'\n"
    "                                   .. acct .. '}:namespaces')) do\n"
    "      used = used + (tonumber(redis.call('HGET', 'swr:ns:{' .. ns\n"
    "                                         .. '}:usage', 'repos'))\n"
    "                     or 0)\n"
    "    end\n"
    "    if used >= tonumber(ARGV[11]) then return {'repo_quota'} end\n"
    "  end\n"
    "end\n"
    "if new then\n"
    "  redis.call('HSET', KEYS[8], 'created', now)\n"
    "  redis.call('HSETNX', KEYS[8], 'category', 'other')\n"
    "  if ARGV[10] ~= '' then\n"
    "    redis.call('HSETNX', KEYS[8], 'creator', ARGV[10])\n"
    "  end\n"
    "  redis.call('HINCRBY', KEYS[11], 'repos', 1)\n"
    "  redis.call('HINCRBY', KEYS[11], 'images',\n"
    "             redis.call('HLEN', KEYS[4]))\n"
    "end\n"
    "redis.call('HSET', KEYS[8], 'updated', now)\n"
    "if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then\n"
    "  redis.call('HSET', KEYS[10], ARGV[1], size)\n"
    "  redis.call('HINCRBY', KEYS[8], 'size', size)\n"
    "  redis.call('HSET', KEYS[12], ARGV[8],\n"
    "             redis.call('HINCRBY', KEYS[11], 'size', size))\n"
    "end\n"
    "redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])\n"
    "redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])\n"
    "if tag ~= '' then\n"
    "  redis.call('HSET', KEYS[4], tag, ARGV[1])\n"
    "  redis.call('ZADD', KEYS[5], 0, tag)\n"
    "  local id, created = string.match(redis.call('HGET', KEYS[9], tag)\n"
    "                                   or '', '^(%d+) (%d+)')\n"
    "  if not id then\n"
    "    id, created = redis.call('HINCRBY', KEYS[8], 'tagseq', 1), now\n"
    "  end\n"
    "  redis.call('HSET', KEYS[9], tag, id .. ' ' .. created .. ' ' .. now)\n"
    "  if newtag then redis.call('HINCRBY', KEYS[11], 'images', 1) end\n"
    "end\n"
    "if ARGV[5] ~= '' then\n"
    "  redis.call('HSET', KEYS[6], ARGV[1], ARGV[5])\n"
    "  redis.call('HSET', KEYS[7], ARGV[1], ARGV[6])\n"
    "end\n"
    "return {'ok', new and 'new' or ''}\n",

    /*
     * manifest get; a GET (not a HEAD) counts as a pull of the repository
     * (one the Accept check then refuses is taken back: the rare case pays
     * the second command, not every pull)
     * KEYS: tags manifests bodies blobs meta
     * ARGV: reference is_tag want_body
     */

    "local function unknown()\n"
    "  if redis.call('EXISTS', KEYS[2]) == 0\n"
    "     and redis.call('EXISTS', KEYS[4]) == 0 then\n"
    "    return {'name'}\n"
    "  end\n"
    "  return {'manifest'}\n"
    "end\n"
    "local d = ARGV[1]\n"
    "if ARGV[2] == '1' then\n"
    "  d = redis.call('HGET', KEYS[1], d)\n"
    "  if not d then return unknown() end\n"
    "end\n"
    "local meta = redis.call('HGET', KEYS[2], d)\n"
    "if not meta then return unknown() end\n"
    "if ARGV[3] == '1' then\n"
    "  redis.call('HINCRBY', KEYS[5], 'downloads', 1)\n"
    "  return {'ok', d, meta, redis.call('HGET', KEYS[3], d)}\n"
    "end\n"
    "return {'ok', d, meta}\n",

    /*
     * manifest delete (by digest): the manifest, every tag on it, its
     * entry in its subject's referrers; the usage counters follow
     * KEYS: tags taglist manifests bodies subjects blobs meta tagmeta
     *       sizes usage daily-store
     * ARGV: digest referrers-key-prefix day
     */

    "if redis.call('HDEL', KEYS[3], ARGV[1]) == 0 then\n"
    "  if redis.call('EXISTS', KEYS[3]) == 0\n"
    "     and redis.call('EXISTS', KEYS[6]) == 0 then\n"
    "    return 'name'\n"
    "  end\n"
    "  return 'manifest'\n"
    "end\n"
    "redis.call('HDEL', KEYS[4], ARGV[1])\n"
    "local t = redis.call('HGETALL', KEYS[1])\n"
    "local n = 0\n"
    "for i = 1, #t, 2 do\n"
    "  if t[i + 1] == ARGV[1] then\n"
    "    redis.call('HDEL', KEYS[1], t[i])\n"
    "    redis.call('ZREM', KEYS[2], t[i])\n"
    "    redis.call('HDEL', KEYS[8], t[i])\n"
    "    n = n + 1\n"
    "  end\n"
    "end\n"
    "if n > 0 then redis.call('HINCRBY', KEYS[10], 'images', -n) end\n"
    "local size = tonumber(redis.call('HGET', KEYS[9], ARGV[1]) or '0')\n"
    "if size and size > 0 then\n"
    "  redis.call('HDEL', KEYS[9], ARGV[1])\n"
    "  redis.call('HINCRBY', KEYS[7], 'size', -size)\n"
    "  redis.call('HSET', KEYS[11], ARGV[3],\n"
    "             redis.call('HINCRBY', KEYS[10], 'size', -size))\n"
    "end\n"
    "local s = redis.call('HGET', KEYS[5], ARGV[1])\n"
    "if s then\n"
    "  redis.call('HDEL', KEYS[5], ARGV[1])\n"
    "  redis.call('HDEL', ARGV[2] .. s, ARGV[1])\n"
    "end\n"
    "return 'ok'\n",

    /*
     * tag delete
     * KEYS: tags taglist manifests blobs tagmeta usage
     * ARGV: tag
     */

    "if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then\n"
    "  if redis.call('EXISTS', KEYS[3]) == 0\n"
    "     and redis.call('EXISTS', KEYS[4]) == 0 then\n"
    "    return 'name'\n"
    "  end\n"
    "  return 'manifest'\n"
    "end\n"
    "redis.call('ZREM', KEYS[2], ARGV[1])\n"
    "redis.call('HDEL', KEYS[5], ARGV[1])\n"
    "redis.call('HINCRBY', KEYS[6], 'images', -1)\n"
    "return 'ok'\n",

    /*
     * tags list: nil for an unknown repository
     * KEYS: taglist manifests blobs
     * ARGV: start count (-1: all)
     */

    "if redis.call('EXISTS', KEYS[2]) == 0\n"
    "   and redis.call('EXISTS', KEYS[3]) == 0 then\n"
    "  return false\n"
    "end\n"
    "if tonumber(ARGV[2]) < 0 then\n"
    "  return redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], '+')\n"
    "end\n"
    "return redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], '+',\n"
    "                  'LIMIT', 0, ARGV[2])\n",

    /*
     * upload claim: the upload exists for this repository, the chunk
     * starts where the upload ends, nobody else writes to it; answers
     * the offset, the hash state and the objects staged on a store
     * KEYS: upload lock staged
     * ARGV: repository start(-1: any) token lock-ttl-ms
     */

    "local u = redis.call('HMGET', KEYS[1], 'repo', 'offset', 'state')\n"
    "if not u[1] or u[1] ~= ARGV[1] then return {'unknown'} end\n"
    "if tonumber(ARGV[2]) >= 0 and tonumber(ARGV[2]) ~= tonumber(u[2])\n"
    "then\n"
    "  return {'range', u[2]}\n"
    "end\n"
    "if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[4]) then\n"
    "  return {'busy', u[2]}\n"
    "end\n"
    "return {'ok', u[2], u[3], redis.call('LRANGE', KEYS[3], 0, -1)}\n",

    /*
     * upload commit: a chunk is on storage, move the offset; on a store,
     * the object staged for it replaces the last ones it merged
     * KEYS: upload lock staged
     * ARGV: token old-offset new-offset state ttl [replaced staged...]
     */

    "if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 'lost' end\n"
    "redis.call('DEL', KEYS[2])\n"
    "if redis.call('HGET', KEYS[1], 'offset') ~= ARGV[2] then\n"
    "  return 'lost'\n"
    "end\n"
    "redis.call('HSET', KEYS[1], 'offset', ARGV[3], 'state', ARGV[4])\n"
    "redis.call('EXPIRE', KEYS[1], ARGV[5])\n"
    "if ARGV[7] then\n"
    "  for i = 1, tonumber(ARGV[6]) do redis.call('RPOP', KEYS[3]) end\n"
    "  for i = 7, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end\n"
    "  redis.call('EXPIRE', KEYS[3], ARGV[5])\n"
    "end\n"
    "return 'ok'\n",

    /*
     * upload unlock: a chunk failed, let the next one in
     * KEYS: lock
     * ARGV: token
     */

    "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
    "  redis.call('DEL', KEYS[1])\n"
    "end\n"
    "return 'ok'\n",

    /*
     * upload finish: the blob is verified and in place, link it to the
     * repository and forget the upload (the upload's keys and the
     * repository's are in different slots: a cluster runs this with the
     * repository link sent separately)
     * KEYS: upload lock blobs staged
     * ARGV: token digest size
     */

    "if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 'lost' end\n"
    "redis.call('DEL', KEYS[1], KEYS[2], KEYS[4])\n"
    "redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])\n"
    "return 'ok'\n",

    /*
     * authorization: who the credentials are and the level he has on
     * each repository named (docs/redis-schema.md, "Identity and
     * grants"); the keys depend on the identity, so this script needs
     * a single Redis, not a cluster
     * ARGV: mode (ak, token, user, anon) id now client client-limit
     *       id-limit auto-create namespace-quota repository...
     * answers {status, user, account, admin, sk, user name, account
     * name, level...}; status is
     * ok, unknown, disabled, expired, or limited (too many failed logins
     * of this client or this AK in the last minute).  The level of a
     * repository whose organization does not exist is "x", except for
     * one written to ("+<name>") when auto-create is "1" and the caller
     * administers his account: then the organization is made, his,
     * within the quota, and he has 7
     */

    NGX_HTTP_SWR_LUA_LEVEL
    "local now = tonumber(ARGV[3])\n"
    "local user, account, admin, sk = '', '', '0', ''\n"
    "if ARGV[1] == 'ak' or ARGV[1] == 'token' then\n"
    "  if tonumber(redis.call('GET', 'swr:fail:{ip:' .. ARGV[4] .. '}')\n"
    "              or '0') >= tonumber(ARGV[5])\n"
    "     or tonumber(redis.call('GET', 'swr:fail:{id:' .. ARGV[2] .. '}')\n"
    "                 or '0') >= tonumber(ARGV[6]) then\n"
    "    return {'limited'}\n"
    "  end\n"
    "end\n"
    "if ARGV[1] == 'ak' then\n"
    "  local k = redis.call('HMGET', 'swr:ak:{' .. ARGV[2] .. '}',\n"
    "                       'user', 'sk', 'enabled', 'expires')\n"
    "  if not k[1] then return {'unknown'} end\n"
    "  if k[3] ~= '1' then return {'disabled'} end\n"
    "  local e = tonumber(k[4] or '0') or 0\n"
    "  if e > 0 and e <= now then return {'expired'} end\n"
    "  user, sk = k[1], k[2] or ''\n"
    "elseif ARGV[1] == 'token' then\n"
    "  local t = redis.call('HMGET', 'swr:token:{' .. ARGV[2] .. '}',\n"
    "                       'user', 'expires')\n"
    "  if not t[1] then return {'unknown'} end\n"
    "  local e = tonumber(t[2] or '0') or 0\n"
    "  if e > 0 and e <= now then return {'expired'} end\n"
    "  user = t[1]\n"
    "elseif ARGV[1] == 'user' then\n"
    "  user = ARGV[2]\n"
    "end\n"
    "local uname, aname = '', ''\n"
    "if user ~= '' then\n"
    "  local u = redis.call('HMGET', 'swr:user:{' .. user .. '}',\n"
    "                       'account', 'admin', 'disabled', 'name')\n"
    "  if not u[1] then return {'unknown'} end\n"
    "  if u[3] == '1' then return {'disabled'} end\n"
    "  account, admin, uname = u[1], u[2] or '0', u[4] or ''\n"
    "  aname = redis.call('HGET', 'swr:account:{' .. account .. '}',\n"
    "                     'name') or ''\n"
    "end\n"
    "local out = {'ok', user, account, admin, sk, uname, aname}\n"
    "for i = 9, #ARGV do\n"
    "  local repo, want = ARGV[i], false\n"
    "  if string.sub(repo, 1, 1) == '+' then\n"
    "    repo, want = string.sub(repo, 2), true\n"
    "  end\n"
    "  local ns = string.match(repo, '^[^/]+') or repo\n"
    "  local nk = 'swr:ns:{' .. ns .. '}'\n"
    "  local idx = 'swr:account:{' .. account .. '}:namespaces'\n"
    "  if redis.call('EXISTS', nk) == 1 then\n"
    "    out[#out + 1] = tostring(swr_level(user, account, admin, now,\n"
    "                                         repo))\n"
    "  elseif want and ARGV[7] == '1' and admin == '1' and account ~= ''\n"
    "         and redis.call('SCARD', idx) < tonumber(ARGV[8]) then\n"
    "    redis.call('HSET', nk, 'account', account, 'creator', user,\n"
    "               'created', now, 'id', redis.call('INCR', 'swr:ns:seq'))\n"
    "    redis.call('HSET', nk .. ':grants', user, '7')\n"
    "    redis.call('ZADD', 'swr:namespaces', 0, ns)\n"
    "    redis.call('SADD', idx, ns)\n"
    "    out[#out + 1] = '7'\n"
    "  else\n"
    "    out[#out + 1] = 'x'\n"
    "  end\n"
    "end\n"
    "return out\n",

    /*
     * namespace create: unique across accounts, within the account's
     * quota; the creator gets 7; the namespace gets the next id and
     * enters the index and its account's (swr:account:{<id>}:namespaces,
     * a key built here: one Redis)
     * KEYS: swr:ns:{<ns>} swr:ns:{<ns>}:grants swr:namespaces swr:ns:seq
     * ARGV: namespace account creator now quota
     */

    "if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end\n"
    "local idx = 'swr:account:{' .. ARGV[2] .. '}:namespaces'\n"
    "if redis.call('SCARD', idx) >= tonumber(ARGV[5]) then\n"
    "  return 'quota'\n"
    "end\n"
    "redis.call('SADD', idx, ARGV[1])\n"
    "local id = redis.call('INCR', KEYS[4])\n"
    "redis.call('HSET', KEYS[1], 'account', ARGV[2], 'creator', ARGV[3],\n"
    "           'created', ARGV[4], 'id', id)\n"
    "redis.call('HSET', KEYS[2], ARGV[3], '7')\n"
    "redis.call('ZADD', KEYS[3], 0, ARGV[1])\n"
    "return 'ok'\n",

    /*
     * namespace list: the namespaces the caller may read (his account's
     * if he administers it, those he holds a grant on; with mode
     * "visible" also those where he holds a repository grant), or the
     * one named (which gets an id and an index entry if it has none)
     * KEYS: swr:namespaces swr:ns:seq swr:repos
     * ARGV: user account admin visible(1/0) namespace('' for all)
     * answers name, id, creator name, level for each, by name
     */

    "local user, account, admin = ARGV[1], ARGV[2], ARGV[3]\n"
    "local names = {}\n"
    "if ARGV[5] ~= '' then\n"
    "  names[1] = ARGV[5]\n"
    "else\n"
    "  names = redis.call('ZRANGE', KEYS[1], 0, -1)\n"
    "end\n"
    "local out = {}\n"
    "for _, ns in ipairs(names) do\n"
    "  local k = 'swr:ns:{' .. ns .. '}'\n"
    "  local h = redis.call('HMGET', k, 'account', 'creator', 'id')\n"
    "  if h[1] then\n"
    "    local best = 0\n"
    "    if admin == '1' and account ~= '' and h[1] == account then\n"
    "      best = 7\n"
    "    end\n"
    "    if best < 7 and user ~= '' then\n"
    "      local g = tonumber(redis.call('HGET', k .. ':grants', user)\n"
    "                         or '0') or 0\n"
    "      if g > best then best = g end\n"
    "    end\n"
    "    if best < 1 and ARGV[4] == '1' and user ~= '' then\n"
    "      local repos = redis.call('ZRANGEBYLEX', KEYS[3],\n"
    "                               '[' .. ns .. '/', '(' .. ns .. '0')\n"
    "      for _, repo in ipairs(repos) do\n"
    "        local g = tonumber(redis.call('HGET',\n"
    "                   'swr:{r:' .. repo .. '}:grants', user) or '0') or 0\n"
    "        if g >= 1 then best = 1 break end\n"
    "      end\n"
    "    end\n"
    "    if best >= 1 then\n"
    "      local id = h[3]\n"
    "      if not id then\n"
    "        id = tostring(redis.call('INCR', KEYS[2]))\n"
    "        redis.call('HSET', k, 'id', id)\n"
    "        redis.call('ZADD', KEYS[1], 0, ns)\n"
    "      end\n"
    "      local creator = ''\n"
    "      if h[2] and h[2] ~= '' then\n"
    "        creator = redis.call('HGET', 'swr:user:{' .. h[2] .. '}',\n"
    "                             'name') or ''\n"
    "      end\n"
    "      out[#out + 1] = ns\n"
    "      out[#out + 1] = id\n"
    "      out[#out + 1] = creator\n"
    "      out[#out + 1] = tostring(best)\n"
    "    end\n"
    "  end\n"
    "end\n"
    "return out\n",

    /*
     * namespace delete: 7 needed; refused while a repository of the
     * catalog under "<ns>/" holds anything; what is left of repositories
     * that hold nothing (grants, shares, the catalog entry) goes too; its
     * daily history stays its account's (renamed under
     * swr:retired:{<account>}:<n>, listed in swr:account:{<account>}:
     * retired; its download total added to swr:account:{<account>}:usage)
     * KEYS: swr:ns:{<ns>} swr:ns:{<ns>}:grants swr:namespaces swr:repos
     * ARGV: namespace user account admin day
     * answers ok, absent (or not visible), denied, busy
     */

    "local a = redis.call('HGET', KEYS[1], 'account')\n"
    "if not a then return 'absent' end\n"
    "local best = 0\n"
    "if ARGV[4] == '1' and ARGV[3] ~= '' and a == ARGV[3] then\n"
    "  best = 7\n"
    "end\n"
    "if best < 7 and ARGV[2] ~= '' then\n"
    "  best = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0') or 0\n"
    "end\n"
    "if best < 1 then return 'absent' end\n"
    "if best < 7 then return 'denied' end\n"
    "local repos = redis.call('ZRANGEBYLEX', KEYS[4],\n"
    "                         '[' .. ARGV[1] .. '/', '(' .. ARGV[1] .. '0')\n"
    "for _, repo in ipairs(repos) do\n"
    "  local p = 'swr:{r:' .. repo .. '}:'\n"
    "  if redis.call('EXISTS', p .. 'manifests', p .. 'blobs',\n"
    "                p .. 'tags', p .. 'meta') > 0 then\n"
    "    return 'busy'\n"
    "  end\n"
    "end\n"
    "for _, repo in ipairs(repos) do\n"
    "  local p = 'swr:{r:' .. repo .. '}:'\n"
    "  redis.call('DEL', p .. 'grants', p .. 'shares', p .. 'taglist',\n"
    "             p .. 'bodies', p .. 'subjects')\n"
    "  redis.call('ZREM', KEYS[4], repo)\n"
    "end\n"
    "local df = redis.call('HGET', KEYS[1] .. ':usage', 'downflow')\n"
    "if df then\n"
    "  redis.call('HINCRBY', 'swr:account:{' .. a .. '}:usage',\n"
    "             'downflow', df)\n"
    "end\n"
    "local base = 'swr:retired:{' .. a .. '}:'\n"
    "             .. redis.call('INCR', 'swr:retired:seq')\n"
    "local kept = false\n"
    "for _, d in ipairs({':daily:store', ':daily:downflow'}) do\n"
    "  if redis.call('EXISTS', KEYS[1] .. d) == 1 then\n"
    "    redis.call('RENAME', KEYS[1] .. d, base .. d)\n"
    "    kept = true\n"
    "  end\n"
    "end\n"
    "if kept then\n"
    "  redis.call('HSET', base .. ':daily:store', ARGV[5], 0)\n"
    "  redis.call('SADD', 'swr:account:{' .. a .. '}:retired', base)\n"
    "end\n"
    "redis.call('DEL', KEYS[1], KEYS[2], KEYS[1] .. ':usage')\n"
    "redis.call('ZREM', KEYS[3], ARGV[1])\n"
    "redis.call('SREM', 'swr:account:{' .. a .. '}:namespaces', ARGV[1])\n"
    "return 'ok'\n",

    /*
     * catalog of one caller: the repositories after "start" he may read,
     * n at most, walking the catalog as far as it takes
     * KEYS: catalog
     * ARGV: user account admin now start n
     */

    NGX_HTTP_SWR_LUA_LEVEL
    "local now, n = tonumber(ARGV[4]), tonumber(ARGV[6])\n"
    "local user, account, admin = ARGV[1], ARGV[2], ARGV[3]\n"
    "if user ~= '' and account == '' then\n"
    "  local u = redis.call('HMGET', 'swr:user:{' .. user .. '}',\n"
    "                       'account', 'admin')\n"
    "  account, admin = u[1] or '', u[2] or '0'\n"
    "end\n"
    "local out, cursor = {}, ARGV[5]\n"
    "while #out < n do\n"
    "  local batch = redis.call('ZRANGEBYLEX', KEYS[1], cursor, '+',\n"
    "                           'LIMIT', 0, 256)\n"
    "  for _, name in ipairs(batch) do\n"
    "    if swr_level(user, account, admin, now, name) >= 1 then\n"
    "      out[#out + 1] = name\n"
    "      if #out >= n then break end\n"
    "    end\n"
    "  end\n"
    "  if #batch < 256 then break end\n"
    "  cursor = '(' .. batch[#batch]\n"
    "end\n"
    "return out\n"
};


static ngx_http_swr_script_t  ngx_http_swr_script[NGX_HTTP_SWR_SCRIPT_LAST];


ngx_int_t
ngx_http_swr_store_init(ngx_conf_t *cf)
{
    ngx_uint_t  i;

    for (i = 0; i < NGX_HTTP_SWR_SCRIPT_LAST; i++) {
        ngx_http_swr_script_set(&ngx_http_swr_script[i], i,
                                (u_char *) ngx_http_swr_scripts[i],
                                ngx_strlen(ngx_http_swr_scripts[i]));
    }

    return NGX_OK;
}


/* a script's text and the SHA-1 EVALSHA names it by */

void
ngx_http_swr_script_set(ngx_http_swr_script_t *s, ngx_uint_t id,
    u_char *text, size_t len)
{
    u_char  md[SHA_DIGEST_LENGTH];

    s->id = id;
    s->text.data = text;
    s->text.len = len;

    SHA1(text, len, md);
    ngx_hex_dump(s->sha, md, SHA_DIGEST_LENGTH);
}


ngx_http_swr_cmd_t *
ngx_http_swr_cmd(ngx_pool_t *pool, ngx_uint_t n)
{
    ngx_http_swr_cmd_t  *cmd;

    cmd = ngx_palloc(pool, sizeof(ngx_http_swr_cmd_t));
    if (cmd == NULL) {
        return NULL;
    }

    if (ngx_array_init(&cmd->args, pool, n, sizeof(ngx_str_t)) != NGX_OK) {
        return NULL;
    }

    cmd->pool = pool;

    return cmd;
}


ngx_int_t
ngx_http_swr_cmd_add(ngx_http_swr_cmd_t *cmd, u_char *data, size_t len)
{
    ngx_str_t  *s;

    s = ngx_array_push(&cmd->args);
    if (s == NULL) {
        return NGX_ERROR;
    }

    s->data = data;
    s->len = len;

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_cmd_str(ngx_http_swr_cmd_t *cmd, ngx_str_t *s)
{
    return ngx_http_swr_cmd_add(cmd, s->data, s->len);
}


ngx_int_t
ngx_http_swr_cmd_cstr(ngx_http_swr_cmd_t *cmd, const char *s)
{
    return ngx_http_swr_cmd_add(cmd, (u_char *) s, ngx_strlen(s));
}


ngx_int_t
ngx_http_swr_cmd_int(ngx_http_swr_cmd_t *cmd, int64_t n)
{
    u_char  *p, *last;

    p = ngx_pnalloc(cmd->pool, NGX_INT64_LEN);
    if (p == NULL) {
        return NGX_ERROR;
    }

    last = ngx_sprintf(p, "%L", n);

    return ngx_http_swr_cmd_add(cmd, p, last - p);
}


/*
 * swr:{r:<repo>}:<what><suffix>; the braces make every key of one
 * repository hash to one Redis Cluster slot.
 */

ngx_int_t
ngx_http_swr_cmd_key(ngx_http_swr_cmd_t *cmd, ngx_str_t *repo,
    const char *what, ngx_str_t *suffix)
{
    size_t   len;
    u_char  *p, *last;

    len = sizeof("swr:{r:}:") - 1 + repo->len + ngx_strlen(what)
          + (suffix ? suffix->len : 0);

    p = ngx_pnalloc(cmd->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    last = ngx_sprintf(p, "swr:{r:%V}:%s", repo, what);

    if (suffix) {
        last = ngx_cpymem(last, suffix->data, suffix->len);
    }

    return ngx_http_swr_cmd_add(cmd, p, last - p);
}


/*
 * swr:ns:{<namespace>}<suffix>, the namespace of repository repo (its
 * name up to the first '/'): the organization's usage counters.
 */

ngx_int_t
ngx_http_swr_cmd_ns_key(ngx_http_swr_cmd_t *cmd, ngx_str_t *repo,
    const char *suffix)
{
    u_char  *p, *last, *slash;
    size_t   len;

    slash = ngx_strlchr(repo->data, repo->data + repo->len, '/');
    len = slash ? (size_t) (slash - repo->data) : repo->len;

    p = ngx_pnalloc(cmd->pool, sizeof(NGX_HTTP_SWR_KEY_NS "{}") + len
                               + ngx_strlen(suffix));
    if (p == NULL) {
        return NGX_ERROR;
    }

    last = ngx_sprintf(p, NGX_HTTP_SWR_KEY_NS "{%*s}%s", len, repo->data,
                       suffix);

    return ngx_http_swr_cmd_add(cmd, p, last - p);
}


/* today, UTC, "YYYY-MM-DD": the day of the daily usage reports */

ngx_int_t
ngx_http_swr_cmd_day(ngx_http_swr_cmd_t *cmd)
{
    u_char     *p, *last;
    ngx_tm_t    tm;

    p = ngx_pnalloc(cmd->pool, sizeof("YYYY-MM-DD") - 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    ngx_gmtime(ngx_time(), &tm);

    last = ngx_sprintf(p, "%04d-%02d-%02d", tm.ngx_tm_year, tm.ngx_tm_mon,
                       tm.ngx_tm_mday);

    return ngx_http_swr_cmd_add(cmd, p, last - p);
}


ngx_int_t
ngx_http_swr_cmd_send(ngx_http_request_t *r, ngx_http_swr_cmd_t *cmd,
    ngx_http_swr_redis_handler_pt handler, void *data)
{
    size_t      *lens;
    ngx_str_t   *args;
    ngx_uint_t   i, n;
    const char **argv;

    n = cmd->args.nelts;
    args = cmd->args.elts;

    argv = ngx_palloc(r->pool, n * sizeof(char *));
    lens = ngx_palloc(r->pool, n * sizeof(size_t));

    if (argv == NULL || lens == NULL) {
        return NGX_ERROR;
    }

    for (i = 0; i < n; i++) {
        argv[i] = (const char *) args[i].data;
        lens[i] = args[i].len;
    }

    if (handler == NULL) {
        return ngx_http_swr_redis_send_detached(r, n, argv, lens);
    }

    return ngx_http_swr_redis_send(r, handler, data, n, argv, lens);
}


/*
 * The repository enters the catalog: idempotent, sent without waiting,
 * and in another cluster slot than the repository's own keys.
 */

ngx_int_t
ngx_http_swr_store_catalog_add(ngx_http_request_t *r, ngx_str_t *repo)
{
    ngx_http_swr_cmd_t  *cmd;

    cmd = ngx_http_swr_cmd(r->pool, 4);
    if (cmd == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "ZADD") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_REPOS) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "0") != NGX_OK
        || ngx_http_swr_cmd_str(cmd, repo) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return ngx_http_swr_cmd_send(r, cmd, NULL, NULL);
}


/*
 * EVALSHA, and EVAL once when Redis does not know the script yet (after
 * a restart or SCRIPT FLUSH); cmd holds the keys, then the arguments.
 */

ngx_int_t
ngx_http_swr_script_send(ngx_http_request_t *r, ngx_uint_t script,
    ngx_uint_t nkeys, ngx_http_swr_cmd_t *cmd,
    ngx_http_swr_redis_handler_pt handler, void *data)
{
    return ngx_http_swr_script_run(r, &ngx_http_swr_script[script], nkeys,
                                   cmd, handler, data);
}


ngx_int_t
ngx_http_swr_script_run(ngx_http_request_t *r, ngx_http_swr_script_t *script,
    ngx_uint_t nkeys, ngx_http_swr_cmd_t *cmd,
    ngx_http_swr_redis_handler_pt handler, void *data)
{
    ngx_str_t                   *args;
    ngx_http_swr_cmd_t          *full;
    ngx_http_swr_script_call_t  *call;

    call = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_script_call_t));
    if (call == NULL) {
        return NGX_ERROR;
    }

    full = ngx_http_swr_cmd(r->pool, cmd->args.nelts + 3);
    if (full == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(full, "EVALSHA") != NGX_OK
        || ngx_http_swr_cmd_add(full, script->sha, 40)
           != NGX_OK
        || ngx_http_swr_cmd_int(full, nkeys) != NGX_OK)
    {
        return NGX_ERROR;
    }

    args = ngx_array_push_n(&full->args, cmd->args.nelts);
    if (args == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(args, cmd->args.elts, cmd->args.nelts * sizeof(ngx_str_t));

    call->script = script;
    call->cmd = full;
    call->handler = handler;
    call->data = data;

    return ngx_http_swr_cmd_send(r, full, ngx_http_swr_script_reply, call);
}


static void
ngx_http_swr_script_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_int_t                    rc;
    ngx_str_t                   *args;
    ngx_http_swr_script_call_t  *call = data;

    if (reply != NULL
        && reply->type == REDIS_REPLY_ERROR
        && !call->retried
        && ngx_strncmp(reply->str, "NOSCRIPT", 8) == 0)
    {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "swr redis script %ui not loaded, sending it",
                       call->script->id);

        call->retried = 1;

        args = call->cmd->args.elts;

        ngx_str_set(&args[0], "EVAL");
        args[1] = call->script->text;

        rc = ngx_http_swr_cmd_send(r, call->cmd, ngx_http_swr_script_reply,
                                   call);
        if (rc == NGX_OK) {
            return;
        }

        reply = NULL;
    }

    if (reply != NULL && reply->type == REDIS_REPLY_ERROR) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "swr redis script %ui failed: %*s",
                      call->script->id, (size_t) reply->len, reply->str);
    }

    call->handler(r, call->data, reply);
}
