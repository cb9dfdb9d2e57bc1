
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_obs.h"
#include "ngx_http_swr_sign.h"
#include "ngx_http_swr_util.h"


/*
 * Object stores (Huawei OBS and any S3-compatible store) are reached
 * through nginx's own proxy: the module's calls (and a location of the
 * operator's with "swr_obs_object") fill the $swr_obs_* variables, and the
 * proxy location (conf/swr_obs_proxy.conf) sends them:
 *
 *     location /_swr_obs/ {
 *         internal;
 *         include swr_obs_proxy.conf;
 *         proxy_pass http://obs$swr_obs_uri;
 *     }
 *
 * Every request is signed once, when a variable first asks for it, with
 * AWS Signature Version 4 or OBS's own signature, as the store says.
 */


typedef struct {
    ngx_str_t                 method;
    ngx_str_t                 uri;
    ngx_str_t                 host;
    ngx_str_t                 amz_date;
    ngx_str_t                 http_date;
    ngx_str_t                 payload;
    ngx_str_t                 authorization;
    ngx_str_t                 range;
    ngx_str_t                 amz_copy_source;
    ngx_str_t                 obs_copy_source;
    ngx_str_t                 presigned;     /* made on first use */
    ngx_str_t                 key;
    ngx_uint_t                signature;
    ngx_http_swr_obs_conf_t  *obs;
} ngx_http_swr_obs_request_t;


typedef enum {
    NGX_HTTP_SWR_OBS_VAR_URI = 0,
    NGX_HTTP_SWR_OBS_VAR_HOST,
    NGX_HTTP_SWR_OBS_VAR_DATE,
    NGX_HTTP_SWR_OBS_VAR_AMZ_DATE,
    NGX_HTTP_SWR_OBS_VAR_HTTP_DATE,
    NGX_HTTP_SWR_OBS_VAR_PAYLOAD,
    NGX_HTTP_SWR_OBS_VAR_AUTHORIZATION,
    NGX_HTTP_SWR_OBS_VAR_METHOD,
    NGX_HTTP_SWR_OBS_VAR_RANGE,
    NGX_HTTP_SWR_OBS_VAR_AMZ_COPY_SOURCE,
    NGX_HTTP_SWR_OBS_VAR_OBS_COPY_SOURCE,
    NGX_HTTP_SWR_OBS_VAR_PRESIGNED
} ngx_http_swr_obs_var_e;


#define NGX_HTTP_SWR_OBS_PRESIGN_TTL  300


static ngx_http_swr_obs_request_t *ngx_http_swr_obs_location(
    ngx_http_request_t *r);
static u_char *ngx_http_swr_obs_path(ngx_pool_t *pool,
    ngx_http_swr_obs_conf_t *obs, ngx_str_t *key, ngx_uint_t bucket,
    ngx_str_t *path);
static ngx_int_t ngx_http_swr_obs_sign_v4(ngx_http_request_t *r,
    ngx_http_swr_obs_conf_t *obs, ngx_http_swr_obs_call_t *call,
    ngx_http_swr_obs_request_t *or, ngx_str_t *path);
static ngx_int_t ngx_http_swr_obs_sign_obs(ngx_http_request_t *r,
    ngx_http_swr_obs_conf_t *obs, ngx_http_swr_obs_call_t *call,
    ngx_http_swr_obs_request_t *or);
static ngx_int_t ngx_http_swr_obs_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);


