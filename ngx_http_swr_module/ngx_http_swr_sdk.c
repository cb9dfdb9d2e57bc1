
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
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_sdk.h"
#include "ngx_http_swr_secret.h"
#include "ngx_http_swr_sign.h"
#include "ngx_http_swr_util.h"


/*
 * Authentication of the management API (/v2/manage/), as Huawei's API
 * gateway does it in front of SWR (swr-api.md 1.2 and 2):
 *
 *   - "Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<list>,
 *     Signature=<hex>" with X-Sdk-Date within 15 minutes: the canonical
 *     request is rebuilt from what was received (the body read and hashed
 *     here first) and signed again with the AK's secret key;
 *   - "X-Auth-Token: <token>" of util/swr-admin token-create.
 *
 * A signature that does not verify is 401 in the gateway's own body
 * (APIGW.0301); no credentials at all is SWR's 401.  The identity found is
 * kept in the request's context for the operations to authorize.
 */


#define NGX_HTTP_SWR_SDK_SKEW        900        /* s, X-Sdk-Date either way */
#define NGX_HTTP_SWR_SDK_HEADERS_MAX 32


#define NGX_HTTP_SWR_SDK_REPLAY   2


typedef struct {
    ngx_str_t                 ak;
    ngx_str_t                 signed_headers;
    ngx_str_t                 signature;
    ngx_str_t                 date;
    ngx_str_t                 token;
    u_char                    payload[2 * SHA256_DIGEST_LENGTH];
    size_t                    payload_len;
    ngx_http_swr_identity_t   id;
    ngx_int_t                 rc;
    unsigned                  done:1;
    unsigned                  sync:1;     /* inside the handler */
} ngx_http_swr_sdk_t;


static time_t ngx_http_swr_sdk_time(ngx_str_t *date);
static ngx_int_t ngx_http_swr_sdk_parse(ngx_http_swr_sdk_t *s,
    ngx_str_t *value);
static void ngx_http_swr_sdk_body(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_sdk_hash_body(ngx_http_request_t *r,
    u_char *hex);
static ngx_int_t ngx_http_swr_sdk_query(ngx_http_request_t *r,
    ngx_http_swr_sdk_t *s);
static void ngx_http_swr_sdk_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_sdk_once(ngx_http_request_t *r,
    ngx_http_swr_sdk_t *s);
static void ngx_http_swr_sdk_once_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_sdk_verify(ngx_http_request_t *r,
    ngx_http_swr_sdk_t *s);
static ngx_int_t ngx_http_swr_sdk_canonical(ngx_http_request_t *r,
    ngx_http_swr_sdk_t *s, ngx_str_t *out);
static ngx_int_t ngx_http_swr_sdk_canonical_query(ngx_http_request_t *r,
    ngx_str_t *out);
static ngx_int_t ngx_http_swr_sdk_refuse(ngx_http_request_t *r,
    ngx_http_swr_sdk_t *s, const char *why);
static ngx_int_t ngx_http_swr_sdk_reencode(ngx_http_request_t *r,
    ngx_str_t *in, ngx_str_t *out);
static int ngx_libc_cdecl ngx_http_swr_sdk_cmp(const void *one,
    const void *two);
static int ngx_http_swr_sdk_strcmp(ngx_str_t *a, ngx_str_t *b);
static void ngx_http_swr_sdk_resume(ngx_http_request_t *r,
    ngx_http_swr_sdk_t *s, ngx_int_t rc);


ngx_int_t
ngx_http_swr_sdk_handler(ngx_http_request_t *r)
{
    time_t               t;
    ngx_int_t            rc;
    ngx_table_elt_t     *h;
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_sdk_t  *s;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    s = ctx->auth;

    if (s) {
        return s->done ? s->rc : NGX_AGAIN;
    }

    s = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_sdk_t));
    if (s == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->auth = s;
    ctx->role = NGX_HTTP_SWR_ROLE_MANAGE;

    h = ngx_http_swr_find_header(r, "X-Auth-Token");

    if (h && h->value.len) {
        s->token = h->value;
        return ngx_http_swr_sdk_query(r, s);
    }

    if (r->headers_in.authorization == NULL) {
        ctx->err = NGX_HTTP_SWR_ERR_UNAUTHORIZED;
        s->done = 1;
        s->rc = NGX_HTTP_UNAUTHORIZED;
        return s->rc;
    }

    if (ngx_http_swr_sdk_parse(s, &r->headers_in.authorization->value)
        != NGX_OK)
    {
        return ngx_http_swr_sdk_refuse(r, s,
                                       "unsupported authorization header");
    }

    h = ngx_http_swr_find_header(r, "X-Sdk-Date");

    if (h == NULL || h->value.len != 16) {
        return ngx_http_swr_sdk_refuse(r, s, "missing or bad X-Sdk-Date");
    }

    s->date = h->value;

    t = ngx_http_swr_sdk_time(&s->date);

    if (t == NGX_ERROR
        || t < ngx_time() - NGX_HTTP_SWR_SDK_SKEW
        || t > ngx_time() + NGX_HTTP_SWR_SDK_SKEW)
    {
        return ngx_http_swr_sdk_refuse(r, s,
                                       "X-Sdk-Date out of the 15 minutes");
    }

    h = ngx_http_swr_find_header(r, "X-Sdk-Content-Sha256");

    if (h && h->value.len == sizeof("UNSIGNED-PAYLOAD") - 1
        && ngx_strncmp(h->value.data, "UNSIGNED-PAYLOAD", h->value.len) == 0)
    {
        s->payload_len = h->value.len;
        ngx_memcpy(s->payload, "UNSIGNED-PAYLOAD", h->value.len);
        return ngx_http_swr_sdk_query(r, s);
    }

    /* the body is signed: read it first (a few KiB of JSON) */

    s->sync = 1;
    rc = ngx_http_read_client_request_body(r, ngx_http_swr_sdk_body);
    s->sync = 0;

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        s->done = 1;
        s->rc = rc;
        return rc;
    }

    /* the reading holds a reference of its own; this phase does not */

    ngx_http_finalize_request(r, NGX_DONE);

    return s->done ? s->rc : NGX_AGAIN;
}


