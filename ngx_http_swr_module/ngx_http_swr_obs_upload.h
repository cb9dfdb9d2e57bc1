
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_OBS_UPLOAD_H_INCLUDED_
#define _NGX_HTTP_SWR_OBS_UPLOAD_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_remote.h"


/* the store's least part but the last; S3 and OBS agree on 5 MiB */
#define NGX_HTTP_SWR_OBS_PART_MIN   (5 * 1024 * 1024)

/* staged segments below the least part, at most, before they are merged */
#define NGX_HTTP_SWR_OBS_SEGMENTS   32


/* the largest object staged, and part sent, unless swr_storage says */
#define NGX_HTTP_SWR_OBS_PART_MAX   ((off_t) 1024 * 1024 * 1024)


/* an object staged for an upload: bytes [start, end) of the blob */

typedef struct {
    off_t                        start;
    off_t                        end;
    ngx_uint_t                   piece;      /* at least the least part */
} ngx_http_swr_obs_staged_t;


/* a temporary file of what a request stages or sends */

typedef struct {
    ngx_file_t                   file;
    off_t                        size;
} ngx_http_swr_obs_file_t;


typedef struct ngx_http_swr_obs_upload_s  ngx_http_swr_obs_upload_t;

/* rc: NGX_OK; NGX_DECLINED: the store failed (ou->rm says how); NGX_ERROR */
typedef void (*ngx_http_swr_obs_upload_pt)(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_int_t rc);


struct ngx_http_swr_obs_upload_s {
    ngx_http_swr_storage_t      *storage;
    ngx_str_t                    id;
    ngx_array_t                  staged;     /* ngx_http_swr_obs_staged_t */
    ngx_array_t                  files;      /* ngx_http_swr_obs_file_t * */
    off_t                        part_max;   /* bytes a file holds */
    off_t                        start;      /* where the chunk goes */
    off_t                        size;       /* of the chunk */
    ngx_str_t                    digest;     /* finishing: the blob's */

    ngx_array_t                  added;      /* staged_t: what to record */
    ngx_uint_t                   replaced;   /* last staged ones merged */

    ngx_http_swr_obs_upload_pt   handler;

    /* the steps' own */
    ngx_uint_t                   step;
    ngx_uint_t                   index;
    ngx_uint_t                   last;       /* of the range being done */
    ngx_uint_t                   file;       /* the file being sent */
    off_t                        merged_size;
    ngx_str_t                    key;
    ngx_str_t                    multipart;  /* UploadId */
    ngx_array_t                  etags;      /* ngx_str_t */
    ngx_http_swr_remote_t        rm;
    ngx_http_swr_remote_t        failed;
};


ngx_int_t ngx_http_swr_obs_upload_staged(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_str_t *entries, ngx_uint_t n);
ngx_int_t ngx_http_swr_obs_upload_entry(ngx_pool_t *pool,
    ngx_http_swr_obs_staged_t *st, ngx_str_t *entry);
ngx_int_t ngx_http_swr_obs_upload_open(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
ngx_int_t ngx_http_swr_obs_upload_write(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, u_char *data, size_t size);
ngx_int_t ngx_http_swr_obs_upload_prepare(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, off_t length, ngx_uint_t last);
ngx_int_t ngx_http_swr_obs_upload_chunk(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
ngx_int_t ngx_http_swr_obs_upload_finish(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
ngx_int_t ngx_http_swr_obs_upload_clean(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_uint_t first, ngx_uint_t last);


#endif /* _NGX_HTTP_SWR_OBS_UPLOAD_H_INCLUDED_ */
