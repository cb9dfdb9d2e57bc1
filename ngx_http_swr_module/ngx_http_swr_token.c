
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/rand.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_jwt.h"
#include "ngx_http_swr_router.h"
#include "ngx_http_swr_token.h"
#include "ngx_http_swr_util.h"


/*
 * The token endpoint of the Docker token authentication specification
 * (swr_token; the registry's 401 points clients at /_swr/token):
 *
 *     GET /_swr/token?service=<service>&scope=repository:<name>:pull,push
 *
 * with Basic credentials as the registry takes them, or none (anonymous).
 * The token grants, for each repository asked, the actions asked that the
 * caller's level allows: pull with 1, push with 3, delete with 7.
 */


typedef struct {
    ngx_str_t    name;
    ngx_uint_t   actions;
} ngx_http_swr_token_scope_t;


typedef struct {
    ngx_array_t               scopes;      /* ngx_http_swr_token_scope_t */
    ngx_str_t                 ak;
    ngx_str_t                 password;
    ngx_uint_t                basic;
    ngx_http_swr_identity_t   id;
} ngx_http_swr_token_t;


static ngx_int_t ngx_http_swr_token_scopes(ngx_http_request_t *r,
    ngx_http_swr_token_t *t, ngx_str_t *bad);
static ngx_int_t ngx_http_swr_token_scope(ngx_http_request_t *r,
    ngx_http_swr_token_t *t, u_char *p, u_char *last);
static void ngx_http_swr_token_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_token_issue(ngx_http_request_t *r,
    ngx_http_swr_token_t *t);
static ngx_int_t ngx_http_swr_token_unauthorized(ngx_http_request_t *r,
    const char *why);


#define NGX_HTTP_SWR_TOKEN_SCOPES  NGX_HTTP_SWR_AUTH_REPOS


ngx_int_t
ngx_http_swr_token_handler(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    ngx_str_t                  service, bad;
    ngx_str_t                  repos[NGX_HTTP_SWR_TOKEN_SCOPES];
    ngx_uint_t                 i;
    ngx_http_swr_ctx_t        *ctx;
    ngx_http_swr_token_t      *t;
    ngx_http_swr_token_scope_t *sc;
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->role = NGX_HTTP_SWR_ROLE_REGISTRY;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_METHOD_NOT_ALLOWED,
                                       NULL);
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    if (smcf->token_key == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "swr_token needs swr_token_key");
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_INTERNAL, NULL);
    }

    if (ngx_http_swr_arg(r, "service", &service) == NGX_OK
        && (service.len != smcf->token_service.len
            || ngx_strncmp(service.data, smcf->token_service.data,
                           service.len) != 0))
    {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BAD_REQUEST,
                                       &service);
    }

    t = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_token_t));
    if (t == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->data = t;

    rc = ngx_http_swr_token_scopes(r, t, &bad);

    if (rc == NGX_DECLINED) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BAD_REQUEST, &bad);
    }

    if (rc != NGX_OK) {
        return rc;
    }

    if (r->headers_in.authorization) {
        if (ngx_http_swr_auth_basic(r, &t->ak, &t->password) != NGX_OK) {
            return ngx_http_swr_token_unauthorized(r, "malformed credentials");
        }

        t->basic = 1;
    }

    sc = t->scopes.elts;

    for (i = 0; i < t->scopes.nelts; i++) {
        repos[i] = sc[i].name;

        /* a push asked: the organization may have to be made */

        if (sc[i].actions & NGX_HTTP_SWR_ACTION_PUSH) {
            repos[i].data = ngx_pnalloc(r->pool, sc[i].name.len + 1);
            if (repos[i].data == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            repos[i].data[0] = '+';
            ngx_memcpy(repos[i].data + 1, sc[i].name.data, sc[i].name.len);
            repos[i].len = sc[i].name.len + 1;
        }
    }

    return ngx_http_swr_wait(r, ngx_http_swr_auth_query(r, "ak",
                                  t->basic ? &t->ak : NULL, repos,
                                  t->scopes.nelts,
                                  ngx_http_swr_token_reply, t));
}


/*
 * Every scope argument: "repository:<name>:<action>[,<action>...]";
 * NGX_DECLINED with the one that is not.
 */