/* YYYYMMDDTHHMMSSZ */

static time_t
ngx_http_swr_sdk_time(ngx_str_t *date)
{
    u_char     *p;
    ngx_int_t   v[6], year, month;
    ngx_uint_t  i;

    static size_t  at[6] = { 0, 4, 6, 9, 11, 13 };
    static size_t  len[6] = { 4, 2, 2, 2, 2, 2 };

    p = date->data;

    if (date->len != 16 || p[8] != 'T' || p[15] != 'Z') {
        return NGX_ERROR;
    }

    for (i = 0; i < 6; i++) {
        v[i] = ngx_atoi(p + at[i], len[i]);
        if (v[i] == NGX_ERROR) {
            return NGX_ERROR;
        }
    }

    if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23
        || v[4] > 59 || v[5] > 60)
    {
        return NGX_ERROR;
    }

    /* Gauss' formula, the year starting on March 1, as nginx's own */

    year = v[0];
    month = v[1] - 2;

    if (month <= 0) {
        month += 12;
        year -= 1;
    }

    return (time_t) (365 * year + year / 4 - year / 100 + year / 400
                     + 367 * month / 12 - 30 + v[2] - 1
                     - 719527 + 31 + 28) * 86400
           + v[3] * 3600 + v[4] * 60 + v[5];
}


/*
 * The AK of a well-formed AK/SK Authorization value, not verified (the
 * audit trail names it for a request refused before it was looked at)
 */

ngx_int_t
ngx_http_swr_sdk_access(ngx_str_t *value, ngx_str_t *ak)
{
    ngx_http_swr_sdk_t  s;

    ngx_memzero(&s, sizeof(ngx_http_swr_sdk_t));

    if (ngx_http_swr_sdk_parse(&s, value) != NGX_OK) {
        return NGX_DECLINED;
    }

    *ak = s.ak;

    return NGX_OK;
}


/* "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<list>, Signature=<hex>" */

