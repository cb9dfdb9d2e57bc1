
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <yajl/yajl_parse.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_jwt.h"
#include "ngx_http_swr_util.h"


/*
 * Registry tokens (the Docker token authentication specification): JSON
 * Web Tokens signed with ES256 by the key of swr_token_key, issued by
 * the token endpoint and verified here, in the worker, on every request
 * that carries one.  A token is accepted only with the exact header this
 * module writes, so "alg": "none" or another algorithm never gets as far
 * as a signature check.
 */


typedef enum {
    NGX_HTTP_SWR_JWT_KEY_NONE = 0,
    NGX_HTTP_SWR_JWT_KEY_ISS,
    NGX_HTTP_SWR_JWT_KEY_SUB,
    NGX_HTTP_SWR_JWT_KEY_AUD,
    NGX_HTTP_SWR_JWT_KEY_EXP,
    NGX_HTTP_SWR_JWT_KEY_NBF,
    NGX_HTTP_SWR_JWT_KEY_ACCESS,
    NGX_HTTP_SWR_JWT_KEY_TYPE,
    NGX_HTTP_SWR_JWT_KEY_NAME,
    NGX_HTTP_SWR_JWT_KEY_ACTIONS,
    NGX_HTTP_SWR_JWT_KEY_ACCOUNT,
    NGX_HTTP_SWR_JWT_KEY_USER_NAME,
    NGX_HTTP_SWR_JWT_KEY_ACCOUNT_NAME
} ngx_http_swr_jwt_key_e;


typedef struct {
    ngx_pool_t                  *pool;
    ngx_http_swr_jwt_claims_t   *claims;
    ngx_http_swr_jwt_access_t   *entry;
    ngx_uint_t                   depth;
    ngx_uint_t                   key;
    ngx_uint_t                   repository;  /* entry is of that type */
    ngx_uint_t                   in_access:1;
    ngx_uint_t                   in_actions:1;
} ngx_http_swr_jwt_parse_t;


/*
 * Tokens verified lately, per worker: a token comes back on every request
 * of a push or a pull, and an ECDSA verification costs more than the rest
 * of a manifest GET.  Slots are found by the token's SHA-256; a token
 * with more entries or longer names than a slot holds is verified each
 * time.
 */

#define NGX_HTTP_SWR_JWT_SLOTS     256
#define NGX_HTTP_SWR_JWT_ENTRIES   8
#define NGX_HTTP_SWR_JWT_NAME      256
#define NGX_HTTP_SWR_JWT_SHORT     64
#define NGX_HTTP_SWR_JWT_STRINGS   6    /* iss sub aud acct name acct_name */


typedef struct {
    u_char       name[NGX_HTTP_SWR_JWT_NAME];
    size_t       len;
    ngx_uint_t   actions;
} ngx_http_swr_jwt_entry_t;


typedef struct {
    u_char                     md[SHA256_DIGEST_LENGTH];
    time_t                     exp;
    time_t                     nbf;
    ngx_uint_t                 n;
    size_t                     len[NGX_HTTP_SWR_JWT_STRINGS];
    u_char                     str[NGX_HTTP_SWR_JWT_STRINGS]
                                  [NGX_HTTP_SWR_JWT_SHORT];
    ngx_http_swr_jwt_entry_t   entry[NGX_HTTP_SWR_JWT_ENTRIES];
} ngx_http_swr_jwt_slot_t;


static ngx_http_swr_table_t  ngx_http_swr_jwt_cache;


static void ngx_http_swr_jwt_strings(ngx_http_swr_jwt_claims_t *claims,
    ngx_str_t **str);
static ngx_int_t ngx_http_swr_jwt_cached(ngx_pool_t *pool, u_char *md,
    ngx_http_swr_jwt_claims_t *claims);
static void ngx_http_swr_jwt_remember(u_char *md,
    ngx_http_swr_jwt_claims_t *claims);
static ngx_int_t ngx_http_swr_jwt_check(ngx_pool_t *pool,
    ngx_http_swr_main_conf_t *smcf, ngx_str_t *token,
    ngx_http_swr_jwt_claims_t *claims);
static void ngx_http_swr_jwt_key_free(void *data);
static ngx_int_t ngx_http_swr_jwt_parse(ngx_pool_t *pool, ngx_str_t *json,
    ngx_http_swr_jwt_claims_t *claims);
static int ngx_http_swr_jwt_string(void *ctx, const unsigned char *s,
    size_t len);
