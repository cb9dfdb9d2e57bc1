
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_audit.h"


/*
 * swr_audit_log <path> | off;
 *
 * Where the CTS trace records of mutating operations go, one JSON object
 * per line.  The file is opened by nginx itself (so "nginx -s reopen"
 * reopens it and a permission problem shows at start-up).
 */

char *
ngx_http_swr_audit_log_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_swr_loc_conf_t  *slcf = conf;

    ngx_str_t                 *value;
    ngx_http_swr_audit_log_t  *al;

    if (slcf->audit_log != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len == 3 && ngx_strncmp(value[1].data, "off", 3) == 0) {
        slcf->audit_log = NULL;
        return NGX_CONF_OK;
    }

    al = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_audit_log_t));
    if (al == NULL) {
        return NGX_CONF_ERROR;
    }

    al->path = value[1];

    al->file = ngx_conf_open_file(cf->cycle, &al->path);
    if (al->file == NULL) {
        return NGX_CONF_ERROR;
    }

    slcf->audit_log = al;

    return NGX_CONF_OK;
}
