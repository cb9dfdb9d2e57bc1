
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_jwt.h"
#include "ngx_http_swr_router.h"
#include "ngx_http_swr_sdk.h"
#include "ngx_http_swr_secret.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_util.h"


/*
 * Authentication and authorization of registry requests, in nginx's
 * ACCESS phase (swr_auth on).  Who asks:
 *
 *   - nobody (no Authorization): anonymous, may pull public repositories;
 *   - Basic "<region>@<AK>:<login key>", the login key being
 *     hex(HMAC-SHA256(SK, AK)) as SWR's long-term docker login command
 *     makes it (or a temporary AK of /v2/manage/utils/secret);
 *   - Bearer <token>: a token of the module's token endpoint (swr_token),
 *     verified here without asking Redis.
 *
 * Basic and anonymous requests cost one EVALSHA: the AUTHZ script answers
 * the identity and its level on the repositories concerned (the target,
 * and the source of a cross-repository mount).  What each request needs:
 * pull (1) to read, push (3) to write, manage (7) to delete; /v2/ and the
 * catalog need an identity.  An anonymous request that may not is 401
 * with the challenge; a known identity without the level is 403.
 */


typedef enum {
    NGX_HTTP_SWR_AUTH_ANON = 0,
    NGX_HTTP_SWR_AUTH_BASIC,
    NGX_HTTP_SWR_AUTH_BEARER
} ngx_http_swr_auth_scheme_e;


typedef struct {
    ngx_uint_t                scheme;
    ngx_uint_t                need;        /* level on repo; 0: identity */
    ngx_uint_t                actions;     /* the same, as token actions */
    ngx_str_t                 repo;
    ngx_str_t                 from;        /* a mount's source */
    ngx_str_t                 ak;
    ngx_str_t                 password;
    ngx_http_swr_identity_t   id;
    ngx_int_t                 rc;
    unsigned                  done:1;
    unsigned                  no_mount:1;
    unsigned                  recalled:1;
} ngx_http_swr_auth_t;


/*
 * Decisions of the last seconds, per worker: the same credentials (or
 * none) on the same repositories get the same identity and levels without
 * a trip to Redis, for swr_auth_cache (2 s by default, 0: never); a
 * changed grant or a disabled key counts after that.  Slots are found by
 * a SHA-256 over the credentials and the repositories; a wrong password
 * makes another key, so only verified credentials are remembered.
 */

#define NGX_HTTP_SWR_AUTH_SLOTS     1024
#define NGX_HTTP_SWR_AUTH_ID        64


typedef struct {
    u_char                    md[SHA256_DIGEST_LENGTH];
    time_t                    until;
    ngx_uint_t                admin;
    ngx_uint_t                nlevels;
    ngx_uint_t                level[2];
    size_t                    len[4];   /* user, account and names */
    u_char                    str[4][NGX_HTTP_SWR_AUTH_ID];
} ngx_http_swr_auth_slot_t;


static ngx_http_swr_table_t  ngx_http_swr_auth_slots;


static ngx_int_t ngx_http_swr_auth_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_auth_failed(ngx_http_request_t *r,
    ngx_int_t rc);
static void ngx_http_swr_auth_key(ngx_http_request_t *r,
    ngx_http_swr_auth_t *a, u_char *md);
static ngx_int_t ngx_http_swr_auth_recall(ngx_http_request_t *r,
    ngx_http_swr_auth_t *a);
static void ngx_http_swr_auth_remember(ngx_http_request_t *r,
    ngx_http_swr_auth_t *a);
static void ngx_http_swr_auth_strings(ngx_http_swr_identity_t *id,
    ngx_str_t **str);
static ngx_int_t ngx_http_swr_auth_need(ngx_http_request_t *r,
    ngx_http_swr_auth_t *a);
static ngx_int_t ngx_http_swr_auth_bearer(ngx_http_request_t *r,
    ngx_http_swr_auth_t *a, ngx_str_t *token);
static ngx_uint_t ngx_http_swr_auth_repos(ngx_http_request_t *r,
    ngx_http_swr_auth_t *a, ngx_str_t *repos);
static void ngx_http_swr_auth_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_auth_decide(ngx_http_request_t *r,
    ngx_http_swr_auth_t *a);
static ngx_int_t ngx_http_swr_auth_refuse(ngx_http_request_t *r,
    ngx_http_swr_auth_t *a, ngx_uint_t status, const char *why);
static ngx_int_t ngx_http_swr_auth_no_namespace(ngx_http_request_t *r,
    ngx_http_swr_auth_t *a);


static ngx_str_t  ngx_http_swr_www_authenticate =
    ngx_string("WWW-Authenticate");


