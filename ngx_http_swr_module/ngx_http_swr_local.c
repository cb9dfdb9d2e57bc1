
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_local.h"


static ngx_int_t ngx_http_swr_local_path(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, const char *dir, ngx_str_t *digest,
    ngx_str_t *id, ngx_str_t *path);
static ngx_int_t ngx_http_swr_local_mkdirs(ngx_http_request_t *r,
    ngx_str_t *path);
static void ngx_http_swr_local_sweep_handler(ngx_event_t *ev);
static void ngx_http_swr_local_sweep(ngx_path_t *path, ngx_log_t *log);


/* an upload file older than this has no session left in Redis */
#define NGX_HTTP_SWR_LOCAL_STALE     (86400 + 3600)
#define NGX_HTTP_SWR_LOCAL_SWEEP_MS  (10 * 60 * 1000)


/* a NUL-terminated path of a blob (digest) or an upload (id) */

static ngx_int_t
ngx_http_swr_local_path(ngx_http_request_t *r, ngx_http_swr_storage_t *st,
    const char *dir, ngx_str_t *digest, ngx_str_t *id, ngx_str_t *path)
{
    u_char  *p, *colon;
    size_t   len;

    len = st->path->name.len + 64 + (digest ? digest->len : 0)
          + (id ? id->len : 0);

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    path->data = p;

    p = ngx_sprintf(p, "%V/%s/", &st->path->name, dir);

    if (digest) {
        colon = ngx_strlchr(digest->data, digest->data + digest->len, ':');
        if (colon == NULL || digest->data + digest->len - colon < 3) {
            return NGX_ERROR;
        }

        /* <algorithm>/<ab>/<hex> */

        p = ngx_cpymem(p, digest->data, colon - digest->data);
        *p++ = '/';
        p = ngx_cpymem(p, colon + 1, 2);
        *p++ = '/';
        p = ngx_cpymem(p, colon + 1, digest->data + digest->len - colon - 1);

    } else {
        p = ngx_cpymem(p, id->data, id->len);
    }

    *p = '\0';
    path->len = p - path->data;

    return NGX_OK;
}


/* the directories above a file, made as the worker user */

