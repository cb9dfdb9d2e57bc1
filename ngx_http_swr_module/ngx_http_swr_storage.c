
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_obs.h"
#include "ngx_http_swr_obs_upload.h"
#include "ngx_http_swr_storage.h"


static char *ngx_http_swr_storage_obs(ngx_conf_t *cf,
    ngx_http_swr_storage_t *st);


/*
 * swr_storage local <path>;
 * swr_storage obs <store> [redirect=<time>] [part_size=<size>]
 *                          [location=<prefix>];
 *
 * The embedded local storage: blobs under <path> on this node's disk.  The
 * directory is registered with nginx's path list, so nginx creates it at
 * start-up and hands it to the worker user, as it does for its temp paths.
 */

char *
ngx_http_swr_storage_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_swr_loc_conf_t  *slcf = conf;

    u_char                    *full;
    ngx_err_t                  err;
    ngx_path_t               **pp;
    ngx_http_swr_main_conf_t  *smcf;
    ngx_str_t               *value;
    ngx_path_t              *path;
    ngx_http_swr_storage_t  *st;

    if (slcf->storage != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    st = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_storage_t));
    if (st == NULL) {
        return NGX_CONF_ERROR;
    }

    if (value[1].len == 3 && ngx_strncmp(value[1].data, "obs", 3) == 0) {
        if (ngx_http_swr_storage_obs(cf, st) != NGX_CONF_OK) {
            return NGX_CONF_ERROR;
        }

        slcf->storage = st;

        return NGX_CONF_OK;
    }

    if (value[1].len != 5 || ngx_strncmp(value[1].data, "local", 5) != 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "unknown storage type \"%V\", expected \"local\" "
                           "or \"obs\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    if (cf->args->nelts != 3) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"swr_storage local\" takes one path");
        return NGX_CONF_ERROR;
    }

    path = ngx_pcalloc(cf->pool, sizeof(ngx_path_t));
    if (path == NULL) {
        return NGX_CONF_ERROR;
    }

    path->name = value[2];

    if (path->name.len > 1 && path->name.data[path->name.len - 1] == '/') {
        path->name.len--;
    }

    if (ngx_conf_full_name(cf->cycle, &path->name, 0) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    /*
     * nginx creates the last component (and gives it to the worker user);
     * the parents are made here, at configuration time
     */

    full = ngx_pnalloc(cf->pool, path->name.len + 1);
    if (full == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_cpystrn(full, path->name.data, path->name.len + 1);

    err = ngx_create_full_path(full, 0755);
    if (err != 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, err,
                           ngx_create_dir_n " \"%s\" failed", full);
        return NGX_CONF_ERROR;
    }

    path->conf_file = cf->conf_file->file.name.data;
    path->line = cf->conf_file->line;

    if (ngx_add_path(cf, &path) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    st->type = NGX_HTTP_SWR_STORAGE_LOCAL;
    st->path = path;

    /* for the sweeper of stale uploads */

    smcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_swr_module);

    pp = ngx_array_push(&smcf->storages);
    if (pp == NULL) {
        return NGX_CONF_ERROR;
    }

    *pp = path;

    slcf->storage = st;

    return NGX_CONF_OK;
}


/* an object store named by swr_obs, reached through a proxy location */

static char *
ngx_http_swr_storage_obs(ngx_conf_t *cf, ngx_http_swr_storage_t *st)
{
    time_t      ttl;
    ngx_str_t  *value, v;
    ngx_uint_t  i;

    value = cf->args->elts;

    st->type = NGX_HTTP_SWR_STORAGE_OBS;
    st->obs = ngx_http_swr_obs_find(cf, &value[2]);

    if (st->obs == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "unknown swr_obs \"%V\" (swr_obs must come "
                           "first)", &value[2]);
        return NGX_CONF_ERROR;
    }

    ngx_str_set(&st->location, "/_swr_obs/");
    st->part_max = NGX_HTTP_SWR_OBS_PART_MAX;

    for (i = 3; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "redirect=", 9) == 0) {
            v.data = value[i].data + 9;
            v.len = value[i].len - 9;

            ttl = ngx_parse_time(&v, 1);
            if (ttl == (time_t) NGX_ERROR || ttl == 0) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid redirect time \"%V\"", &v);
                return NGX_CONF_ERROR;
            }

            st->redirect = ttl;
            continue;
        }

        if (ngx_strncmp(value[i].data, "part_size=", 10) == 0) {
            v.data = value[i].data + 10;
            v.len = value[i].len - 10;

            st->part_max = ngx_parse_offset(&v);

            if (st->part_max < 5 * 1024 * 1024
                || st->part_max > (off_t) 5 * 1024 * 1024 * 1024)
            {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid part_size \"%V\": 5m to 5g", &v);
                return NGX_CONF_ERROR;
            }

            continue;
        }

        if (ngx_strncmp(value[i].data, "location=", 9) == 0
            && value[i].len > 10 && value[i].data[9] == '/'
            && value[i].data[value[i].len - 1] == '/')
        {
            st->location.data = value[i].data + 9;
            st->location.len = value[i].len - 9;
            continue;
        }

        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid parameter \"%V\"", &value[i]);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}