static ngx_int_t
ngx_http_swr_auth_handler(ngx_http_request_t *r)
{
    ngx_int_t                 rc;
    ngx_str_t                 value, repos[2];
    ngx_uint_t                n;
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_auth_t      *a;
    ngx_http_swr_loc_conf_t  *slcf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (!slcf->auth) {
        return NGX_DECLINED;
    }

    if (slcf->role == NGX_HTTP_SWR_ROLE_MANAGE) {
        return ngx_http_swr_sdk_handler(r);
    }

    if (slcf->role != NGX_HTTP_SWR_ROLE_REGISTRY) {
        return NGX_DECLINED;
    }

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    a = ctx->auth;

    if (a) {
        return a->done ? a->rc : NGX_AGAIN;
    }

    a = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_auth_t));
    if (a == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->auth = a;
    ctx->role = NGX_HTTP_SWR_ROLE_REGISTRY;

    if (ngx_http_swr_auth_need(r, a) != NGX_OK) {

        /* not a request of the API: the content handler says so */

        a->done = 1;
        a->rc = NGX_DECLINED;
        return NGX_DECLINED;
    }

    if (r->headers_in.authorization) {
        value = r->headers_in.authorization->value;

        if (value.len > 7
            && ngx_strncasecmp(value.data, (u_char *) "Bearer ", 7) == 0)
        {
            value.data += 7;
            value.len -= 7;

            a->scheme = NGX_HTTP_SWR_AUTH_BEARER;
            rc = ngx_http_swr_auth_bearer(r, a, &value);

            if (rc != NGX_AGAIN) {
                a->done = 1;
                a->rc = rc;
            }

            return rc;
        }

        rc = ngx_http_swr_auth_basic(r, &a->ak, &a->password);

        if (rc != NGX_OK) {
            a->done = 1;
            a->rc = ngx_http_swr_auth_refuse(r, a, NGX_HTTP_UNAUTHORIZED,
                                             "malformed credentials");
            return a->rc;
        }

        a->scheme = NGX_HTTP_SWR_AUTH_BASIC;
        ctx->claimed = a->ak;       /* for the audit trail */
    }

    n = ngx_http_swr_auth_repos(r, a, repos);
    if (n == (ngx_uint_t) NGX_ERROR) {
        a->done = 1;
        a->rc = NGX_HTTP_INTERNAL_SERVER_ERROR;
        return a->rc;
    }

    /* the same credentials for the same repositories a moment ago */

    if (ngx_http_swr_auth_recall(r, a) == NGX_OK) {
        a->done = 1;
        a->rc = ngx_http_swr_auth_decide(r, a);
        return a->rc;
    }

    rc = ngx_http_swr_auth_query(r, "ak",
                                 a->scheme == NGX_HTTP_SWR_AUTH_BASIC
                                 ? &a->ak : NULL,
                                 repos, n, ngx_http_swr_auth_reply, a);

    if (rc != NGX_OK) {
        a->done = 1;
        a->rc = ngx_http_swr_auth_failed(r, rc);
        return a->rc;
    }

    return NGX_AGAIN;
}


static void
ngx_http_swr_auth_key(ngx_http_request_t *r, ngx_http_swr_auth_t *a,
    u_char *md)
{
    SHA256_CTX  sha;

    SHA256_Init(&sha);
    SHA256_Update(&sha, a->scheme == NGX_HTTP_SWR_AUTH_BASIC ? "b" : "a", 1);
    SHA256_Update(&sha, a->ak.data, a->ak.len);
    SHA256_Update(&sha, "\n", 1);
    SHA256_Update(&sha, a->password.data, a->password.len);
    SHA256_Update(&sha, "\n", 1);
    SHA256_Update(&sha, a->repo.data, a->repo.len);
    SHA256_Update(&sha, "\n", 1);
    SHA256_Update(&sha, a->from.data, a->from.len);
    SHA256_Final(md, &sha);
}


