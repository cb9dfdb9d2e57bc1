
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_OBS_H_INCLUDED_
#define _NGX_HTTP_SWR_OBS_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"


/* one request to an object store, before signing */

typedef struct {
    ngx_str_t   method;
    ngx_str_t   key;           /* object key, not encoded; may be empty */
    ngx_str_t   query;         /* sub-resources as sent, sorted, or empty:
                                  "uploads", "partNumber=1&uploadId=x" */
    ngx_str_t   range;         /* Range header, or empty */
    ngx_str_t   copy_source;   /* key of a source object, not encoded */
} ngx_http_swr_obs_call_t;


char *ngx_http_swr_obs_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_swr_obs_object(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_http_swr_obs_conf_t *ngx_http_swr_obs_find(ngx_conf_t *cf,
    ngx_str_t *name);
ngx_int_t ngx_http_swr_obs_add_variables(ngx_conf_t *cf);
ngx_int_t ngx_http_swr_obs_sign(ngx_http_request_t *r,
    ngx_http_swr_obs_conf_t *obs, ngx_http_swr_obs_call_t *call);
ngx_int_t ngx_http_swr_obs_presign(ngx_http_request_t *r,
    ngx_http_swr_obs_conf_t *obs, ngx_str_t *key, time_t ttl,
    ngx_str_t *url);


#endif /* _NGX_HTTP_SWR_OBS_H_INCLUDED_ */