static ngx_int_t
ngx_http_swr_sdk_parse(ngx_http_swr_sdk_t *s, ngx_str_t *value)
{
    u_char      *p, *last, *end, *eq;
    ngx_str_t   *dst;

    p = value->data;
    last = p + value->len;

    if (value->len < 16 || ngx_strncmp(p, "SDK-HMAC-SHA256 ", 16) != 0) {
        return NGX_ERROR;
    }

    p += 16;

    while (p < last) {
        while (p < last && (*p == ' ' || *p == ',')) {
            p++;
        }

        end = ngx_strlchr(p, last, ',');
        if (end == NULL) {
            end = last;
        }

        eq = ngx_strlchr(p, end, '=');
        if (eq == NULL) {
            return NGX_ERROR;
        }

        if (eq - p == 6 && ngx_strncmp(p, "Access", 6) == 0) {
            dst = &s->ak;

        } else if (eq - p == 13 && ngx_strncmp(p, "SignedHeaders", 13) == 0) {
            dst = &s->signed_headers;

        } else if (eq - p == 9 && ngx_strncmp(p, "Signature", 9) == 0) {
            dst = &s->signature;

        } else {
            return NGX_ERROR;
        }

        dst->data = eq + 1;
        dst->len = end - eq - 1;

        while (dst->len && dst->data[dst->len - 1] == ' ') {
            dst->len--;
        }

        p = end;
    }

    if (s->ak.len == 0 || s->ak.len > 128 || s->signed_headers.len == 0
        || s->signature.len != 64)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


static void
ngx_http_swr_sdk_body(ngx_http_request_t *r)
{
    ngx_int_t            rc;
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_sdk_t  *s;

    ctx = ngx_http_get_module_ctx(r, ngx_http_swr_module);
    s = ctx->auth;

    rc = NGX_HTTP_INTERNAL_SERVER_ERROR;

    if (ngx_http_swr_sdk_hash_body(r, s->payload) == NGX_OK) {
        s->payload_len = 2 * SHA256_DIGEST_LENGTH;
        rc = ngx_http_swr_sdk_query(r, s);
    }

    if (rc == NGX_AGAIN) {
        return;
    }

    if (s->sync) {

        /* the handler that reads the body returns it */

        s->done = 1;
        s->rc = rc;
        return;
    }

    ngx_http_swr_sdk_resume(r, s, rc);
}


/* lowercase hex SHA-256 of the body, in memory or in a file */

static ngx_int_t
ngx_http_swr_sdk_hash_body(ngx_http_request_t *r, u_char *hex)
{
    off_t         pos;
    ssize_t       n;
    SHA256_CTX    sha;
    ngx_buf_t    *b;
    ngx_chain_t  *cl;
    u_char        md[SHA256_DIGEST_LENGTH], buf[4096];

    SHA256_Init(&sha);

    if (r->request_body) {
        for (cl = r->request_body->bufs; cl; cl = cl->next) {
            b = cl->buf;

            if (b->in_file) {
                for (pos = b->file_pos; pos < b->file_last; pos += n) {
                    n = ngx_read_file(b->file, buf,
                                      ngx_min((off_t) sizeof(buf),
                                              b->file_last - pos),
                                      pos);
                    if (n <= 0) {
                        return NGX_ERROR;
                    }

                    SHA256_Update(&sha, buf, n);
                }

                continue;
            }

            SHA256_Update(&sha, b->pos, b->last - b->pos);
        }
    }

    SHA256_Final(md, &sha);
    ngx_hex_dump(hex, md, SHA256_DIGEST_LENGTH);

    return NGX_OK;
}


/* who the AK or the token is: NGX_AGAIN while Redis answers */

static ngx_int_t
ngx_http_swr_sdk_query(ngx_http_request_t *r, ngx_http_swr_sdk_t *s)
{
    ngx_int_t            rc;
    ngx_http_swr_ctx_t  *ctx;

    /* the AK offered, for the audit trail (never a token) */

    ctx = ngx_http_swr_get_ctx(r);

    if (ctx && s->token.len == 0) {
        ctx->claimed = s->ak;
    }

    rc = ngx_http_swr_auth_query(r, s->token.len ? "token" : "ak",
                                 s->token.len ? &s->token : &s->ak,
                                 NULL, 0, ngx_http_swr_sdk_reply, s);

    if (rc == NGX_OK) {
        return NGX_AGAIN;
    }

    s->done = 1;
    s->rc = (rc == NGX_BUSY) ? NGX_HTTP_TOO_MANY_REQUESTS
                             : NGX_HTTP_SERVICE_UNAVAILABLE;

    return s->rc;
}


static void
ngx_http_swr_sdk_reply(ngx_http_request_t *r, void *data, redisReply *reply)
{
    ngx_http_swr_sdk_t  *s = data;

    ngx_int_t            rc;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    rc = ngx_http_swr_auth_identity(r, reply, &s->id);

    if (rc == NGX_ERROR) {
        ctx->err = NGX_HTTP_SWR_ERR_UNAVAILABLE;
        ngx_http_swr_sdk_resume(r, s, NGX_HTTP_SERVICE_UNAVAILABLE);
        return;
    }

    if (rc == NGX_BUSY) {
        ngx_http_swr_sdk_resume(r, s, ngx_http_swr_sdk_refuse(r, s,
                          "AK access failed to reach the limit,forbidden"));
        return;
    }

    if (rc == NGX_DECLINED) {
        ngx_http_swr_auth_failure(r, s->token.len ? NULL : &s->ak);

        if (s->token.len) {
            ctx->err = NGX_HTTP_SWR_ERR_TOKEN_INVALID;
            ngx_str_set(&ctx->detail, "unknown or expired token");
            ngx_http_swr_sdk_resume(r, s, NGX_HTTP_UNAUTHORIZED);
            return;
        }

        ngx_http_swr_sdk_resume(r, s, ngx_http_swr_sdk_refuse(r, s,
                                                   "Get secretKey failed"));
        return;
    }

    if (s->token.len == 0) {
        rc = ngx_http_swr_sdk_verify(r, s);

        if (rc == NGX_ERROR) {
            ngx_http_swr_sdk_resume(r, s, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }

        if (rc != NGX_OK) {
            ngx_http_swr_auth_failure(r, &s->ak);
            ngx_http_swr_sdk_resume(r, s, ngx_http_swr_sdk_refuse(r, s,
                                             "verify aksk signature fail"));
            return;
        }

        if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
            rc = ngx_http_swr_sdk_once(r, s);

            if (rc != NGX_OK) {
                ngx_http_swr_sdk_resume(r, s,
                                        rc == NGX_ERROR
                                        ? NGX_HTTP_INTERNAL_SERVER_ERROR
                                        : NGX_HTTP_SERVICE_UNAVAILABLE);
            }

            return;
        }
    }

    ctx->identity = &s->id;

    ngx_http_swr_sdk_resume(r, s, NGX_OK);
}


/*
 * Replays: a signature covers the method, the path, the query, the signed
 * headers, the body and X-Sdk-Date, which must be within 15 minutes.  A
 * request that changes something is remembered by its signature for the
 * whole window (30 minutes); the same signature seen again more than
 * NGX_HTTP_SWR_SDK_REPLAY seconds after the first is a replay and is
 * refused.  Sooner it is the client's own: X-Sdk-Date counts seconds, so
 * the SDK signs the same call made twice in one second alike (a retry, a
 * repeated create), and those get their real answer.  Reads may come any
 * number of times.
 */

static ngx_int_t
ngx_http_swr_sdk_once(ngx_http_request_t *r, ngx_http_swr_sdk_t *s)
{
    u_char              *p;
    ngx_http_swr_cmd_t  *cmd;

    cmd = ngx_http_swr_cmd(r->pool, 7);
    if (cmd == NULL) {
        return NGX_ERROR;
    }

    p = ngx_pnalloc(r->pool, sizeof("swr:sig:{}") + s->signature.len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "SET") != NGX_OK
        || ngx_http_swr_cmd_add(cmd, p, ngx_sprintf(p, "swr:sig:{%V}",
                                                    &s->signature) - p)
           != NGX_OK
        || ngx_http_swr_cmd_int(cmd, ngx_time()) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "NX") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "GET") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "EX") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "1800") != NGX_OK)
    {
        return NGX_ERROR;
    }

    return ngx_http_swr_cmd_send(r, cmd, ngx_http_swr_sdk_once_reply, s);
}