static ngx_int_t
ngx_http_swr_auth_recall(ngx_http_request_t *r, ngx_http_swr_auth_t *a)
{
    ngx_str_t                 *str[4];
    ngx_uint_t                 i;
    ngx_http_swr_auth_slot_t  *slot;
    u_char                     md[SHA256_DIGEST_LENGTH];

    slot = ngx_http_swr_worker_table(&ngx_http_swr_auth_slots,
                                     NGX_HTTP_SWR_AUTH_SLOTS
                                     * sizeof(ngx_http_swr_auth_slot_t), 0);
    if (slot == NULL) {
        return NGX_DECLINED;
    }

    ngx_http_swr_auth_key(r, a, md);

    slot += (md[0] << 8 | md[1]) % NGX_HTTP_SWR_AUTH_SLOTS;

    if (slot->until <= ngx_time()
        || ngx_memcmp(slot->md, md, SHA256_DIGEST_LENGTH) != 0)
    {
        return NGX_DECLINED;
    }

    a->id.admin = slot->admin;
    a->id.nlevels = slot->nlevels;

    for (i = 0; i < slot->nlevels; i++) {
        a->id.level[i] = slot->level[i];
    }

    ngx_http_swr_auth_strings(&a->id, str);

    if (ngx_http_swr_slot_strings(r->pool, str, 4, slot->len, slot->str[0],
                                  sizeof(slot->str[0]))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    a->recalled = 1;

    return NGX_OK;
}


static void
ngx_http_swr_auth_remember(ngx_http_request_t *r, ngx_http_swr_auth_t *a)
{
    ngx_str_t                 *str[4];
    ngx_uint_t                 i;
    ngx_http_swr_auth_slot_t  *slot;
    ngx_http_swr_main_conf_t  *smcf;
    u_char                     md[SHA256_DIGEST_LENGTH];

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    ngx_http_swr_auth_strings(&a->id, str);

    if (smcf->auth_cache == 0 || a->id.nlevels > 2) {
        return;
    }

    for (i = 0; i < 4; i++) {
        if (str[i]->len > NGX_HTTP_SWR_AUTH_ID) {
            return;
        }
    }

    slot = ngx_http_swr_worker_table(&ngx_http_swr_auth_slots,
                                     NGX_HTTP_SWR_AUTH_SLOTS
                                     * sizeof(ngx_http_swr_auth_slot_t), 1);
    if (slot == NULL) {
        return;
    }

    ngx_http_swr_auth_key(r, a, md);

    slot += (md[0] << 8 | md[1]) % NGX_HTTP_SWR_AUTH_SLOTS;

    ngx_memcpy(slot->md, md, SHA256_DIGEST_LENGTH);
    slot->until = ngx_time() + smcf->auth_cache;
    slot->admin = a->id.admin;
    slot->nlevels = a->id.nlevels;

    for (i = 0; i < a->id.nlevels; i++) {
        slot->level[i] = a->id.level[i];
    }

    for (i = 0; i < 4; i++) {
        slot->len[i] = str[i]->len;
        ngx_memcpy(slot->str[i], str[i]->data, str[i]->len);
    }
}


/* the identity's strings a cache slot keeps, in the slot's order */

static void
ngx_http_swr_auth_strings(ngx_http_swr_identity_t *id, ngx_str_t **str)
{
    str[0] = &id->user;
    str[1] = &id->account;
    str[2] = &id->name;
    str[3] = &id->account_name;
}


/* too many failed logins: 429 for a minute */

ngx_int_t
ngx_http_swr_auth_limited(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t  *ctx;

    static ngx_str_t  retry_after = ngx_string("Retry-After");
    static ngx_str_t  minute = ngx_string("60");

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_add_header(r, &retry_after, &minute) == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->err = NGX_HTTP_SWR_ERR_TOOMANYREQUESTS;
    ngx_str_set(&ctx->detail, "too many failed logins, retry later");

    return NGX_HTTP_TOO_MANY_REQUESTS;
}


/* Redis cannot answer: the status; the error filter writes the body */

static ngx_int_t
ngx_http_swr_auth_failed(ngx_http_request_t *r, ngx_int_t rc)
{
    ngx_http_swr_ctx_t  *ctx;

    static ngx_str_t  retry_after = ngx_string("Retry-After");
    static ngx_str_t  one = ngx_string("1");

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    switch (rc) {

    case NGX_BUSY:
        if (ngx_http_swr_add_header(r, &retry_after, &one) == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ctx->err = NGX_HTTP_SWR_ERR_TOOMANYREQUESTS;
        ngx_str_set(&ctx->detail, "metadata store saturated");
        return NGX_HTTP_TOO_MANY_REQUESTS;

    case NGX_DECLINED:
        ctx->err = NGX_HTTP_SWR_ERR_UNAVAILABLE;
        ngx_str_set(&ctx->detail, "metadata store unreachable");
        return NGX_HTTP_SERVICE_UNAVAILABLE;

    default:
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
}


/* the repository and level a registry request needs */

static ngx_int_t
ngx_http_swr_auth_need(ngx_http_request_t *r, ngx_http_swr_auth_t *a)
{
    ngx_str_t             from, mount;
    ngx_http_swr_route_t  rt;

    if (ngx_http_swr_route(&r->uri, &rt) != NGX_OK) {
        return NGX_DECLINED;
    }

    a->repo = rt.name;

    switch (rt.route) {

    case NGX_HTTP_SWR_ROUTE_BASE:
    case NGX_HTTP_SWR_ROUTE_CATALOG:
        a->need = 0;
        ngx_str_null(&a->repo);
        break;

    case NGX_HTTP_SWR_ROUTE_UPLOAD_START:
        a->need = NGX_HTTP_SWR_LEVEL_WRITE;

        if (ngx_http_swr_arg(r, "mount", &mount) == NGX_OK
            && ngx_http_swr_arg(r, "from", &from) == NGX_OK
            && ngx_http_swr_valid_name(&from) == NGX_OK)
        {
            a->from = from;
        }

        break;

    case NGX_HTTP_SWR_ROUTE_UPLOAD:
        a->need = NGX_HTTP_SWR_LEVEL_WRITE;
        break;

    case NGX_HTTP_SWR_ROUTE_MANIFEST:
    case NGX_HTTP_SWR_ROUTE_BLOB:

        if (r->method == NGX_HTTP_DELETE) {
            a->need = NGX_HTTP_SWR_LEVEL_MANAGE;

        } else if (r->method == NGX_HTTP_PUT) {
            a->need = NGX_HTTP_SWR_LEVEL_WRITE;

        } else {
            a->need = NGX_HTTP_SWR_LEVEL_READ;
        }

        break;

    default: /* tags, referrers */
        a->need = NGX_HTTP_SWR_LEVEL_READ;
        break;
    }

    switch (a->need) {

    case NGX_HTTP_SWR_LEVEL_READ:
        a->actions = NGX_HTTP_SWR_ACTION_PULL;
        break;

    case NGX_HTTP_SWR_LEVEL_WRITE:
        a->actions = NGX_HTTP_SWR_ACTION_PULL | NGX_HTTP_SWR_ACTION_PUSH;
        break;

    case NGX_HTTP_SWR_LEVEL_MANAGE:
        a->actions = NGX_HTTP_SWR_ACTION_DELETE;
        break;

    default:
        a->actions = 0;
        break;
    }

    return NGX_OK;
}


/*
 * Basic "<region>@<AK>:<password>": the region must be ours (or one of
 * its sub-projects, "<region>_<name>").
 */

ngx_int_t
ngx_http_swr_auth_basic(ngx_http_request_t *r, ngx_str_t *ak,
    ngx_str_t *password)
{
    u_char     *at;
    ngx_str_t   user, region;

    if (ngx_http_auth_basic_user(r) != NGX_OK) {
        return NGX_DECLINED;
    }

    user = r->headers_in.user;

    at = ngx_strlchr(user.data, user.data + user.len, '@');
    if (at == NULL) {
        return NGX_DECLINED;
    }

    region.data = user.data;
    region.len = at - user.data;

    if (ngx_http_swr_auth_project(r, &region) != NGX_OK) {
        return NGX_DECLINED;
    }

    ak->data = at + 1;
    ak->len = user.data + user.len - ak->data;
    *password = r->headers_in.passwd;

    if (ak->len == 0 || ak->len > 128 || password->len != 64) {
        return NGX_DECLINED;
    }

    return NGX_OK;
}


/* the AUTHZ script for an AK, a token or a user (or anonymous, id NULL)
 * and some repositories */

ngx_int_t
ngx_http_swr_auth_query(ngx_http_request_t *r, const char *mode,
    ngx_str_t *id, ngx_str_t *repos, ngx_uint_t n,
    ngx_http_swr_redis_handler_pt handler, void *data)
{
    ngx_uint_t                 i;
    ngx_http_swr_cmd_t        *cmd;
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    cmd = ngx_http_swr_cmd(r->pool, 8 + n);
    if (cmd == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, id ? mode : "anon") != NGX_OK
        || (id ? ngx_http_swr_cmd_str(cmd, id)
               : ngx_http_swr_cmd_cstr(cmd, "")) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, ngx_time()) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &r->connection->addr_text) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, smcf->login_limit_client) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, smcf->login_limit_key) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, smcf->auto_namespace ? "1" : "0")
           != NGX_OK
        || ngx_http_swr_cmd_int(cmd, smcf->quota_namespaces) != NGX_OK)
    {
        return NGX_ERROR;
    }

    for (i = 0; i < n; i++) {
        if (ngx_http_swr_cmd_str(cmd, &repos[i]) != NGX_OK) {
            return NGX_ERROR;
        }
    }

    return ngx_http_swr_script_send(r, NGX_HTTP_SWR_SCRIPT_AUTHZ, 0, cmd,
                                    handler, data);
}


