
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_digest.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_referrers.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_util.h"


/*
 * GET /v2/<name>/referrers/<digest>: an OCI image index of the manifests
 * whose subject is <digest>, optionally only those of one artifactType.
 * Each referrer's descriptor was made when it was pushed and is stored as
 * "<artifactType>\n<descriptor JSON>", so filtering reads no manifest.
 */


static void ngx_http_swr_referrers_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);


static ngx_str_t  ngx_http_swr_index_type =
    ngx_string("application/vnd.oci.image.index.v1+json");


ngx_int_t
ngx_http_swr_referrers_handler(ngx_http_request_t *r)
{
    ngx_uint_t           algo;
    ngx_str_t           *filter;
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_cmd_t  *cmd;

    ctx = ngx_http_swr_get_ctx(r);

    if (ngx_http_swr_digest_parse(&ctx->ref, &algo) != NGX_OK) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DIGEST_INVALID,
                                       &ctx->ref);
    }

    filter = ngx_pcalloc(r->pool, sizeof(ngx_str_t));
    if (filter == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_arg(r, "artifactType", filter) == NGX_ERROR) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cmd = ngx_http_swr_cmd(r->pool, 2);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "HVALS") != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_REFERRERS,
                                &ctx->ref) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_wait(r, ngx_http_swr_cmd_send(r, cmd,
                                  ngx_http_swr_referrers_reply, filter));
}


static void
ngx_http_swr_referrers_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    u_char              *p, *nl, *s;
    size_t               i, len;
    ngx_buf_t           *b;
    ngx_str_t            name, value;
    ngx_uint_t           first;
    ngx_str_t           *filter = data;

    static u_char  head[] = "{\"schemaVersion\":2,\"mediaType\":"
                            "\"application/vnd.oci.image.index.v1+json\","
                            "\"manifests\":[";

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    len = sizeof(head) + 2;

    for (i = 0; i < reply->elements; i++) {
        len += reply->element[i]->len + 1;
    }

    b = ngx_create_temp_buf(r->pool, len);
    if (b == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    p = ngx_cpymem(b->last, head, sizeof(head) - 1);
    first = 1;

    for (i = 0; i < reply->elements; i++) {
        if (reply->element[i]->type != REDIS_REPLY_STRING) {
            continue;
        }

        s = (u_char *) reply->element[i]->str;
        nl = ngx_strlchr(s, s + reply->element[i]->len, '\n');
        if (nl == NULL) {
            continue;
        }

        if (filter->len
            && ((size_t) (nl - s) != filter->len
                || ngx_strncmp(s, filter->data, filter->len) != 0))
        {
            continue;
        }

        if (!first) {
            *p++ = ',';
        }

        first = 0;
        p = ngx_cpymem(p, nl + 1, s + reply->element[i]->len - nl - 1);
    }

    *p++ = ']';
    *p++ = '}';
    b->last = p;

    if (filter->len) {
        ngx_str_set(&name, "OCI-Filters-Applied");
        ngx_str_set(&value, "artifactType");

        if (ngx_http_swr_add_header(r, &name, &value) == NULL) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }
    }

    ngx_http_finalize_request(r,
        ngx_http_swr_send_body(r, NGX_HTTP_OK, &ngx_http_swr_index_type, b,
                               b->last - b->pos));
}
