
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_login.h"
#include "ngx_http_swr_secret.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_util.h"


/*
 * CreateSecret, POST /v2/manage/utils/secret: a temporary docker login
 * for the caller.  A random access key and secret key are stored like any
 * other (swr:ak:{<AK>}, the SK encrypted) with an expiry, and removed by
 * Redis then; the password is hex(HMAC-SHA256(SK, AK)), so the registry
 * takes it exactly as a long-term login, until it expires.
 */


#define NGX_HTTP_SWR_LOGIN_DEFAULT  86400
#define NGX_HTTP_SWR_LOGIN_MIN      900
#define NGX_HTTP_SWR_LOGIN_MAX      86400


typedef struct {
    ngx_str_t   user;          /* <project>@<AK> */
    ngx_str_t   password;
    time_t      expires;
} ngx_http_swr_login_t;


static void ngx_http_swr_login_stored(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_login_random(u_char *dst, size_t len);


ngx_int_t
ngx_http_swr_login_handler(ngx_http_request_t *r)
{
    u_char                    *p;
    time_t                     duration;
    ngx_int_t                  rc;
    ngx_str_t                  project, arg, ak, sk, enc, key;
    unsigned int               olen;
    ngx_http_swr_ctx_t        *ctx;
    ngx_http_swr_cmd_t        *cmd;
    ngx_http_swr_login_t      *lg;
    ngx_http_swr_identity_t   *id;
    ngx_http_swr_main_conf_t  *smcf;
    u_char                     akbuf[20], skbuf[40], md[32];

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);
    ctx = ngx_http_swr_get_ctx(r);

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    id = ctx->identity;

    if (id == NULL || id->user.len == 0 || smcf->secret == NULL) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_UNAUTHORIZED,
                                       NULL);
    }

    project = smcf->region;

    if (ngx_http_swr_arg(r, "projectname", &arg) == NGX_OK) {
        if (ngx_http_swr_auth_project(r, &arg) != NGX_OK
            || arg.len > 64
            || ngx_strlchr(arg.data, arg.data + arg.len, '@'))
        {
            return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BAD_REQUEST,
                                           &arg);
        }

        project = arg;
    }

    duration = NGX_HTTP_SWR_LOGIN_DEFAULT;

    if (ngx_http_swr_arg(r, "duration_seconds", &arg) == NGX_OK) {
        duration = ngx_atotm(arg.data, arg.len);

        if (duration == NGX_ERROR || duration < NGX_HTTP_SWR_LOGIN_MIN
            || duration > NGX_HTTP_SWR_LOGIN_MAX)
        {
            return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BAD_REQUEST,
                                           &arg);
        }
    }

    if (ngx_http_swr_login_random(akbuf, sizeof(akbuf)) != NGX_OK
        || ngx_http_swr_login_random(skbuf, sizeof(skbuf)) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ak.data = akbuf;
    ak.len = sizeof(akbuf);
    sk.data = skbuf;
    sk.len = sizeof(skbuf);

    if (ngx_http_swr_secret_encrypt(r->pool, smcf->secret, &sk, &enc)
        != NGX_OK
        || HMAC(EVP_sha256(), skbuf, sizeof(skbuf), akbuf, sizeof(akbuf), md,
                &olen)
           == NULL)
    {
        ngx_explicit_memzero(skbuf, sizeof(skbuf));
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_explicit_memzero(skbuf, sizeof(skbuf));

    lg = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_login_t));
    if (lg == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    lg->expires = ngx_time() + duration;

    lg->user.len = project.len + 1 + ak.len;
    lg->user.data = ngx_pnalloc(r->pool, lg->user.len);
    if (lg->user.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_sprintf(lg->user.data, "%V@%V", &project, &ak);

    lg->password.len = 64;
    lg->password.data = ngx_pnalloc(r->pool, 64);
    if (lg->password.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_hex_dump(lg->password.data, md, 32);

    /* the temporary key, gone with its expiry */

    p = ngx_pnalloc(r->pool, sizeof("swr:ak:{}") + ak.len);
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    key.data = p;
    key.len = ngx_sprintf(p, "swr:ak:{%V}", &ak) - p;

    cmd = ngx_http_swr_cmd(r->pool, 16);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "EVAL") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd,
               "redis.call('HSET', KEYS[1], 'user', ARGV[1], 'sk', ARGV[2],\n"
               "           'enabled', '1', 'created', ARGV[3],\n"
               "           'expires', ARGV[4], 'temporary', '1')\n"
               "redis.call('EXPIREAT', KEYS[1], ARGV[4])\n"
               "return 'ok'\n") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "1") != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &key) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &id->user) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &enc) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, ngx_time()) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, lg->expires) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_wait(r, ngx_http_swr_cmd_send(r, cmd,
                                  ngx_http_swr_login_stored, lg));
}


static void
ngx_http_swr_login_stored(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_login_t  *lg = data;

    ngx_str_t             host, value, plain, auth;
    struct tm             tm;
    ngx_http_swr_json_t  *j;

    static ngx_str_t  login_name = ngx_string("X-Swr-Dockerlogin");
    static ngx_str_t  expire_name = ngx_string("X-Swr-Expireat");

    if (reply == NULL
        || (reply->type != REDIS_REPLY_STATUS
            && reply->type != REDIS_REPLY_STRING))
    {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    /* docker login -u <project>@<AK> -p <key>, the host left out */

    value.len = sizeof("docker login -u  -p ") - 1 + lg->user.len
                + lg->password.len;
    value.data = ngx_pnalloc(r->pool, value.len);
    if (value.data == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_sprintf(value.data, "docker login -u %V -p %V", &lg->user,
                &lg->password);

    if (ngx_http_swr_add_header(r, &login_name, &value) == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_libc_gmtime(lg->expires, &tm);

    value.data = ngx_pnalloc(r->pool, sizeof("2006-01-02T15:04:05.000000Z"));
    if (value.data == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    value.len = strftime((char *) value.data,
                         sizeof("2006-01-02T15:04:05.000000Z"),
                         "%Y-%m-%dT%H:%M:%S.000000Z", &tm);

    if (ngx_http_swr_add_header(r, &expire_name, &value) == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    /* {"auths": {"<host>": {"auth": base64("<user>:<password>")}}} */

    host = r->headers_in.host ? r->headers_in.host->value
                              : r->headers_in.server;

    plain.len = lg->user.len + 1 + lg->password.len;
    plain.data = ngx_pnalloc(r->pool, plain.len);
    auth.data = ngx_pnalloc(r->pool, ngx_base64_encoded_length(plain.len));

    if (plain.data == NULL || auth.data == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_sprintf(plain.data, "%V:%V", &lg->user, &lg->password);
    ngx_encode_base64(&auth, &plain);

    j = ngx_http_swr_json_create(r->pool);

    if (j == NULL
        || ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "auths") != NGX_OK
        || ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_str(j, &host) != NGX_OK
        || ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "auth") != NGX_OK
        || ngx_http_swr_json_str(j, &auth) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_send_json(r, NGX_HTTP_OK, j));
}


/* uppercase letters and digits, as access keys are */

static ngx_int_t
ngx_http_swr_login_random(u_char *dst, size_t len)
{
    size_t  i;
    u_char  rnd[64];

    static u_char  alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    if (len > sizeof(rnd) || RAND_bytes(rnd, (int) len) != 1) {
        return NGX_ERROR;
    }

    for (i = 0; i < len; i++) {
        dst[i] = alphabet[rnd[i] % 36];
    }

    return NGX_OK;
}
