
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_LOCAL_H_INCLUDED_
#define _NGX_HTTP_SWR_LOCAL_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"


/*
 * The embedded local storage: blobs as files under the swr_storage
 * directory, content-addressed; uploads as files that grow chunk by chunk
 * and are renamed into place once verified.  This file alone knows the
 * layout:
 *
 *   <root>/blobs/<algorithm>/<first two hex digits>/<hex>
 *   <root>/uploads/<upload id>
 */

ngx_int_t ngx_http_swr_local_upload_create(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id);
ngx_int_t ngx_http_swr_local_upload_open(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id, off_t offset,
    ngx_file_t *file);
ngx_int_t ngx_http_swr_local_upload_remove(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id);
ngx_int_t ngx_http_swr_local_upload_commit(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id, ngx_str_t *digest);
ngx_int_t ngx_http_swr_local_upload_read(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id, off_t size, u_char *buf);
ngx_int_t ngx_http_swr_local_init_worker(ngx_cycle_t *cycle,
    ngx_http_swr_main_conf_t *smcf);
ngx_int_t ngx_http_swr_local_blob_open(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *digest, off_t size,
    ngx_buf_t **bp);


#endif /* _NGX_HTTP_SWR_LOCAL_H_INCLUDED_ */
