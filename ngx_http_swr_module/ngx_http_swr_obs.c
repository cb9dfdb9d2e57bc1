
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
 * through nginx's own proxy: a location names the store and the object
 * with "swr_obs_object", and its proxy_pass and proxy_set_header lines
 * take the path, the Host, the date, the payload hash and the SigV4
 * Authorization from the $swr_obs_* variables, all computed once per
 * request over the same values:
 *
 *     location /objects/ {
 *         internal;
 *         swr_obs_object rgw $key;
 *         proxy_pass http://obs$swr_obs_uri;
 *         proxy_set_header Host $swr_obs_host;
 *         proxy_set_header x-amz-date $swr_obs_date;
 *         proxy_set_header x-amz-content-sha256 $swr_obs_content_sha256;
 *         proxy_set_header Authorization $swr_obs_authorization;
 *     }
 */


typedef struct {
    ngx_str_t   uri;
    ngx_str_t   host;
    ngx_str_t   date;
    ngx_str_t   payload;
    ngx_str_t   authorization;
} ngx_http_swr_obs_request_t;


typedef enum {
    NGX_HTTP_SWR_OBS_VAR_URI = 0,
    NGX_HTTP_SWR_OBS_VAR_HOST,
    NGX_HTTP_SWR_OBS_VAR_DATE,
    NGX_HTTP_SWR_OBS_VAR_PAYLOAD,
    NGX_HTTP_SWR_OBS_VAR_AUTHORIZATION
} ngx_http_swr_obs_var_e;


static ngx_http_swr_obs_request_t *ngx_http_swr_obs_request(
    ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_obs_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);


static ngx_http_variable_t  ngx_http_swr_obs_vars[] = {

    { ngx_string("swr_obs_uri"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_URI, 0, 0 },

    { ngx_string("swr_obs_host"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_HOST, 0, 0 },

    { ngx_string("swr_obs_date"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_DATE, 0, 0 },

    { ngx_string("swr_obs_content_sha256"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_PAYLOAD, 0, 0 },

    { ngx_string("swr_obs_authorization"), NULL, ngx_http_swr_obs_variable,
      NGX_HTTP_SWR_OBS_VAR_AUTHORIZATION, 0, 0 },

      ngx_http_null_variable
};


/* the signed request of this request's object, made on first use */

static ngx_http_swr_obs_request_t *
ngx_http_swr_obs_request(ngx_http_request_t *r)
{
    u_char                      *p;
    struct tm                    tm;
    ngx_str_t                    key;
    ngx_http_swr_ctx_t          *ctx;
    ngx_http_swr_sigv4_t         sv;
    ngx_http_swr_loc_conf_t     *slcf;
    ngx_http_swr_obs_conf_t     *obs;
    ngx_http_swr_obs_request_t  *or;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NULL;
    }

    if (ctx->obs) {
        return ctx->obs;
    }

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);
    obs = slcf->obs_store;

    if (obs == NULL) {
        return NULL;
    }

    if (ngx_http_complex_value(r, slcf->obs_key, &key) != NGX_OK) {
        return NULL;
    }

    or = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_obs_request_t));
    if (or == NULL) {
        return NULL;
    }

    /* path-style: /<bucket>/<key>, the key S3-encoded, its slashes kept */

    or->uri.len = 2 + obs->bucket.len
                  + ngx_http_swr_s3_escape(NULL, key.data, key.len, 1);
    or->uri.data = ngx_pnalloc(r->pool, or->uri.len);
    if (or->uri.data == NULL) {
        return NULL;
    }

    p = ngx_sprintf(or->uri.data, "/%V/", &obs->bucket);
    ngx_http_swr_s3_escape(p, key.data, key.len, 1);

    or->host = obs->host;
    ngx_str_set(&or->payload, "UNSIGNED-PAYLOAD");

    or->date.data = ngx_pnalloc(r->pool, sizeof("YYYYMMDDTHHMMSSZ"));
    if (or->date.data == NULL) {
        return NULL;
    }

    ngx_libc_gmtime(ngx_time(), &tm);
    or->date.len = strftime((char *) or->date.data, sizeof("YYYYMMDDTHHMMSSZ"),
                            "%Y%m%dT%H%M%SZ", &tm);

    sv.method = r->method_name;
    sv.host = or->host;
    sv.uri = or->uri;
    ngx_str_null(&sv.query);
    sv.payload = or->payload;
    sv.date = or->date;
    sv.region = obs->region;
    sv.access_key = obs->access_key;
    sv.secret_key = obs->secret_key;

    if (ngx_http_swr_sigv4(r->pool, &sv, &or->authorization) != NGX_OK) {
        return NULL;
    }

    ctx->obs = or;

    return or;
}