/*
 * The script's answer, copied; NGX_DECLINED: no such (usable) identity;
 * NGX_BUSY: too many failed logins lately.
 */

ngx_int_t
ngx_http_swr_auth_identity(ngx_http_request_t *r, redisReply *reply,
    ngx_http_swr_identity_t *id)
{
    ngx_str_t   *fields[6], v;
    ngx_uint_t   i;
    redisReply  *e;

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY
        || reply->elements == 0
        || reply->element[0]->type != REDIS_REPLY_STRING)
    {
        return NGX_ERROR;
    }

    if (reply->element[0]->len == 7
        && ngx_strncmp(reply->element[0]->str, "limited", 7) == 0)
    {
        return NGX_BUSY;
    }

    if (reply->element[0]->len != 2
        || ngx_strncmp(reply->element[0]->str, "ok", 2) != 0)
    {
        return NGX_DECLINED;
    }

    if (reply->elements < 7) {
        return NGX_ERROR;
    }

    fields[0] = &id->user;
    fields[1] = &id->account;
    fields[2] = &v;
    fields[3] = &id->sk;
    fields[4] = &id->name;
    fields[5] = &id->account_name;

    for (i = 0; i < 6; i++) {
        e = reply->element[i + 1];

        if (e->type != REDIS_REPLY_STRING) {
            return NGX_ERROR;
        }

        fields[i]->len = e->len;
        fields[i]->data = ngx_pnalloc(r->pool, e->len + 1);
        if (fields[i]->data == NULL) {
            return NGX_ERROR;
        }

        ngx_memcpy(fields[i]->data, e->str, e->len);
    }

    id->admin = (v.len == 1 && v.data[0] == '1');
    id->nlevels = 0;
    id->missing = 0;

    for (i = 7; i < reply->elements && id->nlevels < NGX_HTTP_SWR_AUTH_REPOS;
         i++)
    {
        e = reply->element[i];

        if (e->type != REDIS_REPLY_STRING || e->len != 1) {
            return NGX_ERROR;
        }

        if (e->str[0] == 'x') {
            id->missing |= 1 << id->nlevels;
            id->level[id->nlevels++] = 0;
            continue;
        }

        id->level[id->nlevels++] = e->str[0] - '0';
    }

    return NGX_OK;
}


