
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_secret.h"


/*
 * Secret keys at rest: Redis holds each SK encrypted with a key of the
 * module's (swr_secret_key_file: 32 bytes as 64 hex digits), so a copy
 * of Redis alone gives no usable secret.  Stored as
 *
 *     v1:<hex iv>:<hex ciphertext>:<hex tag>
 *
 * ciphertext = AES-256-CTR(enc, iv, SK), tag = HMAC-SHA256(mac,
 * "v1:<hex iv>:<hex ciphertext>"), where enc and mac are HMAC-SHA256 of
 * the file's key over "swr-sk-enc" and "swr-sk-mac".  util/swr-admin
 * writes them.
 */


#define NGX_HTTP_SWR_SECRET_MAX  256


static ngx_int_t ngx_http_swr_secret_unhex(u_char *dst, u_char *src,
    size_t len);


char *
ngx_http_swr_secret_key_file(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_main_conf_t  *smcf = conf;

    u_char       *p, master[32], buf[128];
    size_t        len;
    ssize_t       n;
    ngx_fd_t      fd;
    ngx_str_t    *value, name;
    unsigned int  olen;

    if (smcf->secret != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;
    name = value[1];

    if (ngx_conf_full_name(cf->cycle, &name, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    fd = ngx_open_file(name.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_open_file_n " \"%V\" failed", &name);
        return NGX_CONF_ERROR;
    }

    n = ngx_read_fd(fd, buf, sizeof(buf));
    ngx_close_file(fd);

    if (n < 64) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" must hold 64 hex digits", &name);
        return NGX_CONF_ERROR;
    }

    len = n;

    while (len > 64 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) {
        len--;
    }

    if (len != 64 || ngx_http_swr_secret_unhex(master, buf, 64) != NGX_OK) {
        ngx_explicit_memzero(buf, sizeof(buf));
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" must hold 64 hex digits", &name);
        return NGX_CONF_ERROR;
    }

    ngx_explicit_memzero(buf, sizeof(buf));

    smcf->secret = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_secret_t));
    if (smcf->secret == NULL) {
        return NGX_CONF_ERROR;
    }

    p = (u_char *) "swr-sk-enc";

    if (HMAC(EVP_sha256(), master, 32, p, 10, smcf->secret->enc, &olen)
        == NULL)
    {
        return NGX_CONF_ERROR;
    }

    p = (u_char *) "swr-sk-mac";

    if (HMAC(EVP_sha256(), master, 32, p, 10, smcf->secret->mac, &olen)
        == NULL)
    {
        return NGX_CONF_ERROR;
    }

    ngx_explicit_memzero(master, sizeof(master));

    return NGX_CONF_OK;
}


/* the SK of a stored "v1:..." string; NGX_DECLINED if it is not ours */