static ngx_int_t
ngx_http_swr_local_mkdirs(ngx_http_request_t *r, ngx_str_t *path)
{
    ngx_err_t  err;

    err = ngx_create_full_path(path->data, 0700);

    if (err) {
        ngx_log_error(NGX_LOG_CRIT, r->connection->log, err,
                      ngx_create_dir_n " for \"%V\" failed", path);
        return NGX_ERROR;
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_local_upload_create(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id)
{
    ngx_fd_t   fd;
    ngx_str_t  path;

    if (ngx_http_swr_local_path(r, st, "uploads", NULL, id, &path)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    fd = ngx_open_file(path.data, NGX_FILE_WRONLY, NGX_FILE_CREATE_OR_OPEN,
                       NGX_FILE_DEFAULT_ACCESS);

    if (fd == NGX_INVALID_FILE && ngx_errno == NGX_ENOENT) {
        if (ngx_http_swr_local_mkdirs(r, &path) != NGX_OK) {
            return NGX_ERROR;
        }

        fd = ngx_open_file(path.data, NGX_FILE_WRONLY,
                           NGX_FILE_CREATE_OR_OPEN, NGX_FILE_DEFAULT_ACCESS);
    }

    if (fd == NGX_INVALID_FILE) {
        ngx_log_error(NGX_LOG_CRIT, r->connection->log, ngx_errno,
                      ngx_open_file_n " \"%V\" failed", &path);
        return NGX_ERROR;
    }

    if (ngx_close_file(fd) == NGX_FILE_ERROR) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, ngx_errno,
                      ngx_close_file_n " \"%V\" failed", &path);
    }

    return NGX_OK;
}


/*
 * Opens an upload for the next chunk, cut back to the committed offset:
 * bytes past it are from a chunk that never completed.  The file is closed
 * with the request's pool.
 */

ngx_int_t
ngx_http_swr_local_upload_open(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id, off_t offset,
    ngx_file_t *file)
{
    ngx_str_t                  path;
    ngx_pool_cleanup_t        *cln;
    ngx_pool_cleanup_file_t   *clnf;

    if (ngx_http_swr_local_path(r, st, "uploads", NULL, id, &path)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    cln = ngx_pool_cleanup_add(r->pool, sizeof(ngx_pool_cleanup_file_t));
    if (cln == NULL) {
        return NGX_ERROR;
    }

    ngx_memzero(file, sizeof(ngx_file_t));

    file->name = path;
    file->log = r->connection->log;
    file->fd = ngx_open_file(path.data, NGX_FILE_WRONLY, NGX_FILE_OPEN, 0);

    if (file->fd == NGX_INVALID_FILE) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, ngx_errno,
                      ngx_open_file_n " \"%V\" failed", &path);
        return ngx_errno == NGX_ENOENT ? NGX_DECLINED : NGX_ERROR;
    }

    cln->handler = ngx_pool_cleanup_file;
    clnf = cln->data;
    clnf->fd = file->fd;
    clnf->name = path.data;
    clnf->log = r->connection->log;

    if (ftruncate(file->fd, offset) == -1) {
        ngx_log_error(NGX_LOG_CRIT, r->connection->log, ngx_errno,
                      "ftruncate() \"%V\" failed", &path);
        return NGX_ERROR;
    }

    file->offset = offset;

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_local_upload_remove(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id)
{
    ngx_str_t  path;

    if (ngx_http_swr_local_path(r, st, "uploads", NULL, id, &path)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    if (ngx_delete_file(path.data) == NGX_FILE_ERROR
        && ngx_errno != NGX_ENOENT)
    {
        ngx_log_error(NGX_LOG_CRIT, r->connection->log, ngx_errno,
                      ngx_delete_file_n " \"%V\" failed", &path);
        return NGX_ERROR;
    }

    return NGX_OK;
}


/*
 * A verified upload becomes the blob: one rename, so a reader sees the
 * whole blob or none.  A blob already there has the same bytes (same
 * digest): the upload is dropped instead.
 */

ngx_int_t
ngx_http_swr_local_upload_commit(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id, ngx_str_t *digest)
{
    ngx_str_t        from, to;
    ngx_file_info_t  fi;

    if (ngx_http_swr_local_path(r, st, "uploads", NULL, id, &from) != NGX_OK
        || ngx_http_swr_local_path(r, st, "blobs", digest, NULL, &to)
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    if (ngx_file_info(to.data, &fi) != NGX_FILE_ERROR) {
        return ngx_http_swr_local_upload_remove(r, st, id);
    }

    if (ngx_rename_file(from.data, to.data) != NGX_FILE_ERROR) {
        return NGX_OK;
    }

    if (ngx_errno == NGX_ENOENT) {
        if (ngx_http_swr_local_mkdirs(r, &to) != NGX_OK) {
            return NGX_ERROR;
        }

        if (ngx_rename_file(from.data, to.data) != NGX_FILE_ERROR) {
            return NGX_OK;
        }
    }

    ngx_log_error(NGX_LOG_CRIT, r->connection->log, ngx_errno,
                  ngx_rename_file_n " \"%V\" to \"%V\" failed", &from, &to);

    return NGX_ERROR;
}


/* a small upload read back whole (a manifest pushed as a blob, say) */

ngx_int_t
ngx_http_swr_local_upload_read(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *id, off_t size, u_char *buf)
{
    ssize_t     n;
    ngx_str_t   path;
    ngx_file_t  file;

    if (ngx_http_swr_local_path(r, st, "uploads", NULL, id, &path)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    ngx_memzero(&file, sizeof(ngx_file_t));

    file.name = path;
    file.log = r->connection->log;
    file.fd = ngx_open_file(path.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);

    if (file.fd == NGX_INVALID_FILE) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, ngx_errno,
                      ngx_open_file_n " \"%V\" failed", &path);
        return NGX_ERROR;
    }

    n = ngx_read_file(&file, buf, size, 0);

    ngx_close_file(file.fd);

    return (n == size) ? NGX_OK : NGX_ERROR;
}


/*
 * Blob GET: the file goes out as nginx's static module sends one, through
 * the open file cache and sendfile, as a file buffer; the range filter
 * serves Range requests.  NGX_DECLINED: no such file; NGX_ABORT: the file
 * is not the size Redis has.
 */

ngx_int_t
ngx_http_swr_local_blob_open(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *digest, off_t size,
    ngx_buf_t **bp)
{
    ngx_buf_t                 *b;
    ngx_str_t                  path;
    ngx_open_file_info_t       of;
    ngx_http_core_loc_conf_t  *clcf;

    if (ngx_http_swr_local_path(r, st, "blobs", digest, NULL, &path)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    ngx_memzero(&of, sizeof(ngx_open_file_info_t));

    of.read_ahead = clcf->read_ahead;
    of.directio = clcf->directio;
    of.valid = clcf->open_file_cache_valid;
    of.min_uses = clcf->open_file_cache_min_uses;
    of.errors = clcf->open_file_cache_errors;
    of.events = clcf->open_file_cache_events;

    if (ngx_open_cached_file(clcf->open_file_cache, &path, &of, r->pool)
        != NGX_OK)
    {
        ngx_log_error(NGX_LOG_CRIT, r->connection->log, of.err,
                      "%s \"%V\" failed", of.failed, &path);

        return (of.err == NGX_ENOENT) ? NGX_DECLINED : NGX_ERROR;
    }

    if (!of.is_file || of.size != size) {
        ngx_log_error(NGX_LOG_CRIT, r->connection->log, 0,
                      "swr blob \"%V\" is %O bytes, %O expected",
                      &path, of.size, size);
        return NGX_ABORT;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->file = ngx_pcalloc(r->pool, sizeof(ngx_file_t));
    if (b->file == NULL) {
        return NGX_ERROR;
    }

    b->file_pos = 0;
    b->file_last = of.size;
    b->in_file = b->file_last ? 1 : 0;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;
    b->sync = (b->file_last == 0) ? 1 : 0;

    b->file->fd = of.fd;
    b->file->name = path;
    b->file->log = r->connection->log;
    b->file->directio = of.is_directio;

    *bp = b;

    return NGX_OK;
}


/*
 * Upload sessions expire in Redis; their files are swept here, by one
 * worker, every ten minutes.
 */

ngx_int_t
ngx_http_swr_local_init_worker(ngx_cycle_t *cycle,
    ngx_http_swr_main_conf_t *smcf)
{
    if (smcf->storages.nelts == 0 || ngx_worker != 0) {
        return NGX_OK;
    }

    smcf->sweep.handler = ngx_http_swr_local_sweep_handler;
    smcf->sweep.data = smcf;
    smcf->sweep.log = cycle->log;
    smcf->sweep.cancelable = 1;

    ngx_add_timer(&smcf->sweep, NGX_HTTP_SWR_LOCAL_SWEEP_MS);

    return NGX_OK;
}


static void
ngx_http_swr_local_sweep_handler(ngx_event_t *ev)
{
    ngx_uint_t                 i;
    ngx_path_t               **path;
    ngx_http_swr_main_conf_t  *smcf = ev->data;

    path = smcf->storages.elts;

    for (i = 0; i < smcf->storages.nelts; i++) {
        ngx_http_swr_local_sweep(path[i], ev->log);
    }

    if (!ngx_exiting) {
        ngx_add_timer(ev, NGX_HTTP_SWR_LOCAL_SWEEP_MS);
    }
}


static void
ngx_http_swr_local_sweep(ngx_path_t *path, ngx_log_t *log)
{
    u_char     *p, name[NGX_MAX_PATH];
    ngx_dir_t   dir;
    ngx_str_t   uploads;

    p = ngx_snprintf(name, NGX_MAX_PATH - 1, "%V/uploads", &path->name);
    *p = '\0';

    uploads.data = name;
    uploads.len = p - name;

    if (ngx_open_dir(&uploads, &dir) == NGX_ERROR) {
        if (ngx_errno != NGX_ENOENT) {
            ngx_log_error(NGX_LOG_ERR, log, ngx_errno,
                          ngx_open_dir_n " \"%V\" failed", &uploads);
        }

        return;
    }

    for ( ;; ) {
        ngx_set_errno(0);

        if (ngx_read_dir(&dir) == NGX_ERROR) {
            break;
        }

        if (ngx_de_name(&dir)[0] == '.') {
            continue;
        }

        p = ngx_snprintf(name + uploads.len, NGX_MAX_PATH - uploads.len - 1,
                         "/%s", ngx_de_name(&dir));
        *p = '\0';

        if (ngx_de_info(name, &dir) == NGX_FILE_ERROR
            || !ngx_de_is_file(&dir)
            || ngx_time() - ngx_de_mtime(&dir) < NGX_HTTP_SWR_LOCAL_STALE)
        {
            name[uploads.len] = '\0';
            continue;
        }

        ngx_log_error(NGX_LOG_INFO, log, 0,
                      "swr removes stale upload \"%s\"", name);

        if (ngx_delete_file(name) == NGX_FILE_ERROR) {
            ngx_log_error(NGX_LOG_ERR, log, ngx_errno,
                          ngx_delete_file_n " \"%s\" failed", name);
        }

        name[uploads.len] = '\0';
    }

    (void) ngx_close_dir(&dir);
}