/*
 * The password of a long-term (or temporary) login is hex(HMAC-SHA256(SK,
 * AK)); compared in constant time, hex in either case.
 */

ngx_int_t
ngx_http_swr_auth_login_key(ngx_http_request_t *r,
    ngx_http_swr_identity_t *id, ngx_str_t *ak, ngx_str_t *password)
{
    u_char                    *p;
    size_t                     sklen;
    ngx_int_t                  rc;
    ngx_uint_t                 i;
    unsigned int               olen;
    ngx_http_swr_main_conf_t  *smcf;
    u_char                     sk[NGX_HTTP_SWR_SK_MAX];
    u_char                     md[32], hex[64], given[64];

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    if (smcf->secret == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "swr_auth needs swr_secret_key_file");
        return NGX_ERROR;
    }

    rc = ngx_http_swr_secret_decrypt(smcf->secret, &id->sk, sk, &sklen);

    if (rc == NGX_DECLINED) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "the secret key of AK \"%V\" does not decrypt with "
                      "swr_secret_key_file", ak);
        return NGX_DECLINED;
    }

    if (rc != NGX_OK) {
        return NGX_ERROR;
    }

    p = HMAC(EVP_sha256(), sk, (int) sklen, ak->data, ak->len, md, &olen);

    ngx_explicit_memzero(sk, sizeof(sk));

    if (p == NULL) {
        return NGX_ERROR;
    }

    ngx_hex_dump(hex, md, 32);

    for (i = 0; i < 64; i++) {
        given[i] = ngx_tolower(password->data[i]);
    }

    rc = (CRYPTO_memcmp(hex, given, 64) == 0) ? NGX_OK : NGX_DECLINED;

    ngx_explicit_memzero(hex, sizeof(hex));

    return rc;
}


static void
ngx_http_swr_auth_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_auth_t  *a = data;

    ngx_int_t  rc;

    rc = ngx_http_swr_auth_identity(r, reply, &a->id);

    if (rc == NGX_ERROR) {
        a->rc = ngx_http_swr_auth_failed(r, reply ? NGX_ERROR
                                                  : NGX_DECLINED);

    } else if (rc == NGX_BUSY) {
        a->rc = ngx_http_swr_auth_limited(r);

    } else if (rc == NGX_DECLINED) {
        ngx_http_swr_auth_failure(r, &a->ak);
        a->rc = ngx_http_swr_auth_refuse(r, a, NGX_HTTP_UNAUTHORIZED,
                                         "unknown or disabled credentials");

    } else {
        a->rc = ngx_http_swr_auth_decide(r, a);
    }

    a->done = 1;

    r->write_event_handler = ngx_http_core_run_phases;
    ngx_http_core_run_phases(r);
}


