
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_OBS_H_INCLUDED_
#define _NGX_HTTP_SWR_OBS_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


char *ngx_http_swr_obs_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_swr_obs_object(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_int_t ngx_http_swr_obs_add_variables(ngx_conf_t *cf);


#endif /* _NGX_HTTP_SWR_OBS_H_INCLUDED_ */