static int ngx_http_swr_jwt_number(void *ctx, const char *s, size_t len);
static int ngx_http_swr_jwt_map_key(void *ctx, const unsigned char *s,
    size_t len);
static int ngx_http_swr_jwt_start(void *ctx);
static int ngx_http_swr_jwt_end(void *ctx);


static yajl_callbacks  ngx_http_swr_jwt_callbacks = {
    NULL,                                  /* null */
    NULL,                                  /* boolean */
    NULL,                                  /* integer */
    NULL,                                  /* double */
    ngx_http_swr_jwt_number,               /* number */
    ngx_http_swr_jwt_string,               /* string */
    ngx_http_swr_jwt_start,                /* start map */
    ngx_http_swr_jwt_map_key,              /* map key */
    ngx_http_swr_jwt_end,                  /* end map */
    ngx_http_swr_jwt_start,                /* start array */
    ngx_http_swr_jwt_end                   /* end array */
};


/* swr_token_key <file>; an EC P-256 private key in PEM */

char *
ngx_http_swr_token_key(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_main_conf_t  *smcf = conf;

    int                  len;
    u_char              *der, *p, md[SHA256_DIGEST_LENGTH];
    BIO                 *bio;
    EVP_PKEY            *key;
    ngx_str_t           *value, name, header, json;
    ngx_pool_cleanup_t  *cln;
    u_char               kid[24];

    if (smcf->token_key != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;
    name = value[1];

    if (ngx_conf_full_name(cf->cycle, &name, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    bio = BIO_new_file((char *) name.data, "r");
    if (bio == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "cannot open the token key \"%V\"", &name);
        return NGX_CONF_ERROR;
    }

    key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);

    if (key == NULL || EVP_PKEY_base_id(key) != EVP_PKEY_EC
        || EVP_PKEY_bits(key) != 256)
    {
        if (key) {
            EVP_PKEY_free(key);
        }

        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" is not an EC P-256 private key in PEM",
                           &name);
        return NGX_CONF_ERROR;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        EVP_PKEY_free(key);
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_swr_jwt_key_free;
    cln->data = key;

    smcf->token_key = key;

    /* the key id: the public key's SHA-256, its first 12 bytes in hex */

    der = NULL;
    len = i2d_PUBKEY(key, &der);
    if (len <= 0) {
        return NGX_CONF_ERROR;
    }

    SHA256(der, len, md);
    OPENSSL_free(der);

    ngx_hex_dump(kid, md, 12);

    smcf->token_kid.len = 24;
    smcf->token_kid.data = ngx_pnalloc(cf->pool, 24);
    if (smcf->token_kid.data == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memcpy(smcf->token_kid.data, kid, 24);

    json.len = sizeof("{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"\"}") - 1
               + 24;
    json.data = ngx_pnalloc(cf->pool, json.len);
    if (json.data == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_sprintf(json.data, "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"%V\"}",
                &smcf->token_kid);

    p = ngx_pnalloc(cf->pool, ngx_base64_encoded_length(json.len));
    if (p == NULL) {
        return NGX_CONF_ERROR;
    }

    header.data = p;
    ngx_encode_base64url(&header, &json);

    smcf->token_header = header;

    return NGX_CONF_OK;
}


static void
ngx_http_swr_jwt_key_free(void *data)
{
    EVP_PKEY_free(data);
}


/* header.claims.signature, the claims JSON given */

ngx_int_t
ngx_http_swr_jwt_sign(ngx_pool_t *pool, ngx_http_swr_main_conf_t *smcf,
    ngx_str_t *claims, ngx_str_t *token)
{
    u_char             *p, *input, raw[64];
    size_t              siglen, len;
    ngx_str_t           part, src;
    ngx_int_t           rc;
    EVP_MD_CTX         *md;
    ECDSA_SIG          *sig;
    const BIGNUM       *r, *s;
    const u_char       *q;
    u_char              der[80];

    len = smcf->token_header.len + 1 + ngx_base64_encoded_length(claims->len)
          + 1 + ngx_base64_encoded_length(64);

    input = ngx_pnalloc(pool, len);
    if (input == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(input, smcf->token_header.data, smcf->token_header.len);
    *p++ = '.';

    part.data = p;
    ngx_encode_base64url(&part, claims);
    p += part.len;

    md = EVP_MD_CTX_new();
    if (md == NULL) {
        return NGX_ERROR;
    }

    siglen = sizeof(der);
    rc = NGX_ERROR;

    if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, smcf->token_key)
        == 1
        && EVP_DigestSign(md, der, &siglen, input, p - input) == 1)
    {
        rc = NGX_OK;
    }

    EVP_MD_CTX_free(md);

    if (rc != NGX_OK) {
        return NGX_ERROR;
    }

    /* JWS wants r and s, 32 bytes each, not DER */

    q = der;
    sig = d2i_ECDSA_SIG(NULL, &q, siglen);
    if (sig == NULL) {
        return NGX_ERROR;
    }

    ECDSA_SIG_get0(sig, &r, &s);

    if (BN_bn2binpad(r, raw, 32) != 32 || BN_bn2binpad(s, raw + 32, 32) != 32)
    {
        ECDSA_SIG_free(sig);
        return NGX_ERROR;
    }

    ECDSA_SIG_free(sig);

    *p++ = '.';

    src.data = raw;
    src.len = 64;
    part.data = p;
    ngx_encode_base64url(&part, &src);
    p += part.len;

    token->data = input;
    token->len = p - input;

    return NGX_OK;
}


/*
 * NGX_OK: signed by our key, with our header, claims parsed (times and
 * audience are the caller's to check); NGX_DECLINED: not a token of ours.
 */

ngx_int_t
ngx_http_swr_jwt_verify(ngx_pool_t *pool, ngx_http_swr_main_conf_t *smcf,
    ngx_str_t *token, ngx_http_swr_jwt_claims_t *claims)
{
    ngx_int_t  rc;
    u_char     md[SHA256_DIGEST_LENGTH];

    SHA256(token->data, token->len, md);

    rc = ngx_http_swr_jwt_cached(pool, md, claims);
    if (rc != NGX_DECLINED) {
        return rc;
    }

    rc = ngx_http_swr_jwt_check(pool, smcf, token, claims);

    if (rc == NGX_OK) {
        ngx_http_swr_jwt_remember(md, claims);
    }

    return rc;
}


/* the claims a slot keeps as short strings, in the slot's order */

static void
ngx_http_swr_jwt_strings(ngx_http_swr_jwt_claims_t *claims, ngx_str_t **str)
{
    str[0] = &claims->iss;
    str[1] = &claims->sub;
    str[2] = &claims->aud;
    str[3] = &claims->account;
    str[4] = &claims->name;
    str[5] = &claims->account_name;
}


static ngx_int_t
ngx_http_swr_jwt_cached(ngx_pool_t *pool, u_char *md,
    ngx_http_swr_jwt_claims_t *claims)
{
    ngx_str_t                  *str[NGX_HTTP_SWR_JWT_STRINGS];
    ngx_uint_t                  i;
    ngx_http_swr_jwt_slot_t    *slot;
    ngx_http_swr_jwt_access_t  *acc;

    /* a new cycle (a reload, perhaps another key) starts afresh */

    slot = ngx_http_swr_worker_table(&ngx_http_swr_jwt_cache,
                                     NGX_HTTP_SWR_JWT_SLOTS
                                     * sizeof(ngx_http_swr_jwt_slot_t), 0);
    if (slot == NULL) {
        return NGX_DECLINED;
    }

    slot += md[0];

    if (ngx_memcmp(slot->md, md, SHA256_DIGEST_LENGTH) != 0
        || slot->exp <= ngx_time())
    {
        return NGX_DECLINED;
    }

    ngx_memzero(claims, sizeof(ngx_http_swr_jwt_claims_t));

    if (ngx_array_init(&claims->access, pool, slot->n ? slot->n : 1,
                       sizeof(ngx_http_swr_jwt_access_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    claims->exp = slot->exp;
    claims->nbf = slot->nbf;

    ngx_http_swr_jwt_strings(claims, str);

    if (ngx_http_swr_slot_strings(pool, str, NGX_HTTP_SWR_JWT_STRINGS,
                                  slot->len, slot->str[0],
                                  sizeof(slot->str[0]))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    for (i = 0; i < slot->n; i++) {
        acc = ngx_array_push(&claims->access);
        if (acc == NULL) {
            return NGX_ERROR;
        }

        acc->name.len = slot->entry[i].len;
        acc->name.data = ngx_pnalloc(pool, slot->entry[i].len + 1);
        if (acc->name.data == NULL) {
            return NGX_ERROR;
        }

        ngx_memcpy(acc->name.data, slot->entry[i].name, slot->entry[i].len);
        acc->actions = slot->entry[i].actions;
    }

    return NGX_OK;
}


static void
ngx_http_swr_jwt_remember(u_char *md, ngx_http_swr_jwt_claims_t *claims)
{
    ngx_str_t                  *str[NGX_HTTP_SWR_JWT_STRINGS];
    ngx_uint_t                  i;
    ngx_http_swr_jwt_slot_t    *slot;
    ngx_http_swr_jwt_access_t  *acc;

    if (claims->access.nelts > NGX_HTTP_SWR_JWT_ENTRIES) {
        return;
    }

    ngx_http_swr_jwt_strings(claims, str);

    for (i = 0; i < NGX_HTTP_SWR_JWT_STRINGS; i++) {
        if (str[i]->len > NGX_HTTP_SWR_JWT_SHORT) {
            return;
        }
    }

    acc = claims->access.elts;

    for (i = 0; i < claims->access.nelts; i++) {
        if (acc[i].name.len > NGX_HTTP_SWR_JWT_NAME) {
            return;
        }
    }

    slot = ngx_http_swr_worker_table(&ngx_http_swr_jwt_cache,
                                     NGX_HTTP_SWR_JWT_SLOTS
                                     * sizeof(ngx_http_swr_jwt_slot_t), 1);
    if (slot == NULL) {
        return;
    }

    slot += md[0];

    ngx_memcpy(slot->md, md, SHA256_DIGEST_LENGTH);
    slot->exp = claims->exp;
    slot->nbf = claims->nbf;

    for (i = 0; i < NGX_HTTP_SWR_JWT_STRINGS; i++) {
        slot->len[i] = str[i]->len;
        ngx_memcpy(slot->str[i], str[i]->data, str[i]->len);
    }

    slot->n = claims->access.nelts;

    for (i = 0; i < slot->n; i++) {
        slot->entry[i].len = acc[i].name.len;
        ngx_memcpy(slot->entry[i].name, acc[i].name.data, acc[i].name.len);
        slot->entry[i].actions = acc[i].actions;
    }
}


static ngx_int_t
ngx_http_swr_jwt_check(ngx_pool_t *pool, ngx_http_swr_main_conf_t *smcf,
    ngx_str_t *token, ngx_http_swr_jwt_claims_t *claims)
{
    int            ok;
    u_char        *dot1, *dot2, *last, *p, raw[66];
    BIGNUM        *r, *s;
    ngx_str_t      part, json;
    ECDSA_SIG     *sig;
    EVP_MD_CTX    *md;
    u_char        *der;
    int            derlen;

    if (smcf->token_key == NULL) {
        return NGX_DECLINED;
    }

    last = token->data + token->len;

    dot1 = ngx_strlchr(token->data, last, '.');
    if (dot1 == NULL) {
        return NGX_DECLINED;
    }

    dot2 = ngx_strlchr(dot1 + 1, last, '.');
    if (dot2 == NULL) {
        return NGX_DECLINED;
    }

    if ((size_t) (dot1 - token->data) != smcf->token_header.len
        || ngx_strncmp(token->data, smcf->token_header.data,
                       smcf->token_header.len) != 0)
    {
        return NGX_DECLINED;
    }

    part.data = dot2 + 1;
    part.len = last - dot2 - 1;

    if (part.len != 86) {
        return NGX_DECLINED;
    }

    json.data = raw;

    if (ngx_decode_base64url(&json, &part) != NGX_OK || json.len != 64) {
        return NGX_DECLINED;
    }

    r = BN_bin2bn(raw, 32, NULL);
    s = BN_bin2bn(raw + 32, 32, NULL);
    sig = ECDSA_SIG_new();

    if (r == NULL || s == NULL || sig == NULL
        || ECDSA_SIG_set0(sig, r, s) != 1)
    {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return NGX_ERROR;
    }

    der = NULL;
    derlen = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);

    if (derlen <= 0) {
        return NGX_ERROR;
    }

    md = EVP_MD_CTX_new();
    if (md == NULL) {
        OPENSSL_free(der);
        return NGX_ERROR;
    }

    ok = (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, smcf->token_key)
          == 1
          && EVP_DigestVerify(md, der, derlen, token->data,
                              dot2 - token->data)
             == 1);

    EVP_MD_CTX_free(md);
    OPENSSL_free(der);

    if (!ok) {
        return NGX_DECLINED;
    }

    part.data = dot1 + 1;
    part.len = dot2 - dot1 - 1;

    p = ngx_pnalloc(pool, ngx_base64_decoded_length(part.len) + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    json.data = p;

    if (ngx_decode_base64url(&json, &part) != NGX_OK) {
        return NGX_DECLINED;
    }

    return ngx_http_swr_jwt_parse(pool, &json, claims);
}


/* the claims this module writes; others are ignored */

static ngx_int_t
ngx_http_swr_jwt_parse(ngx_pool_t *pool, ngx_str_t *json,
    ngx_http_swr_jwt_claims_t *claims)
{
    yajl_handle                h;
    yajl_status                st;
    yajl_alloc_funcs           af;
    ngx_http_swr_jwt_parse_t   jp;

    ngx_memzero(claims, sizeof(ngx_http_swr_jwt_claims_t));

    if (ngx_array_init(&claims->access, pool, 2,
                       sizeof(ngx_http_swr_jwt_access_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    ngx_memzero(&jp, sizeof(ngx_http_swr_jwt_parse_t));
    jp.pool = pool;
    jp.claims = claims;

    ngx_http_swr_json_alloc_funcs(&af, pool);

    h = yajl_alloc(&ngx_http_swr_jwt_callbacks, &af, &jp);
    if (h == NULL) {
        return NGX_ERROR;
    }

    st = yajl_parse(h, json->data, json->len);

    if (st == yajl_status_ok) {
        st = yajl_complete_parse(h);
    }

    yajl_free(h);

    return (st == yajl_status_ok) ? NGX_OK : NGX_DECLINED;
}


static int
ngx_http_swr_jwt_start(void *ctx)
{
    ngx_http_swr_jwt_parse_t  *jp = ctx;

    jp->depth++;

    if (jp->depth == 2 && jp->key == NGX_HTTP_SWR_JWT_KEY_ACCESS) {
        jp->in_access = 1;
    }

    if (jp->in_access && jp->depth == 3) {
        jp->entry = ngx_array_push(&jp->claims->access);
        if (jp->entry == NULL) {
            return 0;
        }

        ngx_memzero(jp->entry, sizeof(ngx_http_swr_jwt_access_t));
        jp->repository = 0;
    }

    if (jp->in_access && jp->depth == 4
        && jp->key == NGX_HTTP_SWR_JWT_KEY_ACTIONS)
    {
        jp->in_actions = 1;
    }

    jp->key = NGX_HTTP_SWR_JWT_KEY_NONE;

    return 1;
}


static int
ngx_http_swr_jwt_end(void *ctx)
{
    ngx_http_swr_jwt_parse_t  *jp = ctx;

    if (jp->in_actions && jp->depth == 4) {
        jp->in_actions = 0;
    }

    if (jp->in_access && jp->depth == 3) {

        /* only repository entries count */

        if (!jp->repository && jp->entry) {
            jp->claims->access.nelts--;
        }

        jp->entry = NULL;
    }

    if (jp->in_access && jp->depth == 2) {
        jp->in_access = 0;
    }

    jp->depth--;
    jp->key = NGX_HTTP_SWR_JWT_KEY_NONE;

    return 1;
}


static int
ngx_http_swr_jwt_map_key(void *ctx, const unsigned char *s, size_t len)
{
    ngx_http_swr_jwt_parse_t  *jp = ctx;

    ngx_uint_t  i;

    static struct {
        const char  *name;
        ngx_uint_t   depth;
        ngx_uint_t   key;
    } keys[] = {
        { "iss", 1, NGX_HTTP_SWR_JWT_KEY_ISS },
        { "sub", 1, NGX_HTTP_SWR_JWT_KEY_SUB },
        { "aud", 1, NGX_HTTP_SWR_JWT_KEY_AUD },
        { "exp", 1, NGX_HTTP_SWR_JWT_KEY_EXP },
        { "nbf", 1, NGX_HTTP_SWR_JWT_KEY_NBF },
        { "access", 1, NGX_HTTP_SWR_JWT_KEY_ACCESS },
        { "acct", 1, NGX_HTTP_SWR_JWT_KEY_ACCOUNT },
        { "name", 1, NGX_HTTP_SWR_JWT_KEY_USER_NAME },
        { "acct_name", 1, NGX_HTTP_SWR_JWT_KEY_ACCOUNT_NAME },
        { "type", 3, NGX_HTTP_SWR_JWT_KEY_TYPE },
        { "name", 3, NGX_HTTP_SWR_JWT_KEY_NAME },
        { "actions", 3, NGX_HTTP_SWR_JWT_KEY_ACTIONS },
        { NULL, 0, 0 }
    };

    jp->key = NGX_HTTP_SWR_JWT_KEY_NONE;

    for (i = 0; keys[i].name; i++) {
        if (keys[i].depth == jp->depth
            && ngx_strlen(keys[i].name) == len
            && ngx_strncmp(keys[i].name, s, len) == 0
            && (jp->depth == 1 || jp->in_access))
        {
            jp->key = keys[i].key;
            break;
        }
    }

    return 1;
}


static int
ngx_http_swr_jwt_string(void *ctx, const unsigned char *s, size_t len)
{
    ngx_http_swr_jwt_parse_t  *jp = ctx;

    ngx_str_t  *dst, v;

    v.data = (u_char *) s;
    v.len = len;

    if (jp->in_actions && jp->entry) {
        jp->entry->actions |= ngx_http_swr_jwt_action((u_char *) s, len);
        return 1;
    }

    switch (jp->key) {

    case NGX_HTTP_SWR_JWT_KEY_ISS:
        dst = &jp->claims->iss;
        break;

    case NGX_HTTP_SWR_JWT_KEY_SUB:
        dst = &jp->claims->sub;
        break;

    case NGX_HTTP_SWR_JWT_KEY_AUD:
        dst = &jp->claims->aud;
        break;

    case NGX_HTTP_SWR_JWT_KEY_ACCOUNT:
        dst = &jp->claims->account;
        break;

    case NGX_HTTP_SWR_JWT_KEY_USER_NAME:
        dst = &jp->claims->name;
        break;

    case NGX_HTTP_SWR_JWT_KEY_ACCOUNT_NAME:
        dst = &jp->claims->account_name;
        break;

    case NGX_HTTP_SWR_JWT_KEY_TYPE:
        if (jp->entry && len == 10 && ngx_strncmp(s, "repository", 10) == 0)
        {
            jp->repository = 1;
        }

        jp->key = NGX_HTTP_SWR_JWT_KEY_NONE;
        return 1;

    case NGX_HTTP_SWR_JWT_KEY_NAME:
        if (jp->entry == NULL) {
            return 1;
        }

        dst = &jp->entry->name;
        break;

    default:
        return 1;
    }

    dst->data = ngx_pstrdup(jp->pool, &v);
    if (dst->data == NULL) {
        return 0;
    }

    dst->len = len;
    jp->key = NGX_HTTP_SWR_JWT_KEY_NONE;

    return 1;
}


static int
ngx_http_swr_jwt_number(void *ctx, const char *s, size_t len)
{
    ngx_http_swr_jwt_parse_t  *jp = ctx;

    time_t  t;

    if (jp->key != NGX_HTTP_SWR_JWT_KEY_EXP
        && jp->key != NGX_HTTP_SWR_JWT_KEY_NBF)
    {
        return 1;
    }

    t = ngx_atotm((u_char *) s, len);
    if (t == NGX_ERROR) {
        return 0;
    }

    if (jp->key == NGX_HTTP_SWR_JWT_KEY_EXP) {
        jp->claims->exp = t;

    } else {
        jp->claims->nbf = t;
    }

    jp->key = NGX_HTTP_SWR_JWT_KEY_NONE;

    return 1;
}


/* the bits of an action of the "access" claim or of a scope; 0: unknown */

ngx_uint_t
ngx_http_swr_jwt_action(u_char *s, size_t len)
{
    if (len == 4 && ngx_strncmp(s, "pull", 4) == 0) {
        return NGX_HTTP_SWR_ACTION_PULL;
    }

    if (len == 4 && ngx_strncmp(s, "push", 4) == 0) {
        return NGX_HTTP_SWR_ACTION_PUSH;
    }

    if (len == 6 && ngx_strncmp(s, "delete", 6) == 0) {
        return NGX_HTTP_SWR_ACTION_DELETE;
    }

    if (len == 1 && s[0] == '*') {
        return NGX_HTTP_SWR_ACTION_PULL | NGX_HTTP_SWR_ACTION_PUSH
               | NGX_HTTP_SWR_ACTION_DELETE;
    }

    return 0;
}