static ngx_int_t
ngx_http_swr_auth_decide(ngx_http_request_t *r, ngx_http_swr_auth_t *a)
{
    ngx_int_t  rc;

    if (a->scheme == NGX_HTTP_SWR_AUTH_BEARER) {

        /* a token that does not cover the request: only why it is not */

        if (a->id.missing & 1) {
            return ngx_http_swr_auth_no_namespace(r, a);
        }

        return ngx_http_swr_auth_refuse(r, a, NGX_HTTP_UNAUTHORIZED,
                                        "insufficient_scope");
    }

    if (a->scheme == NGX_HTTP_SWR_AUTH_BASIC && !a->recalled) {
        rc = ngx_http_swr_auth_login_key(r, &a->id, &a->ak, &a->password);

        if (rc == NGX_ERROR) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (rc != NGX_OK) {
            ngx_http_swr_auth_failure(r, &a->ak);
            return ngx_http_swr_auth_refuse(r, a, NGX_HTTP_UNAUTHORIZED,
                                            "wrong login key");
        }
    }

    if (!a->recalled && a->id.missing == 0) {
        ngx_http_swr_auth_remember(r, a);
    }

    if (a->from.len
        && (a->id.nlevels < 2 || a->id.level[1] < NGX_HTTP_SWR_LEVEL_READ))
    {
        a->no_mount = 1;
    }

    if (a->scheme != NGX_HTTP_SWR_AUTH_ANON) {
        ((ngx_http_swr_ctx_t *) ngx_http_swr_get_ctx(r))->identity = &a->id;
    }

    if (a->need == 0) {
        if (a->scheme == NGX_HTTP_SWR_AUTH_ANON) {
            return ngx_http_swr_auth_refuse(r, a, NGX_HTTP_UNAUTHORIZED,
                                            "authentication required");
        }

        return NGX_OK;
    }

    if (a->id.nlevels >= 1 && a->id.level[0] >= a->need) {
        return NGX_OK;
    }

    if ((a->id.missing & 1) && a->scheme != NGX_HTTP_SWR_AUTH_ANON) {
        return ngx_http_swr_auth_no_namespace(r, a);
    }

    return ngx_http_swr_auth_refuse(r, a,
                                    a->scheme == NGX_HTTP_SWR_AUTH_ANON
                                    ? NGX_HTTP_UNAUTHORIZED
                                    : NGX_HTTP_FORBIDDEN,
                                    "insufficient permissions");
}


/* a registry token: ours, for this service, in time, covering the need */