static void
ngx_http_swr_sdk_once_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_sdk_t  *s = data;

    time_t               first;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        ctx->err = NGX_HTTP_SWR_ERR_UNAVAILABLE;
        ngx_http_swr_sdk_resume(r, s, NGX_HTTP_SERVICE_UNAVAILABLE);
        return;
    }

    /* the time it was first seen, or nil: now */

    if (reply->type == REDIS_REPLY_STRING) {
        first = ngx_atotm((u_char *) reply->str, reply->len);

        if (first == NGX_ERROR
            || ngx_time() - first > NGX_HTTP_SWR_SDK_REPLAY)
        {
            ngx_http_swr_sdk_resume(r, s, ngx_http_swr_sdk_refuse(r, s,
                                      "the request was replayed"));
            return;
        }
    }

    ctx->identity = &s->id;

    ngx_http_swr_sdk_resume(r, s, NGX_OK);
}


static void
ngx_http_swr_sdk_resume(ngx_http_request_t *r, ngx_http_swr_sdk_t *s,
    ngx_int_t rc)
{
    s->done = 1;
    s->rc = rc;

    r->write_event_handler = ngx_http_core_run_phases;
    ngx_http_core_run_phases(r);
}


/* the signature again, with the SK; NGX_DECLINED: it differs */