static ngx_int_t
ngx_http_swr_token_scopes(ngx_http_request_t *r, ngx_http_swr_token_t *t,
    ngx_str_t *bad)
{
    u_char     *p, *last, *start, *dst, *end;
    ngx_str_t   value;

    if (ngx_array_init(&t->scopes, r->pool, 2,
                       sizeof(ngx_http_swr_token_scope_t))
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = r->args.data;
    last = p + r->args.len;

    while (p < last) {
        end = ngx_strlchr(p, last, '&');
        if (end == NULL) {
            end = last;
        }

        if (end - p > 6 && ngx_strncmp(p, "scope=", 6) == 0) {
            value.data = ngx_pnalloc(r->pool, end - p - 6);
            if (value.data == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            start = p + 6;
            dst = value.data;
            ngx_unescape_uri(&dst, &start, end - p - 6, NGX_UNESCAPE_URI);
            value.len = dst - value.data;

            /* several scopes may share one argument, space-separated */

            start = value.data;

            while (start < dst) {
                p = ngx_strlchr(start, dst, ' ');
                if (p == NULL) {
                    p = dst;
                }

                if (ngx_http_swr_token_scope(r, t, start, p) != NGX_OK) {
                    bad->data = start;
                    bad->len = p - start;
                    return NGX_DECLINED;
                }

                start = p + 1;
            }
        }

        p = end + 1;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_swr_token_scope(ngx_http_request_t *r, ngx_http_swr_token_t *t,
    u_char *p, u_char *last)
{
    u_char                      *colon, *a, *end;
    ngx_str_t                    name;
    ngx_http_swr_token_scope_t  *sc;

    if (last - p < 12 || ngx_strncmp(p, "repository:", 11) != 0) {

        /* other resource types (registry:catalog:*) are granted nothing */

        return (last > p) ? NGX_OK : NGX_ERROR;
    }

    p += 11;

    colon = NULL;

    for (a = last - 1; a > p; a--) {
        if (*a == ':') {
            colon = a;
            break;
        }
    }

    if (colon == NULL) {
        return NGX_ERROR;
    }

    name.data = p;
    name.len = colon - p;

    if (ngx_http_swr_valid_name(&name) != NGX_OK
        || t->scopes.nelts >= NGX_HTTP_SWR_TOKEN_SCOPES)
    {
        return NGX_ERROR;
    }

    sc = ngx_array_push(&t->scopes);
    if (sc == NULL) {
        return NGX_ERROR;
    }

    sc->name = name;
    sc->actions = 0;

    for (a = colon + 1; a < last; a = end + 1) {
        end = ngx_strlchr(a, last, ',');
        if (end == NULL) {
            end = last;
        }

        sc->actions |= ngx_http_swr_jwt_action(a, end - a);
    }

    return NGX_OK;
}


static void
ngx_http_swr_token_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_token_t  *t = data;

    ngx_int_t  rc;

    rc = ngx_http_swr_auth_identity(r, reply, &t->id);

    if (rc == NGX_ERROR) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (rc == NGX_BUSY) {
        ngx_http_finalize_request(r, ngx_http_swr_auth_limited(r));
        return;
    }

    if (rc == NGX_DECLINED) {
        ngx_http_swr_auth_failure(r, &t->ak);
        ngx_http_finalize_request(r,
            ngx_http_swr_token_unauthorized(r,
                                    "unknown or disabled credentials"));
        return;
    }

    if (t->basic) {
        rc = ngx_http_swr_auth_login_key(r, &t->id, &t->ak, &t->password);

        if (rc == NGX_ERROR) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }

        if (rc != NGX_OK) {
            ngx_http_swr_auth_failure(r, &t->ak);
            ngx_http_finalize_request(r,
                ngx_http_swr_token_unauthorized(r, "wrong login key"));
            return;
        }
    }

    ngx_http_finalize_request(r, ngx_http_swr_token_issue(r, t));
}


/* the token and the answer the Docker client reads */

static ngx_int_t
ngx_http_swr_token_issue(ngx_http_request_t *r, ngx_http_swr_token_t *t)
{
    u_char                      *p, jti[16], hex[32];
    time_t                       now;
    ngx_buf_t                   *b;
    ngx_str_t                    claims, token, v;
    struct tm                    tm;
    ngx_uint_t                   i, level, allowed, granted;
    ngx_http_swr_json_t         *j;
    ngx_http_swr_token_scope_t  *sc;
    ngx_http_swr_main_conf_t    *smcf;
    u_char                       issued[sizeof("2006-01-02T15:04:05Z")];

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    now = ngx_time();

    if (RAND_bytes(jti, sizeof(jti)) != 1) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_hex_dump(hex, jti, sizeof(jti));

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    v.data = hex;
    v.len = sizeof(hex);

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "iss") != NGX_OK
        || ngx_http_swr_json_str(j, &smcf->token_issuer) != NGX_OK
        || ngx_http_swr_json_cstr(j, "sub") != NGX_OK
        || ngx_http_swr_json_str(j, &t->id.user) != NGX_OK
        || ngx_http_swr_json_cstr(j, "aud") != NGX_OK
        || ngx_http_swr_json_str(j, &smcf->token_service) != NGX_OK
        || ngx_http_swr_json_cstr(j, "exp") != NGX_OK
        || ngx_http_swr_json_int(j, now + smcf->token_ttl) != NGX_OK
        || ngx_http_swr_json_cstr(j, "nbf") != NGX_OK
        || ngx_http_swr_json_int(j, now - 1) != NGX_OK
        || ngx_http_swr_json_cstr(j, "iat") != NGX_OK
        || ngx_http_swr_json_int(j, now) != NGX_OK
        || ngx_http_swr_json_cstr(j, "jti") != NGX_OK
        || ngx_http_swr_json_str(j, &v) != NGX_OK
        || (t->id.user.len
            && (ngx_http_swr_json_cstr(j, "acct") != NGX_OK
                || ngx_http_swr_json_str(j, &t->id.account) != NGX_OK
                || ngx_http_swr_json_cstr(j, "name") != NGX_OK
                || ngx_http_swr_json_str(j, &t->id.name) != NGX_OK
                || ngx_http_swr_json_cstr(j, "acct_name") != NGX_OK
                || ngx_http_swr_json_str(j, &t->id.account_name)
                   != NGX_OK))
        || ngx_http_swr_json_cstr(j, "access") != NGX_OK
        || ngx_http_swr_json_open(j, 1) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    sc = t->scopes.elts;

    for (i = 0; i < t->scopes.nelts; i++) {
        level = (i < t->id.nlevels) ? t->id.level[i] : 0;

        allowed = 0;

        if (level >= NGX_HTTP_SWR_LEVEL_READ) {
            allowed |= NGX_HTTP_SWR_ACTION_PULL;
        }

        if (level >= NGX_HTTP_SWR_LEVEL_WRITE) {
            allowed |= NGX_HTTP_SWR_ACTION_PUSH;
        }

        if (level >= NGX_HTTP_SWR_LEVEL_MANAGE) {
            allowed |= NGX_HTTP_SWR_ACTION_DELETE;
        }

        granted = sc[i].actions & allowed;

        if (ngx_http_swr_json_open(j, 0) != NGX_OK
            || ngx_http_swr_json_cstr(j, "type") != NGX_OK
            || ngx_http_swr_json_cstr(j, "repository") != NGX_OK
            || ngx_http_swr_json_cstr(j, "name") != NGX_OK
            || ngx_http_swr_json_str(j, &sc[i].name) != NGX_OK
            || ngx_http_swr_json_cstr(j, "actions") != NGX_OK
            || ngx_http_swr_json_open(j, 1) != NGX_OK
            || ((granted & NGX_HTTP_SWR_ACTION_PULL)
                && ngx_http_swr_json_cstr(j, "pull") != NGX_OK)
            || ((granted & NGX_HTTP_SWR_ACTION_PUSH)
                && ngx_http_swr_json_cstr(j, "push") != NGX_OK)
            || ((granted & NGX_HTTP_SWR_ACTION_DELETE)
                && ngx_http_swr_json_cstr(j, "delete") != NGX_OK)
            || ngx_http_swr_json_close(j, 1) != NGX_OK
            || ngx_http_swr_json_close(j, 0) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    if (ngx_http_swr_json_close(j, 1) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b = ngx_http_swr_json_buf(j);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    claims.data = b->pos;
    claims.len = b->last - b->pos;

    if (ngx_http_swr_jwt_sign(r->pool, smcf, &claims, &token) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_libc_gmtime(now, &tm);
    p = issued;
    p += strftime((char *) issued, sizeof(issued), "%Y-%m-%dT%H:%M:%SZ",
                  &tm);
    v.data = issued;
    v.len = p - issued;

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "token") != NGX_OK
        || ngx_http_swr_json_str(j, &token) != NGX_OK
        || ngx_http_swr_json_cstr(j, "access_token") != NGX_OK
        || ngx_http_swr_json_str(j, &token) != NGX_OK
        || ngx_http_swr_json_cstr(j, "expires_in") != NGX_OK
        || ngx_http_swr_json_int(j, smcf->token_ttl) != NGX_OK
        || ngx_http_swr_json_cstr(j, "issued_at") != NGX_OK
        || ngx_http_swr_json_str(j, &v) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_send_json(r, NGX_HTTP_OK, j);
}


static ngx_int_t
ngx_http_swr_token_unauthorized(ngx_http_request_t *r, const char *why)
{
    ngx_int_t  rc;
    ngx_str_t  detail;

    rc = ngx_http_swr_auth_basic_challenge(r);
    if (rc != NGX_HTTP_UNAUTHORIZED) {
        return rc;
    }

    detail.data = (u_char *) why;
    detail.len = ngx_strlen(why);

    return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_UNAUTHORIZED, &detail);
}