static ngx_int_t
ngx_http_swr_auth_bearer(ngx_http_request_t *r, ngx_http_swr_auth_t *a,
    ngx_str_t *token)
{
    time_t                      now;
    ngx_int_t                   rc;
    ngx_str_t                   repos[2];
    ngx_uint_t                  i, n, granted, granted_from;
    ngx_http_swr_jwt_claims_t   claims;
    ngx_http_swr_jwt_access_t  *acc;
    ngx_http_swr_main_conf_t   *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    rc = ngx_http_swr_jwt_verify(r->pool, smcf, token, &claims);

    if (rc == NGX_ERROR) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    now = ngx_time();

    if (rc != NGX_OK
        || claims.exp <= now
        || claims.nbf > now + 60
        || claims.aud.len != smcf->token_service.len
        || ngx_strncmp(claims.aud.data, smcf->token_service.data,
                       claims.aud.len) != 0
        || claims.iss.len != smcf->token_issuer.len
        || ngx_strncmp(claims.iss.data, smcf->token_issuer.data,
                       claims.iss.len) != 0)
    {
        return ngx_http_swr_auth_refuse(r, a, NGX_HTTP_UNAUTHORIZED,
                                        "invalid token");
    }

    a->id.user = claims.sub;
    a->id.account = claims.account;
    a->id.name = claims.name;
    a->id.account_name = claims.account_name;

    if (claims.sub.len) {
        ((ngx_http_swr_ctx_t *) ngx_http_swr_get_ctx(r))->identity = &a->id;
    }

    if (a->need == 0) {

        /* /v2/ and the catalog want somebody: an anonymous token is not */

        if (claims.sub.len == 0) {
            return ngx_http_swr_auth_refuse(r, a, NGX_HTTP_UNAUTHORIZED,
                                            "authentication required");
        }

        return NGX_OK;
    }

    granted = 0;
    granted_from = 0;
    acc = claims.access.elts;

    for (i = 0; i < claims.access.nelts; i++) {
        if (acc[i].name.len == a->repo.len
            && ngx_strncmp(acc[i].name.data, a->repo.data, a->repo.len) == 0)
        {
            granted |= acc[i].actions;
        }

        if (a->from.len && acc[i].name.len == a->from.len
            && ngx_strncmp(acc[i].name.data, a->from.data, a->from.len) == 0)
        {
            granted_from |= acc[i].actions;
        }
    }

    if (a->from.len && !(granted_from & NGX_HTTP_SWR_ACTION_PULL)) {
        a->no_mount = 1;
    }

    if ((granted & a->actions) == a->actions) {
        return NGX_OK;
    }

    if (claims.sub.len == 0) {
        return ngx_http_swr_auth_refuse(r, a, NGX_HTTP_UNAUTHORIZED,
                                        "insufficient_scope");
    }

    /*
     * What the token does not cover stays refused (a token's scope is
     * all its bearer may do), but an organization that does not exist
     * deserves its own error: Redis is asked which it is
     */

    n = 0;
    repos[n++] = a->repo;

    if (a->from.len) {
        repos[n++] = a->from;
    }

    a->id.user.data = ngx_pstrdup(r->pool, &claims.sub);
    if (a->id.user.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_swr_auth_query(r, "user", &a->id.user, repos, n,
                                 ngx_http_swr_auth_reply, a);
    if (rc != NGX_OK) {
        return ngx_http_swr_auth_failed(r, rc);
    }

    return NGX_AGAIN;
}


/* the repositories to ask the AUTHZ script about, "+" before a write */

static ngx_uint_t
ngx_http_swr_auth_repos(ngx_http_request_t *r, ngx_http_swr_auth_t *a,
    ngx_str_t *repos)
{
    u_char      *p;
    ngx_uint_t   n;

    n = 0;

    if (a->repo.len) {
        if (a->need >= NGX_HTTP_SWR_LEVEL_WRITE) {
            p = ngx_pnalloc(r->pool, a->repo.len + 1);
            if (p == NULL) {
                return (ngx_uint_t) NGX_ERROR;
            }

            *p = '+';
            ngx_memcpy(p + 1, a->repo.data, a->repo.len);

            repos[n].data = p;
            repos[n++].len = a->repo.len + 1;

        } else {
            repos[n++] = a->repo;
        }
    }

    if (a->from.len) {
        repos[n++] = a->from;
    }

    return n;
}


/*
 * A request of somebody into an organization that does not exist (and
 * that swr_auto_namespace did not make for his push): 404 NAME_UNKNOWN,
 * saying so.  Anonymous requests get the challenge, as for any other.
 */

static ngx_int_t
ngx_http_swr_auth_no_namespace(ngx_http_request_t *r, ngx_http_swr_auth_t *a)
{
    u_char              *p;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    p = ngx_strlchr(a->repo.data, a->repo.data + a->repo.len, '/');

    ctx->err = NGX_HTTP_SWR_ERR_NS_MISSING;
    ctx->detail.data = a->repo.data;
    ctx->detail.len = p ? (size_t) (p - a->repo.data) : a->repo.len;

    return NGX_HTTP_NOT_FOUND;
}


/*
 * 401 with the challenge (Bearer with the scope this request needs when
 * there is a token endpoint, else Basic) or 403; the error filter writes
 * the body.
 */

static ngx_int_t
ngx_http_swr_auth_refuse(ngx_http_request_t *r, ngx_http_swr_auth_t *a,
    ngx_uint_t status, const char *why)
{
    u_char                    *p;
    size_t                     len;
    ngx_str_t                  realm, path, value;
    ngx_http_swr_ctx_t        *ctx;
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);
    ctx = ngx_http_swr_get_ctx(r);

    if (ctx) {
        ctx->err = (status == NGX_HTTP_FORBIDDEN)
                   ? NGX_HTTP_SWR_ERR_DENIED : NGX_HTTP_SWR_ERR_UNAUTHORIZED;
        ctx->detail.data = (u_char *) why;
        ctx->detail.len = ngx_strlen(why);
    }

    if (status != NGX_HTTP_UNAUTHORIZED) {
        return status;
    }

    if (smcf->token_key == NULL) {
        return ngx_http_swr_auth_basic_challenge(r);

    } else {
        ngx_str_set(&path, "/_swr/token");

        if (ngx_http_swr_url(r, &path, &realm) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        len = sizeof("Bearer realm=\"\",service=\"\"") - 1 + realm.len
              + smcf->token_service.len
              + sizeof(",scope=\"repository::pull,push,delete\"") - 1
              + a->repo.len
              + sizeof(",error=\"insufficient_scope\"") - 1;

        value.data = ngx_pnalloc(r->pool, len);
        if (value.data == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        p = ngx_sprintf(value.data, "Bearer realm=\"%V\",service=\"%V\"",
                        &realm, &smcf->token_service);

        if (a->repo.len) {
            p = ngx_sprintf(p, ",scope=\"repository:%V:%s\"", &a->repo,
                            a->need >= NGX_HTTP_SWR_LEVEL_MANAGE ? "delete"
                            : a->need >= NGX_HTTP_SWR_LEVEL_WRITE
                              ? "pull,push" : "pull");
        }

        if (a->scheme == NGX_HTTP_SWR_AUTH_BEARER
            && ngx_strcmp(why, "insufficient_scope") == 0)
        {
            p = ngx_cpymem(p, ",error=\"insufficient_scope\"",
                           sizeof(",error=\"insufficient_scope\"") - 1);
        }

        value.len = p - value.data;
    }

    r->headers_out.www_authenticate = ngx_http_swr_add_header(r,
                                          &ngx_http_swr_www_authenticate,
                                          &value);
    if (r->headers_out.www_authenticate == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_HTTP_UNAUTHORIZED;
}


/*
 * A failed login counts against the client's address and the AK (or
 * token) for a minute; past swr_login_limit's numbers (20 and 10 by
 * default) the AUTHZ script refuses.  Nobody waits for it.
 */

void
ngx_http_swr_auth_failure(ngx_http_request_t *r, ngx_str_t *id)
{
    u_char              *p;
    ngx_http_swr_cmd_t  *cmd;

    cmd = ngx_http_swr_cmd(r->pool, 6);
    if (cmd == NULL) {
        return;
    }

    p = ngx_pnalloc(r->pool, sizeof("swr:fail:{ip:}")
                             + r->connection->addr_text.len);
    if (p == NULL) {
        return;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "EVAL") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd,
               "for _, k in ipairs(KEYS) do\n"
               "  redis.call('INCR', k)\n"
               "  redis.call('EXPIRE', k, 60)\n"
               "end\n"
               "return 'ok'\n") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, id ? "2" : "1") != NGX_OK
        || ngx_http_swr_cmd_add(cmd, p,
                                ngx_sprintf(p, "swr:fail:{ip:%V}",
                                            &r->connection->addr_text)
                                - p)
           != NGX_OK)
    {
        return;
    }

    if (id) {
        p = ngx_pnalloc(r->pool, sizeof("swr:fail:{id:}") + id->len);
        if (p == NULL) {
            return;
        }

        if (ngx_http_swr_cmd_add(cmd, p,
                                 ngx_sprintf(p, "swr:fail:{id:%V}", id) - p)
            != NGX_OK)
        {
            return;
        }
    }

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "swr: failed login%s%V", id ? " of " : "",
                  id ? id : &r->connection->addr_text);

    (void) ngx_http_swr_cmd_send(r, cmd, NULL, NULL);
}