static ngx_int_t
ngx_http_swr_sdk_verify(ngx_http_request_t *r, ngx_http_swr_sdk_t *s)
{
    u_char                    *p, *sts;
    size_t                     sklen;
    ngx_int_t                  rc;
    ngx_str_t                  canonical;
    ngx_uint_t                 i;
    unsigned int               olen;
    ngx_http_swr_main_conf_t  *smcf;
    u_char                     sk[NGX_HTTP_SWR_SK_MAX];
    u_char                     md[SHA256_DIGEST_LENGTH];
    u_char                     hex[2 * SHA256_DIGEST_LENGTH];
    u_char                     given[2 * SHA256_DIGEST_LENGTH];

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    if (smcf->secret == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "swr_auth needs swr_secret_key_file");
        return NGX_ERROR;
    }

    if (ngx_http_swr_sdk_canonical(r, s, &canonical) != NGX_OK) {
        return NGX_DECLINED;
    }

    SHA256(canonical.data, canonical.len, md);

    sts = ngx_pnalloc(r->pool, sizeof("SDK-HMAC-SHA256\n\n") + s->date.len
                               + sizeof(hex));
    if (sts == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(sts, "SDK-HMAC-SHA256\n%V\n", &s->date);
    p = ngx_hex_dump(p, md, SHA256_DIGEST_LENGTH);

    rc = ngx_http_swr_secret_decrypt(smcf->secret, &s->id.sk, sk, &sklen);
    if (rc != NGX_OK) {
        return rc;
    }

    if (HMAC(EVP_sha256(), sk, (int) sklen, sts, p - sts, md, &olen) == NULL)
    {
        ngx_explicit_memzero(sk, sizeof(sk));
        return NGX_ERROR;
    }

    ngx_explicit_memzero(sk, sizeof(sk));
    ngx_hex_dump(hex, md, SHA256_DIGEST_LENGTH);

    for (i = 0; i < sizeof(given); i++) {
        given[i] = ngx_tolower(s->signature.data[i]);
    }

    return (CRYPTO_memcmp(hex, given, sizeof(hex)) == 0) ? NGX_OK
                                                         : NGX_DECLINED;
}


/*
 * The canonical request: method, URI (each segment encoded, "/" at the
 * end), query (sorted, encoded), the signed headers, their names, the
 * payload hash.
 */