ngx_int_t
ngx_http_swr_secret_decrypt(ngx_http_swr_secret_t *secret, ngx_str_t *in,
    u_char *out, size_t *outlen)
{
    int              n;
    u_char          *p, *iv_hex, *ct_hex, *tag_hex, *last;
    size_t           ct_len;
    unsigned int     olen;
    EVP_CIPHER_CTX  *cipher;
    u_char           iv[16], tag[32], mac[32];
    u_char           ct[NGX_HTTP_SWR_SECRET_MAX];

    if (in->len < 3 || ngx_strncmp(in->data, "v1:", 3) != 0) {
        return NGX_DECLINED;
    }

    last = in->data + in->len;
    iv_hex = in->data + 3;

    ct_hex = ngx_strlchr(iv_hex, last, ':');
    if (ct_hex == NULL || ct_hex - iv_hex != 32) {
        return NGX_DECLINED;
    }

    ct_hex++;

    tag_hex = ngx_strlchr(ct_hex, last, ':');
    if (tag_hex == NULL || last - tag_hex - 1 != 64) {
        return NGX_DECLINED;
    }

    ct_len = (tag_hex - ct_hex) / 2;

    if ((tag_hex - ct_hex) % 2 || ct_len == 0
        || ct_len > NGX_HTTP_SWR_SECRET_MAX)
    {
        return NGX_DECLINED;
    }

    p = tag_hex++;

    if (ngx_http_swr_secret_unhex(iv, iv_hex, 32) != NGX_OK
        || ngx_http_swr_secret_unhex(ct, ct_hex, ct_len * 2) != NGX_OK
        || ngx_http_swr_secret_unhex(tag, tag_hex, 64) != NGX_OK)
    {
        return NGX_DECLINED;
    }

    /* the tag first: a value that is not ours decrypts to nothing */

    if (HMAC(EVP_sha256(), secret->mac, 32, in->data, p - in->data, mac,
             &olen)
        == NULL)
    {
        return NGX_ERROR;
    }

    if (CRYPTO_memcmp(mac, tag, 32) != 0) {
        return NGX_DECLINED;
    }

    cipher = EVP_CIPHER_CTX_new();
    if (cipher == NULL) {
        return NGX_ERROR;
    }

    n = 0;

    if (EVP_DecryptInit_ex(cipher, EVP_aes_256_ctr(), NULL, secret->enc, iv)
        != 1
        || EVP_DecryptUpdate(cipher, out, &n, ct, (int) ct_len) != 1)
    {
        EVP_CIPHER_CTX_free(cipher);
        return NGX_ERROR;
    }

    EVP_CIPHER_CTX_free(cipher);

    *outlen = n;

    return NGX_OK;
}


/* the stored form of an SK: "v1:<hex iv>:<hex ct>:<hex tag>" */

ngx_int_t
ngx_http_swr_secret_encrypt(ngx_pool_t *pool, ngx_http_swr_secret_t *secret,
    ngx_str_t *sk, ngx_str_t *out)
{
    int              n;
    u_char          *p;
    unsigned int     olen;
    EVP_CIPHER_CTX  *cipher;
    u_char           iv[16], mac[32], ct[NGX_HTTP_SWR_SECRET_MAX];

    if (sk->len == 0 || sk->len > NGX_HTTP_SWR_SECRET_MAX
        || RAND_bytes(iv, sizeof(iv)) != 1)
    {
        return NGX_ERROR;
    }

    cipher = EVP_CIPHER_CTX_new();
    if (cipher == NULL) {
        return NGX_ERROR;
    }

    n = 0;

    if (EVP_EncryptInit_ex(cipher, EVP_aes_256_ctr(), NULL, secret->enc, iv)
        != 1
        || EVP_EncryptUpdate(cipher, ct, &n, sk->data, (int) sk->len) != 1)
    {
        EVP_CIPHER_CTX_free(cipher);
        return NGX_ERROR;
    }

    EVP_CIPHER_CTX_free(cipher);

    out->data = ngx_pnalloc(pool, sizeof("v1:::") + 32 + 2 * n + 64);
    if (out->data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(out->data, "v1:", 3);
    p = ngx_hex_dump(p, iv, sizeof(iv));
    *p++ = ':';
    p = ngx_hex_dump(p, ct, n);

    if (HMAC(EVP_sha256(), secret->mac, 32, out->data, p - out->data, mac,
             &olen)
        == NULL)
    {
        return NGX_ERROR;
    }

    *p++ = ':';
    p = ngx_hex_dump(p, mac, sizeof(mac));

    out->len = p - out->data;

    return NGX_OK;
}


static ngx_int_t
ngx_http_swr_secret_unhex(u_char *dst, u_char *src, size_t len)
{
    ngx_int_t  hi, lo;

    while (len >= 2) {
        hi = ngx_hextoi(src, 1);
        lo = ngx_hextoi(src + 1, 1);

        if (hi == NGX_ERROR || lo == NGX_ERROR) {
            return NGX_ERROR;
        }

        *dst++ = (u_char) (hi * 16 + lo);
        src += 2;
        len -= 2;
    }

    return len ? NGX_ERROR : NGX_OK;
}