static ngx_int_t
ngx_http_swr_obs_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t                   *s;
    ngx_http_swr_obs_request_t  *or;

    or = ngx_http_swr_obs_request(r);

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
        s = &or->date;
        break;

    case NGX_HTTP_SWR_OBS_VAR_PAYLOAD:
        s = &or->payload;
        break;

    default: /* NGX_HTTP_SWR_OBS_VAR_AUTHORIZATION */
        s = &or->authorization;
        break;
    }

    v->data = s->data;
    v->len = s->len;
    v->valid = 1;
    v->no_cacheable = 0;
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
 * swr_obs <name> endpoint=<host[:port]> bucket=<bucket>
 *         access_key=<AK> secret_key=<SK> [region=<region>];
 */

char *
ngx_http_swr_obs_directive(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_main_conf_t  *smcf = conf;

    ngx_str_t                *value, *field;
    ngx_uint_t                i, j;
    ngx_http_swr_obs_conf_t  *obs;

    static struct {
        const char  *name;
        size_t       offset;
    } params[] = {
        { "endpoint=", offsetof(ngx_http_swr_obs_conf_t, host) },
        { "bucket=", offsetof(ngx_http_swr_obs_conf_t, bucket) },
        { "region=", offsetof(ngx_http_swr_obs_conf_t, region) },
        { "access_key=", offsetof(ngx_http_swr_obs_conf_t, access_key) },
        { "secret_key=", offsetof(ngx_http_swr_obs_conf_t, secret_key) },
        { NULL, 0 }
    };

    value = cf->args->elts;

    obs = smcf->obs.elts;

    for (i = 0; i < smcf->obs.nelts; i++) {
        if (obs[i].name.len == value[1].len
            && ngx_strncmp(obs[i].name.data, value[1].data, value[1].len)
               == 0)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "duplicate swr_obs \"%V\"", &value[1]);
            return NGX_CONF_ERROR;
        }
    }

    obs = ngx_array_push(&smcf->obs);
    if (obs == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memzero(obs, sizeof(ngx_http_swr_obs_conf_t));

    obs->name = value[1];
    ngx_str_set(&obs->region, "us-east-1");

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

    if (obs->host.len == 0 || obs->bucket.len == 0
        || obs->access_key.len == 0 || obs->secret_key.len == 0
        || obs->region.len == 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "swr_obs \"%V\" needs endpoint, bucket, "
                           "access_key and secret_key", &value[1]);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/* swr_obs_object <store> <key>; the key may hold variables */

char *
ngx_http_swr_obs_object(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_loc_conf_t  *slcf = conf;

    ngx_str_t                         *value;
    ngx_uint_t                         i;
    ngx_http_swr_main_conf_t          *smcf;
    ngx_http_swr_obs_conf_t           *obs;
    ngx_http_compile_complex_value_t   ccv;

    if (slcf->obs_store != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    smcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_swr_module);
    obs = smcf->obs.elts;

    for (i = 0; i < smcf->obs.nelts; i++) {
        if (obs[i].name.len == value[1].len
            && ngx_strncmp(obs[i].name.data, value[1].data, value[1].len)
               == 0)
        {
            break;
        }
    }

    if (i == smcf->obs.nelts) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "unknown swr_obs \"%V\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    slcf->obs_store = &obs[i];

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