static ngx_int_t
ngx_http_swr_sdk_canonical(ngx_http_request_t *r, ngx_http_swr_sdk_t *s,
    ngx_str_t *out)
{
    u_char           *p, *name, *end, *last, *seg;
    size_t            len;
    ngx_str_t         query, value, path, part;
    ngx_uint_t        n, i;
    ngx_table_elt_t  *h;
    ngx_str_t         names[NGX_HTTP_SWR_SDK_HEADERS_MAX];
    ngx_str_t         values[NGX_HTTP_SWR_SDK_HEADERS_MAX];

    if (ngx_http_swr_sdk_canonical_query(r, &query) != NGX_OK) {
        return NGX_ERROR;
    }

    /* the signed headers, as the client listed them */

    n = 0;
    len = 0;
    name = s->signed_headers.data;
    last = name + s->signed_headers.len;

    while (name < last) {
        end = ngx_strlchr(name, last, ';');
        if (end == NULL) {
            end = last;
        }

        if (end == name || n == NGX_HTTP_SWR_SDK_HEADERS_MAX) {
            return NGX_ERROR;
        }

        if (end - name == 4 && ngx_strncasecmp(name, (u_char *) "host", 4)
                               == 0)
        {
            if (r->headers_in.host == NULL) {
                return NGX_ERROR;
            }

            value = r->headers_in.host->value;

        } else {
            h = ngx_http_swr_find_header_n(r, name, end - name);
            if (h == NULL) {
                return NGX_ERROR;
            }

            value = h->value;
        }

        while (value.len && value.data[0] == ' ') {
            value.data++;
            value.len--;
        }

        while (value.len && value.data[value.len - 1] == ' ') {
            value.len--;
        }

        names[n].data = name;
        names[n].len = end - name;
        values[n] = value;
        len += names[n].len + value.len + 2;
        n++;

        name = end + 1;
    }

    path = r->unparsed_uri;

    if (r->args_start) {
        path.len = r->args_start - 1 - path.data;
    }

    if (path.len == 0 || path.data[0] != '/') {
        path = r->uri;
    }

    len += r->method_name.len + 1
           + 3 * path.len + 2
           + query.len + 1
           + 1
           + s->signed_headers.len + 1
           + 2 * SHA256_DIGEST_LENGTH;

    out->data = ngx_pnalloc(r->pool, len);
    if (out->data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(out->data, "%V\n", &r->method_name);

    /* the path as received: each segment decoded, then encoded */

    for (seg = path.data; seg < path.data + path.len; seg = end + 1) {
        end = ngx_strlchr(seg, path.data + path.len, '/');
        if (end == NULL) {
            end = path.data + path.len;
        }

        part.data = seg;
        part.len = end - seg;

        if (ngx_http_swr_sdk_reencode(r, &part, &value) != NGX_OK) {
            return NGX_ERROR;
        }

        p = ngx_cpymem(p, value.data, value.len);

        if (end < path.data + path.len) {
            *p++ = '/';
        }
    }

    if (p[-1] != '/') {
        *p++ = '/';
    }

    *p++ = '\n';
    p = ngx_cpymem(p, query.data, query.len);
    *p++ = '\n';

    for (i = 0; i < n; i++) {
        ngx_strlow(p, names[i].data, names[i].len);
        p += names[i].len;
        *p++ = ':';
        p = ngx_cpymem(p, values[i].data, values[i].len);
        *p++ = '\n';
    }

    *p++ = '\n';
    ngx_strlow(p, s->signed_headers.data, s->signed_headers.len);
    p += s->signed_headers.len;
    *p++ = '\n';
    p = ngx_cpymem(p, s->payload, s->payload_len);

    out->len = p - out->data;

    return NGX_OK;
}


/* name=value pairs decoded, encoded again, sorted by name, then value */

typedef struct {
    ngx_str_t   name;
    ngx_str_t   value;
} ngx_http_swr_sdk_pair_t;


static ngx_int_t
ngx_http_swr_sdk_canonical_query(ngx_http_request_t *r, ngx_str_t *out)
{
    u_char                   *p, *last, *end, *eq;
    size_t                    len;
    ngx_str_t                 part;
    ngx_uint_t                i;
    ngx_array_t               pairs;
    ngx_http_swr_sdk_pair_t  *pair;

    ngx_str_null(out);

    if (r->args.len == 0) {
        return NGX_OK;
    }

    if (ngx_array_init(&pairs, r->pool, 4, sizeof(ngx_http_swr_sdk_pair_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    p = r->args.data;
    last = p + r->args.len;
    len = 0;

    while (p < last) {
        end = ngx_strlchr(p, last, '&');
        if (end == NULL) {
            end = last;
        }

        if (end == p) {
            p = end + 1;
            continue;
        }

        eq = ngx_strlchr(p, end, '=');

        pair = ngx_array_push(&pairs);
        if (pair == NULL) {
            return NGX_ERROR;
        }

        part.data = p;
        part.len = (eq ? eq : end) - p;

        if (ngx_http_swr_sdk_reencode(r, &part, &pair->name) != NGX_OK) {
            return NGX_ERROR;
        }

        part.data = eq ? eq + 1 : end;
        part.len = eq ? (size_t) (end - eq - 1) : 0;

        if (ngx_http_swr_sdk_reencode(r, &part, &pair->value) != NGX_OK) {
            return NGX_ERROR;
        }

        len += pair->name.len + 1 + pair->value.len + 1;

        p = end + 1;
    }

    ngx_qsort(pairs.elts, pairs.nelts, sizeof(ngx_http_swr_sdk_pair_t),
              ngx_http_swr_sdk_cmp);

    out->data = ngx_pnalloc(r->pool, len);
    if (out->data == NULL) {
        return NGX_ERROR;
    }

    p = out->data;
    pair = pairs.elts;

    for (i = 0; i < pairs.nelts; i++) {
        if (i) {
            *p++ = '&';
        }

        p = ngx_cpymem(p, pair[i].name.data, pair[i].name.len);
        *p++ = '=';
        p = ngx_cpymem(p, pair[i].value.data, pair[i].value.len);
    }

    out->len = p - out->data;

    return NGX_OK;
}


/* %XX decoded ("+" stays a plus), then every byte but A-Za-z0-9-._~ */

static ngx_int_t
ngx_http_swr_sdk_reencode(ngx_http_request_t *r, ngx_str_t *in,
    ngx_str_t *out)
{
    u_char  *decoded, *d, *src;

    decoded = ngx_pnalloc(r->pool, in->len + 1);
    if (decoded == NULL) {
        return NGX_ERROR;
    }

    d = decoded;
    src = in->data;
    ngx_unescape_uri(&d, &src, in->len, 0);

    out->data = ngx_pnalloc(r->pool, 3 * (d - decoded) + 1);
    if (out->data == NULL) {
        return NGX_ERROR;
    }

    out->len = ngx_http_swr_s3_escape(out->data, decoded, d - decoded, 0);

    return NGX_OK;
}


static int ngx_libc_cdecl
ngx_http_swr_sdk_cmp(const void *one, const void *two)
{
    ngx_http_swr_sdk_pair_t  *a = (ngx_http_swr_sdk_pair_t *) one;
    ngx_http_swr_sdk_pair_t  *b = (ngx_http_swr_sdk_pair_t *) two;

    int  rc;

    rc = ngx_http_swr_sdk_strcmp(&a->name, &b->name);

    return rc ? rc : ngx_http_swr_sdk_strcmp(&a->value, &b->value);
}


static int
ngx_http_swr_sdk_strcmp(ngx_str_t *a, ngx_str_t *b)
{
    int  rc;

    rc = ngx_memcmp(a->data, b->data, ngx_min(a->len, b->len));

    if (rc != 0) {
        return rc;
    }

    return (a->len > b->len) - (a->len < b->len);
}


/* 401 in the API gateway's body (the error filter writes it) */

static ngx_int_t
ngx_http_swr_sdk_refuse(ngx_http_request_t *r, ngx_http_swr_sdk_t *s,
    const char *why)
{
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->err = NGX_HTTP_SWR_ERR_SIGNATURE;
    ctx->detail.data = (u_char *) why;
    ctx->detail.len = ngx_strlen(why);

    s->done = 1;
    s->rc = NGX_HTTP_UNAUTHORIZED;

    return s->rc;
}
