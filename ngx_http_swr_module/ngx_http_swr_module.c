
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_audit.h"
#include "ngx_http_swr_audit_sink.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_health.h"
#include "ngx_http_swr_local.h"
#include "ngx_http_swr_manage.h"
#include "ngx_http_swr_mop.h"
#include "ngx_http_swr_usage.h"
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_jwt.h"
#include "ngx_http_swr_obs.h"
#include "ngx_http_swr_secret.h"
#include "ngx_http_swr_token.h"
#include "ngx_http_swr_remote.h"
#include "ngx_http_swr_redis.h"
#include "ngx_http_swr_registry.h"
#include "ngx_http_swr_storage.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_upload.h"


static void *ngx_http_swr_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_swr_create_srv_conf(ngx_conf_t *cf);
static void *ngx_http_swr_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_swr_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_swr_init_main_conf(ngx_conf_t *cf, void *conf);
static char *ngx_http_swr_login_limit(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_swr_quota(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_int_t ngx_http_swr_preconf(ngx_conf_t *cf);
static ngx_int_t ngx_http_swr_init(ngx_conf_t *cf);
static ngx_int_t ngx_http_swr_init_process(ngx_cycle_t *cycle);
static void ngx_http_swr_exit_process(ngx_cycle_t *cycle);
static char *ngx_http_swr_role(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);


static ngx_command_t  ngx_http_swr_commands[] = {

    { ngx_string("swr_registry"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_swr_role,
      NGX_HTTP_LOC_CONF_OFFSET,
      NGX_HTTP_SWR_ROLE_REGISTRY,
      ngx_http_swr_registry_handler },

    { ngx_string("swr_manage_api"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_swr_role,
      NGX_HTTP_LOC_CONF_OFFSET,
      NGX_HTTP_SWR_ROLE_MANAGE,
      ngx_http_swr_manage_handler },

    { ngx_string("swr_health"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_swr_role,
      NGX_HTTP_LOC_CONF_OFFSET,
      NGX_HTTP_SWR_ROLE_HEALTH,
      ngx_http_swr_health_handler },

    { ngx_string("swr_token"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_swr_role,
      NGX_HTTP_LOC_CONF_OFFSET,
      NGX_HTTP_SWR_ROLE_TOKEN,
      ngx_http_swr_token_handler },

    { ngx_string("swr_auth"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_swr_loc_conf_t, auth),
      NULL },

    { ngx_string("swr_secret_key_file"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_swr_secret_key_file,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_token_key"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_swr_token_key,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_token_issuer"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_swr_main_conf_t, token_issuer),
      NULL },

    { ngx_string("swr_token_service"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_swr_main_conf_t, token_service),
      NULL },

    { ngx_string("swr_token_ttl"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_swr_main_conf_t, token_ttl),
      NULL },

    { ngx_string("swr_login_limit"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE2,
      ngx_http_swr_login_limit,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_auto_namespace"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_swr_main_conf_t, auto_namespace),
      NULL },

    { ngx_string("swr_quota"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE3,
      ngx_http_swr_quota,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_auth_cache"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_swr_main_conf_t, auth_cache),
      NULL },

    { ngx_string("swr_region"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_swr_main_conf_t, region),
      NULL },

    { ngx_string("swr_redis"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_1MORE,
      ngx_http_swr_redis_directive,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_obs"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_2MORE,
      ngx_http_swr_obs_directive,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_obs_object"),
      NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_swr_obs_object,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_storage"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_2MORE,
      ngx_http_swr_storage_directive,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_trust_forwarded"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_swr_loc_conf_t, trust_forwarded),
      NULL },

    { ngx_string("swr_audit_log"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE123,
      ngx_http_swr_audit_log_directive,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_audit_redis"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_swr_audit_redis_directive,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("swr_audit_reads"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_swr_loc_conf_t, audit_reads),
      NULL },

    { ngx_string("swr_audit_blobs"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_swr_loc_conf_t, audit_blobs),
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_swr_module_ctx = {
    ngx_http_swr_preconf,                  /* preconfiguration */
    ngx_http_swr_init,                     /* postconfiguration */

    ngx_http_swr_create_main_conf,         /* create main configuration */
    ngx_http_swr_init_main_conf,           /* init main configuration */

    ngx_http_swr_create_srv_conf,          /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_swr_create_loc_conf,          /* create location configuration */
    ngx_http_swr_merge_loc_conf            /* merge location configuration */
};


ngx_module_t  ngx_http_swr_module = {
    NGX_MODULE_V1,
    &ngx_http_swr_module_ctx,              /* module context */
    ngx_http_swr_commands,                 /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_swr_init_process,             /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_swr_exit_process,             /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_str_t  ngx_http_swr_request_id_var = ngx_string("request_id");


/*
 * swr_quota <organizations> <repositories> <tags>: per account, per
 * account, per repository (swr-api.md 1.9)
 */

static char *
ngx_http_swr_quota(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_main_conf_t  *smcf = conf;

    ngx_str_t  *value;

    if (smcf->quota_namespaces != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    value = cf->args->elts;

    smcf->quota_namespaces = ngx_atoi(value[1].data, value[1].len);
    smcf->quota_repos = ngx_atoi(value[2].data, value[2].len);
    smcf->quota_tags = ngx_atoi(value[3].data, value[3].len);

    if (smcf->quota_namespaces <= 0 || smcf->quota_repos <= 0
        || smcf->quota_tags <= 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid swr_quota \"%V %V %V\"",
                           &value[1], &value[2], &value[3]);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static void *
ngx_http_swr_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_main_conf_t));
    if (smcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     smcf->redis = NULL;
     *     smcf->link = NULL;
     */

    smcf->request_id_index = NGX_CONF_UNSET;
    smcf->token_ttl = NGX_CONF_UNSET;
    smcf->auth_cache = NGX_CONF_UNSET;
    smcf->login_limit_client = NGX_CONF_UNSET;
    smcf->login_limit_key = NGX_CONF_UNSET;
    smcf->quota_namespaces = NGX_CONF_UNSET;
    smcf->quota_repos = NGX_CONF_UNSET;
    smcf->quota_tags = NGX_CONF_UNSET;
    smcf->auto_namespace = NGX_CONF_UNSET;

    if (ngx_array_init(&smcf->storages, cf->pool, 1, sizeof(ngx_path_t *))
           != NGX_OK
        || ngx_array_init(&smcf->audit_streams, cf->pool, 1, sizeof(void *))
           != NGX_OK
        || ngx_array_init(&smcf->audit_links, cf->pool, 1, sizeof(void *))
           != NGX_OK
        || ngx_array_init(&smcf->obs, cf->pool, 1,
                          sizeof(ngx_http_swr_obs_conf_t))
           != NGX_OK)
    {
        return NULL;
    }

    return smcf;
}


static char *
ngx_http_swr_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_swr_main_conf_t  *smcf = conf;

    if (smcf->token_issuer.data == NULL) {
        ngx_str_set(&smcf->token_issuer, "swr");
    }

    if (smcf->token_service.data == NULL) {
        ngx_str_set(&smcf->token_service, "swr");
    }

    if (smcf->region.data == NULL) {
        ngx_str_set(&smcf->region, "local");
    }

    ngx_conf_init_value(smcf->token_ttl, 300);
    ngx_conf_init_value(smcf->auth_cache, 2);
    ngx_conf_init_value(smcf->login_limit_client, 20);
    ngx_conf_init_value(smcf->login_limit_key, 10);
    ngx_conf_init_value(smcf->quota_namespaces, 15);
    ngx_conf_init_value(smcf->quota_repos, 500);
    ngx_conf_init_value(smcf->quota_tags, 300);
    ngx_conf_init_value(smcf->auto_namespace, 0);

    return NGX_CONF_OK;
}


/* swr_login_limit <per client> <per key>: failed logins a minute */

static char *
ngx_http_swr_login_limit(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_main_conf_t  *smcf = conf;

    ngx_str_t  *value;

    if (smcf->login_limit_client != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    value = cf->args->elts;

    smcf->login_limit_client = ngx_atoi(value[1].data, value[1].len);
    smcf->login_limit_key = ngx_atoi(value[2].data, value[2].len);

    if (smcf->login_limit_client <= 0 || smcf->login_limit_key <= 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid swr_login_limit \"%V %V\"",
                           &value[1], &value[2]);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static void *
ngx_http_swr_create_srv_conf(ngx_conf_t *cf)
{
    ngx_http_swr_srv_conf_t  *sscf;

    sscf = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_srv_conf_t));
    if (sscf == NULL) {
        return NULL;
    }

    if (ngx_array_init(&sscf->locations, cf->pool, 2,
                       sizeof(ngx_http_swr_location_t))
        != NGX_OK)
    {
        return NULL;
    }

    return sscf;
}


static void *
ngx_http_swr_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_swr_loc_conf_t  *slcf;

    slcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_loc_conf_t));
    if (slcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     slcf->role = NGX_HTTP_SWR_ROLE_NONE;
     *     slcf->obs_store = NULL;
     *     slcf->obs_key = NULL;
     */

    slcf->storage = NGX_CONF_UNSET_PTR;
    slcf->audit_log = NGX_CONF_UNSET_PTR;
    slcf->audit_redis = NGX_CONF_UNSET_PTR;
    slcf->audit_reads = NGX_CONF_UNSET;
    slcf->audit_blobs = NGX_CONF_UNSET;
    slcf->trust_forwarded = NGX_CONF_UNSET;
    slcf->auth = NGX_CONF_UNSET;

    return slcf;
}


static char *
ngx_http_swr_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_swr_loc_conf_t  *prev = parent;
    ngx_http_swr_loc_conf_t  *conf = child;

    ngx_conf_merge_ptr_value(conf->storage, prev->storage, NULL);
    ngx_conf_merge_ptr_value(conf->audit_log, prev->audit_log, NULL);
    ngx_conf_merge_ptr_value(conf->audit_redis, prev->audit_redis, NULL);
    ngx_conf_merge_value(conf->audit_reads, prev->audit_reads, 0);
    ngx_conf_merge_value(conf->audit_blobs, prev->audit_blobs, 1);
    ngx_conf_merge_value(conf->trust_forwarded, prev->trust_forwarded, 0);
    ngx_conf_merge_value(conf->auth, prev->auth, 0);

    if (conf->obs_store == NULL) {
        conf->obs_store = prev->obs_store;
        conf->obs_key = prev->obs_key;
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_swr_preconf(ngx_conf_t *cf)
{
    return ngx_http_swr_obs_add_variables(cf);
}


static ngx_int_t
ngx_http_swr_init(ngx_conf_t *cf)
{
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_swr_module);

    if (smcf->apis && smcf->redis == NULL) {
        ngx_log_error(NGX_LOG_WARN, cf->log, 0,
                      "swr_registry or swr_manage_api without swr_redis: "
                      "every request that needs metadata gets 503");
    }

    smcf->request_id_index = ngx_http_get_variable_index(cf,
                                                 &ngx_http_swr_request_id_var);
    if (smcf->request_id_index == NGX_ERROR) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_store_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_mop_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_upload_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_auth_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_usage_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    /* after auth_init: its ACCESS handler runs first, classifying */

    if (ngx_http_swr_audit_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_errors_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    /* after the error filter: its filters run first */

    return ngx_http_swr_remote_init(cf);
}


static ngx_int_t
ngx_http_swr_init_process(ngx_cycle_t *cycle)
{
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_swr_module);

    if (smcf == NULL) {
        return NGX_OK;
    }

    if (ngx_http_swr_local_init_worker(cycle, smcf) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_redis_init_worker(cycle, smcf) != NGX_OK) {
        return NGX_ERROR;
    }

    return ngx_http_swr_audit_sink_init_worker(cycle, smcf);
}


static void
ngx_http_swr_exit_process(ngx_cycle_t *cycle)
{
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_swr_module);

    if (smcf != NULL) {
        if (smcf->sweep.timer_set) {
            ngx_del_timer(&smcf->sweep);
        }

        ngx_http_swr_audit_sink_exit_worker(cycle, smcf);
        ngx_http_swr_redis_exit_worker(smcf);
    }
}


/*
 * swr_registry; swr_manage_api; swr_health;
 *
 * Each makes the location serve one API: the role is kept for the error
 * envelope and the content handler is set as proxy_pass sets its own.
 */

static char *
ngx_http_swr_role(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_loc_conf_t  *slcf = conf;

    ngx_http_swr_location_t   *loc;
    ngx_http_swr_srv_conf_t   *sscf;
    ngx_http_swr_main_conf_t  *smcf;
    ngx_http_core_loc_conf_t  *clcf;

    if (slcf->role != NGX_HTTP_SWR_ROLE_NONE) {
        return "is duplicate";
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);

    if (clcf->handler != NULL) {
        return "conflicts with another content handler in this location";
    }

    slcf->role = cmd->offset;
    clcf->handler = (ngx_http_handler_pt) cmd->post;

    if (slcf->role != NGX_HTTP_SWR_ROLE_HEALTH) {
        smcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_swr_module);
        smcf->apis++;
    }

    sscf = ngx_http_conf_get_module_srv_conf(cf, ngx_http_swr_module);

    loc = ngx_array_push(&sscf->locations);
    if (loc == NULL) {
        return NGX_CONF_ERROR;
    }

    loc->name = clcf->name;
    loc->role = slcf->role;
    loc->exact = clcf->exact_match;

    return NGX_CONF_OK;
}