/* 401 with "WWW-Authenticate: Basic realm=<service>" */

ngx_int_t
ngx_http_swr_auth_basic_challenge(ngx_http_request_t *r)
{
    ngx_str_t                  value;
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    value.len = sizeof("Basic realm=\"\"") - 1 + smcf->token_service.len;
    value.data = ngx_pnalloc(r->pool, value.len);
    if (value.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_sprintf(value.data, "Basic realm=\"%V\"", &smcf->token_service);

    r->headers_out.www_authenticate = ngx_http_swr_add_header(r,
                                          &ngx_http_swr_www_authenticate,
                                          &value);

    return r->headers_out.www_authenticate ? NGX_HTTP_UNAUTHORIZED
                                           : NGX_HTTP_INTERNAL_SERVER_ERROR;
}


/* a project of ours: the region, or one of its sub-projects "<region>_x" */

ngx_int_t
ngx_http_swr_auth_project(ngx_http_request_t *r, ngx_str_t *project)
{
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    if (!(project->len == smcf->region.len
          || (project->len > smcf->region.len
              && project->data[smcf->region.len] == '_'))
        || ngx_strncmp(project->data, smcf->region.data, smcf->region.len)
           != 0)
    {
        return NGX_DECLINED;
    }

    return NGX_OK;
}


/* the upload handler asks before it mounts: read on the source too */

ngx_int_t
ngx_http_swr_auth_may_mount(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t   *ctx;
    ngx_http_swr_auth_t  *a;

    ctx = ngx_http_get_module_ctx(r, ngx_http_swr_module);

    if (ctx == NULL || ctx->auth == NULL) {
        return NGX_OK;
    }

    a = ctx->auth;

    return a->no_mount ? NGX_DECLINED : NGX_OK;
}


ngx_int_t
ngx_http_swr_auth_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_swr_auth_handler;

    return NGX_OK;
}