static ngx_http_variable_t  ngx_http_swr_obs_vars[] = {

    { ngx_string("swr_obs_uri"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_URI, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_host"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_HOST, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_date"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_DATE, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_amz_date"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_AMZ_DATE, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_http_date"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_HTTP_DATE, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_content_sha256"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_PAYLOAD, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_authorization"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_AUTHORIZATION, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_method"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_METHOD, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_range"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_RANGE, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_amz_copy_source"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_AMZ_COPY_SOURCE, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_obs_copy_source"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_OBS_COPY_SOURCE, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("swr_obs_presigned_url"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_PRESIGNED, NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};


/*
 * Signs one call; the request's context keeps the result for the
 * variables of the proxy location that sends it.
 */

ngx_int_t
ngx_http_swr_obs_sign(ngx_http_request_t *r, ngx_http_swr_obs_conf_t *obs,
    ngx_http_swr_obs_call_t *call)
{
    u_char                      *p;
    size_t                       len;
    ngx_str_t                    path, src;
    ngx_http_swr_ctx_t          *ctx;
    ngx_http_swr_obs_request_t  *or;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    or = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_obs_request_t));
    if (or == NULL) {
        return NGX_ERROR;
    }

    or->method = call->method;
    or->range = call->range;
    or->signature = obs->signature;
    or->host = obs->host;

    if (ngx_http_swr_obs_path(r->pool, obs, &call->key, !obs->virtual_host,
                              &path)
        == NULL)
    {
        return NGX_ERROR;
    }

    /* the URI as sent: the path, then the sub-resources */

    len = path.len + (call->query.len ? 1 + call->query.len : 0);

    or->uri.data = ngx_pnalloc(r->pool, len);
    if (or->uri.data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(or->uri.data, path.data, path.len);

    if (call->query.len) {
        *p++ = '?';
        p = ngx_cpymem(p, call->query.data, call->query.len);
    }

    or->uri.len = p - or->uri.data;

    if (call->copy_source.len) {
        if (ngx_http_swr_obs_path(r->pool, obs, &call->copy_source, 1, &src)
            == NULL)
        {
            return NGX_ERROR;
        }

        if (obs->signature == NGX_HTTP_SWR_SIGN_OBS) {
            or->obs_copy_source = src;

        } else {
            or->amz_copy_source = src;
        }
    }

    if (obs->signature == NGX_HTTP_SWR_SIGN_OBS) {
        if (ngx_http_swr_obs_sign_obs(r, obs, call, or) != NGX_OK) {
            return NGX_ERROR;
        }

    } else {
        if (ngx_http_swr_obs_sign_v4(r, obs, call, or, &path) != NGX_OK) {
            return NGX_ERROR;
        }
    }

    ctx->obs = or;

    return NGX_OK;
}


/* "/bucket/key" (or "/key" on a virtual host), the key S3-encoded */

static u_char *
ngx_http_swr_obs_path(ngx_pool_t *pool, ngx_http_swr_obs_conf_t *obs,
    ngx_str_t *key, ngx_uint_t bucket, ngx_str_t *path)
{
    u_char  *p;

    path->len = 1 + ngx_http_swr_s3_escape(NULL, key->data, key->len, 1);

    if (bucket) {
        path->len += obs->bucket.len + 1;
    }

    path->data = ngx_pnalloc(pool, path->len);
    if (path->data == NULL) {
        return NULL;
    }

    p = path->data;
    *p++ = '/';

    if (bucket) {
        p = ngx_cpymem(p, obs->bucket.data, obs->bucket.len);
        *p++ = '/';
    }

    ngx_http_swr_s3_escape(p, key->data, key->len, 1);

    return path->data;
}


static ngx_int_t
ngx_http_swr_obs_sign_v4(ngx_http_request_t *r, ngx_http_swr_obs_conf_t *obs,
    ngx_http_swr_obs_call_t *call, ngx_http_swr_obs_request_t *or,
    ngx_str_t *path)
{
    u_char                *p, *q, *end, *last;
    struct tm              tm;
    ngx_http_swr_sigv4_t   sv;

    or->amz_date.data = ngx_pnalloc(r->pool, sizeof("YYYYMMDDTHHMMSSZ"));
    if (or->amz_date.data == NULL) {
        return NGX_ERROR;
    }

    ngx_libc_gmtime(ngx_time(), &tm);
    or->amz_date.len = strftime((char *) or->amz_date.data,
                                sizeof("YYYYMMDDTHHMMSSZ"),
                                "%Y%m%dT%H%M%SZ", &tm);

    ngx_str_set(&or->payload, "UNSIGNED-PAYLOAD");

    /* the canonical query: every parameter with its "=" */

    ngx_str_null(&sv.query);

    if (call->query.len) {
        sv.query.data = ngx_pnalloc(r->pool, 2 * call->query.len);
        if (sv.query.data == NULL) {
            return NGX_ERROR;
        }

        p = sv.query.data;
        q = call->query.data;
        last = q + call->query.len;

        while (q < last) {
            end = ngx_strlchr(q, last, '&');
            if (end == NULL) {
                end = last;
            }

            p = ngx_cpymem(p, q, end - q);

            if (ngx_strlchr(q, end, '=') == NULL) {
                *p++ = '=';
            }

            if (end < last) {
                *p++ = '&';
            }

            q = end + 1;
        }

        sv.query.len = p - sv.query.data;
    }

    sv.method = call->method;
    sv.host = or->host;
    sv.uri = *path;
    sv.copy_source = or->amz_copy_source;
    sv.payload = or->payload;
    sv.date = or->amz_date;
    sv.region = obs->region;
    sv.access_key = obs->access_key;
    sv.secret_key = obs->secret_key;

    return ngx_http_swr_sigv4(r->pool, &sv, &or->authorization);
}
static ngx_int_t
ngx_http_swr_obs_sign_obs(ngx_http_request_t *r, ngx_http_swr_obs_conf_t *obs,
    ngx_http_swr_obs_call_t *call, ngx_http_swr_obs_request_t *or)
{
    u_char                   *p;
    ngx_str_t                 resource, sig;
    ngx_http_swr_obs_sign_t   os;

    or->http_date.data = ngx_pnalloc(r->pool,
                                     sizeof("Mon, 28 Sep 1970 06:00:00 GMT"));
    if (or->http_date.data == NULL) {
        return NGX_ERROR;
    }

    or->http_date.len = ngx_http_time(or->http_date.data, ngx_time())
                        - or->http_date.data;

    /* the canonical resource: always "/bucket/key", then sub-resources */

    if (ngx_http_swr_obs_path(r->pool, obs, &call->key, 1, &resource)
        == NULL)
    {
        return NGX_ERROR;
    }

    if (call->query.len) {
        p = ngx_pnalloc(r->pool, resource.len + 1 + call->query.len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        ngx_memcpy(p, resource.data, resource.len);
        p[resource.len] = '?';
        ngx_memcpy(p + resource.len + 1, call->query.data, call->query.len);

        resource.data = p;
        resource.len += 1 + call->query.len;
    }

    ngx_memzero(&os, sizeof(ngx_http_swr_obs_sign_t));

    os.method = call->method;
    os.date = or->http_date;
    os.resource = resource;
    os.secret_key = obs->secret_key;

    if (or->obs_copy_source.len) {
        os.headers.len = sizeof("x-obs-copy-source:\n") - 1
                         + or->obs_copy_source.len;
        os.headers.data = ngx_pnalloc(r->pool, os.headers.len);
        if (os.headers.data == NULL) {
            return NGX_ERROR;
        }

        ngx_sprintf(os.headers.data, "x-obs-copy-source:%V\n",
                    &or->obs_copy_source);
    }

    if (ngx_http_swr_sign_obs(r->pool, &os, &sig) != NGX_OK) {
        return NGX_ERROR;
    }

    or->authorization.len = sizeof("OBS :") - 1 + obs->access_key.len
                            + sig.len;
    or->authorization.data = ngx_pnalloc(r->pool, or->authorization.len);
    if (or->authorization.data == NULL) {
        return NGX_ERROR;
    }

    ngx_sprintf(or->authorization.data, "OBS %V:%V", &obs->access_key, &sig);

    return NGX_OK;
}


/*
 * A URL that lets its holder GET one object for ttl seconds: SigV4's
 * query form, or OBS's AccessKeyId/Expires/Signature.
 */

ngx_int_t
ngx_http_swr_obs_presign(ngx_http_request_t *r, ngx_http_swr_obs_conf_t *obs,
    ngx_str_t *key, time_t ttl, ngx_str_t *url)
{
    u_char                   *p;
    size_t                    len;
    ngx_str_t                 path, resource, query, sig;
    struct tm                 tm;
    ngx_http_swr_sigv4_t      sv;
    ngx_http_swr_obs_sign_t   os;
    u_char                    date[sizeof("YYYYMMDDTHHMMSSZ")];
    u_char                    expires[NGX_TIME_T_LEN];

    if (ngx_http_swr_obs_path(r->pool, obs, key, !obs->virtual_host, &path)
        == NULL)
    {
        return NGX_ERROR;
    }

    if (obs->signature == NGX_HTTP_SWR_SIGN_OBS) {

        if (ngx_http_swr_obs_path(r->pool, obs, key, 1, &resource) == NULL) {
            return NGX_ERROR;
        }

        ngx_memzero(&os, sizeof(ngx_http_swr_obs_sign_t));

        ngx_str_set(&os.method, "GET");
        os.date.data = expires;
        os.date.len = ngx_sprintf(expires, "%T", ngx_time() + ttl) - expires;
        os.resource = resource;
        os.secret_key = obs->secret_key;

        if (ngx_http_swr_sign_obs(r->pool, &os, &sig) != NGX_OK) {
            return NGX_ERROR;
        }

        len = sizeof("AccessKeyId=&Expires=&Signature=") + obs->access_key.len
              + os.date.len + ngx_http_swr_s3_escape(NULL, sig.data, sig.len,
                                                     1);

        query.data = ngx_pnalloc(r->pool, len);
        if (query.data == NULL) {
            return NGX_ERROR;
        }

        p = ngx_sprintf(query.data, "AccessKeyId=%V&Expires=%V&Signature=",
                        &obs->access_key, &os.date);
        /* as the SDK does: "/" stays, "+" and "=" are escaped */
        p += ngx_http_swr_s3_escape(p, sig.data, sig.len, 1);

        query.len = p - query.data;

    } else {
        ngx_libc_gmtime(ngx_time(), &tm);

        ngx_memzero(&sv, sizeof(ngx_http_swr_sigv4_t));

        ngx_str_set(&sv.method, "GET");
        sv.host = obs->host;
        sv.uri = path;
        ngx_str_null(&sv.query);
        ngx_str_set(&sv.payload, "UNSIGNED-PAYLOAD");
        sv.date.data = date;
        sv.date.len = strftime((char *) date, sizeof(date),
                               "%Y%m%dT%H%M%SZ", &tm);
        sv.region = obs->region;
        sv.access_key = obs->access_key;
        sv.secret_key = obs->secret_key;

        if (ngx_http_swr_sigv4_presign(r->pool, &sv, ttl, &query) != NGX_OK) {
            return NGX_ERROR;
        }
    }

    url->len = obs->scheme.len + sizeof("://?") - 1 + obs->host.len + path.len
               + query.len;
    url->data = ngx_pnalloc(r->pool, url->len);
    if (url->data == NULL) {
        return NGX_ERROR;
    }

    ngx_sprintf(url->data, "%V://%V%V?%V", &obs->scheme, &obs->host, &path,
                &query);

    return NGX_OK;
}


/* the request of a location with swr_obs_object, signed on first use */

static ngx_http_swr_obs_request_t *
ngx_http_swr_obs_location(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t          *ctx;
    ngx_http_swr_obs_call_t      call;
    ngx_http_swr_loc_conf_t     *slcf;
    ngx_http_swr_obs_request_t  *or;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NULL;
    }

    if (ctx->obs) {
        return ctx->obs;
    }

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (slcf->obs_store == NULL) {
        return NULL;
    }

    ngx_memzero(&call, sizeof(ngx_http_swr_obs_call_t));

    call.method = r->method_name;

    if (ngx_http_complex_value(r, slcf->obs_key, &call.key) != NGX_OK
        || ngx_http_swr_obs_sign(r, slcf->obs_store, &call) != NGX_OK)
    {
        return NULL;
    }

    or = ctx->obs;
    or->obs = slcf->obs_store;
    or->key = call.key;

    return or;
}


static ngx_int_t
ngx_http_swr_obs_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t                   *s;
    ngx_http_swr_obs_request_t  *or;

    or = ngx_http_swr_obs_location(r);

    if (or == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    switch (data) {

    case NGX_HTTP_SWR_OBS_VAR_URI:
        s = &or->uri;
        break;

    case NGX_HTTP_SWR_OBS_VAR_HOST:
        s = &or->host;
        break;

    case NGX_HTTP_SWR_OBS_VAR_DATE:
        s = (or->signature == NGX_HTTP_SWR_SIGN_OBS) ? &or->http_date
                                                     : &or->amz_date;
        break;

    case NGX_HTTP_SWR_OBS_VAR_AMZ_DATE:
        s = &or->amz_date;
        break;

    case NGX_HTTP_SWR_OBS_VAR_HTTP_DATE:
        s = &or->http_date;
        break;

    case NGX_HTTP_SWR_OBS_VAR_PAYLOAD:
        s = &or->payload;
        break;

    case NGX_HTTP_SWR_OBS_VAR_METHOD:
        s = &or->method;
        break;

    case NGX_HTTP_SWR_OBS_VAR_RANGE:
        s = &or->range;
        break;

    case NGX_HTTP_SWR_OBS_VAR_AMZ_COPY_SOURCE:
        s = &or->amz_copy_source;
        break;

    case NGX_HTTP_SWR_OBS_VAR_OBS_COPY_SOURCE:
        s = &or->obs_copy_source;
        break;

    case NGX_HTTP_SWR_OBS_VAR_PRESIGNED:

        if (or->presigned.len == 0 && or->obs
            && ngx_http_swr_obs_presign(r, or->obs, &or->key,
                                        NGX_HTTP_SWR_OBS_PRESIGN_TTL,
                                        &or->presigned)
               != NGX_OK)
        {
            return NGX_ERROR;
        }

        s = &or->presigned;
        break;

    default: /* NGX_HTTP_SWR_OBS_VAR_AUTHORIZATION */
        s = &or->authorization;
        break;
    }

    v->data = s->data;
    v->len = s->len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_obs_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_swr_obs_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


/*
 * swr_obs <name> endpoint=[http[s]://]<host[:port]> bucket=<bucket>
 *         access_key=<AK> secret_key=<SK> [region=<region>]
 *         [signature=v4|obs] [addressing=path|virtual];
 */

char *
ngx_http_swr_obs_directive(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_main_conf_t  *smcf = conf;

    u_char                   *p;
    ngx_str_t                *value, *field, signature, addressing;
    ngx_uint_t                i, j;
    ngx_http_swr_obs_conf_t  *obs;

    static struct {
        const char  *name;
        size_t       offset;
    } params[] = {
        { "endpoint=", offsetof(ngx_http_swr_obs_conf_t, endpoint) },
        { "bucket=", offsetof(ngx_http_swr_obs_conf_t, bucket) },
        { "region=", offsetof(ngx_http_swr_obs_conf_t, region) },
        { "access_key=", offsetof(ngx_http_swr_obs_conf_t, access_key) },
        { "secret_key=", offsetof(ngx_http_swr_obs_conf_t, secret_key) },
        { "signature=", offsetof(ngx_http_swr_obs_conf_t, host) },
        { "addressing=", offsetof(ngx_http_swr_obs_conf_t, scheme) },
        { NULL, 0 }
    };

    value = cf->args->elts;

    if (ngx_http_swr_obs_find(cf, &value[1]) != NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "duplicate swr_obs \"%V\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    obs = ngx_array_push(&smcf->obs);
    if (obs == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memzero(obs, sizeof(ngx_http_swr_obs_conf_t));

    obs->name = value[1];
    ngx_str_set(&obs->region, "us-east-1");

    /* "host" and "scheme" hold signature= and addressing= for a while */

    for (i = 2; i < cf->args->nelts; i++) {

        for (j = 0; params[j].name; j++) {
            if (ngx_strncmp(value[i].data, params[j].name,
                            ngx_strlen(params[j].name))
                == 0)
            {
                field = (ngx_str_t *) ((u_char *) obs + params[j].offset);
                field->data = value[i].data + ngx_strlen(params[j].name);
                field->len = value[i].len - ngx_strlen(params[j].name);
                break;
            }
        }

        if (params[j].name == NULL) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid parameter \"%V\"", &value[i]);
            return NGX_CONF_ERROR;
        }
    }

    signature = obs->host;
    addressing = obs->scheme;

    if (signature.len == 0
        || (signature.len == 2 && ngx_strncmp(signature.data, "v4", 2) == 0))
    {
        obs->signature = NGX_HTTP_SWR_SIGN_V4;

    } else if (signature.len == 3
               && ngx_strncmp(signature.data, "obs", 3) == 0)
    {
        obs->signature = NGX_HTTP_SWR_SIGN_OBS;

    } else {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid signature \"%V\", expected \"v4\" "
                           "or \"obs\"", &signature);
        return NGX_CONF_ERROR;
    }

    if (addressing.len == 0
        || (addressing.len == 4 && ngx_strncmp(addressing.data, "path", 4)
                                   == 0))
    {
        obs->virtual_host = 0;

    } else if (addressing.len == 7
               && ngx_strncmp(addressing.data, "virtual", 7) == 0)
    {
        obs->virtual_host = 1;

    } else {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid addressing \"%V\", expected \"path\" "
                           "or \"virtual\"", &addressing);
        return NGX_CONF_ERROR;
    }

    ngx_str_set(&obs->scheme, "http");

    if (obs->endpoint.len > 8
        && ngx_strncasecmp(obs->endpoint.data, (u_char *) "https://", 8)
           == 0)
    {
        ngx_str_set(&obs->scheme, "https");
        obs->endpoint.data += 8;
        obs->endpoint.len -= 8;

    } else if (obs->endpoint.len > 7
               && ngx_strncasecmp(obs->endpoint.data, (u_char *) "http://", 7)
                  == 0)
    {
        obs->endpoint.data += 7;
        obs->endpoint.len -= 7;
    }

    if (obs->endpoint.len && obs->endpoint.data[obs->endpoint.len - 1] == '/')
    {
        obs->endpoint.len--;
    }

    if (obs->endpoint.len == 0 || obs->bucket.len == 0
        || obs->access_key.len == 0 || obs->secret_key.len == 0
        || obs->region.len == 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "swr_obs \"%V\" needs endpoint, bucket, "
                           "access_key and secret_key", &value[1]);
        return NGX_CONF_ERROR;
    }

    if (obs->virtual_host) {
        obs->host.len = obs->bucket.len + 1 + obs->endpoint.len;
        obs->host.data = ngx_pnalloc(cf->pool, obs->host.len);
        if (obs->host.data == NULL) {
            return NGX_CONF_ERROR;
        }

        p = ngx_cpymem(obs->host.data, obs->bucket.data, obs->bucket.len);
        *p++ = '.';
        ngx_memcpy(p, obs->endpoint.data, obs->endpoint.len);

    } else {
        obs->host = obs->endpoint;
    }

    return NGX_CONF_OK;
}


ngx_http_swr_obs_conf_t *
ngx_http_swr_obs_find(ngx_conf_t *cf, ngx_str_t *name)
{
    ngx_uint_t                 i;
    ngx_http_swr_obs_conf_t   *obs;
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_swr_module);
    obs = smcf->obs.elts;

    for (i = 0; i < smcf->obs.nelts; i++) {
        if (obs[i].name.len == name->len
            && ngx_strncmp(obs[i].name.data, name->data, name->len) == 0)
        {
            return &obs[i];
        }
    }

    return NULL;
}


/* swr_obs_object <store> <key>; the key may hold variables */

char *
ngx_http_swr_obs_object(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_loc_conf_t  *slcf = conf;

    ngx_str_t                         *value;
    ngx_http_compile_complex_value_t   ccv;

    if (slcf->obs_store != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    slcf->obs_store = ngx_http_swr_obs_find(cf, &value[1]);

    if (slcf->obs_store == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "unknown swr_obs \"%V\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    slcf->obs_key = ngx_palloc(cf->pool, sizeof(ngx_http_complex_value_t));
    if (slcf->obs_key == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));

    ccv.cf = cf;
    ccv.value = &value[2];
    ccv.complex_value = slcf->obs_key;

    if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}
