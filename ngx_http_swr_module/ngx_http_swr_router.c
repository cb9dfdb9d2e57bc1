
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_router.h"


static ngx_uint_t ngx_http_swr_segment_is(u_char *start, u_char *end,
    const char *word);
static u_char *ngx_http_swr_last_slash(u_char *start, u_char *end);


/*
 * Splits a registry URI into route, repository name and reference.  The
 * name may itself hold slashes (ns/a/b), and a tag, digest or upload id
 * never does, so the URI is read from its end:
 *
 *   /v2/                                   base
 *   /v2/_catalog                           catalog
 *   /v2/<name>/tags/list                   tags
 *   /v2/<name>/manifests/<reference>       manifest
 *   /v2/<name>/blobs/<digest>              blob
 *   /v2/<name>/blobs/uploads/              upload start
 *   /v2/<name>/blobs/uploads/<id>          upload
 *   /v2/<name>/referrers/<digest>          referrers
 *
 * NGX_OK with rt filled; NGX_DECLINED: no such endpoint; NGX_ABORT: an
 * endpoint, but the name breaks the distribution grammar.
 */

ngx_int_t
ngx_http_swr_route(ngx_str_t *uri, ngx_http_swr_route_t *rt)
{
    u_char  *start, *last, *slash, *kw;

    ngx_memzero(rt, sizeof(ngx_http_swr_route_t));

    if (uri->len < 3 || ngx_strncmp(uri->data, "/v2", 3) != 0) {
        return NGX_DECLINED;
    }

    if (uri->len == 3 || (uri->len == 4 && uri->data[3] == '/')) {
        rt->route = NGX_HTTP_SWR_ROUTE_BASE;
        return NGX_OK;
    }

    if (uri->data[3] != '/') {
        return NGX_DECLINED;
    }

    start = uri->data + 4;
    last = uri->data + uri->len;

    if (ngx_http_swr_segment_is(start, last, "_catalog")) {
        rt->route = NGX_HTTP_SWR_ROUTE_CATALOG;
        return NGX_OK;
    }

    /* <name>/tags/list */

    if (last - start > 10 && ngx_strncmp(last - 10, "/tags/list", 10) == 0) {
        rt->route = NGX_HTTP_SWR_ROUTE_TAGS;
        rt->name.data = start;
        rt->name.len = last - 10 - start;
        goto name;
    }

    /* <name>/<keyword>/<reference> */

    slash = ngx_http_swr_last_slash(start, last);
    if (slash == NULL) {
        return NGX_DECLINED;
    }

    rt->ref.data = slash + 1;
    rt->ref.len = last - slash - 1;

    kw = ngx_http_swr_last_slash(start, slash);
    if (kw == NULL) {
        return NGX_DECLINED;
    }

    if (ngx_http_swr_segment_is(kw + 1, slash, "manifests")) {
        rt->route = NGX_HTTP_SWR_ROUTE_MANIFEST;

    } else if (ngx_http_swr_segment_is(kw + 1, slash, "referrers")) {
        rt->route = NGX_HTTP_SWR_ROUTE_REFERRERS;

    } else if (ngx_http_swr_segment_is(kw + 1, slash, "blobs")) {
        rt->route = NGX_HTTP_SWR_ROUTE_BLOB;

    } else if (ngx_http_swr_segment_is(kw + 1, slash, "uploads")) {
        slash = kw;
        kw = ngx_http_swr_last_slash(start, slash);

        if (kw == NULL || !ngx_http_swr_segment_is(kw + 1, slash, "blobs")) {
            return NGX_DECLINED;
        }

        rt->route = rt->ref.len ? NGX_HTTP_SWR_ROUTE_UPLOAD
                                : NGX_HTTP_SWR_ROUTE_UPLOAD_START;

    } else {
        return NGX_DECLINED;
    }

    if (rt->ref.len == 0 && rt->route != NGX_HTTP_SWR_ROUTE_UPLOAD_START) {
        return NGX_DECLINED;
    }

    rt->name.data = start;
    rt->name.len = kw - start;

name:

    if (ngx_http_swr_valid_name(&rt->name) != NGX_OK) {
        return NGX_ABORT;
    }

    return NGX_OK;
}


static ngx_uint_t
ngx_http_swr_segment_is(u_char *start, u_char *end, const char *word)
{
    size_t  len;

    len = ngx_strlen(word);

    return (size_t) (end - start) == len
           && ngx_strncmp(start, word, len) == 0;
}


static u_char *
ngx_http_swr_last_slash(u_char *start, u_char *end)
{
    while (end > start) {
        end--;

        if (*end == '/') {
            return end;
        }
    }

    return NULL;
}


/*
 * name      := component ("/" component)*
 * component := [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
 *
 * at most 255 characters; "manage" as the first component is the
 * management API's, not a repository's.
 */

ngx_int_t
ngx_http_swr_valid_name(ngx_str_t *name)
{
    u_char      c, *p, *last, *comp;
    ngx_uint_t  seps;

    if (name->len == 0 || name->len > NGX_HTTP_SWR_NAME_MAX) {
        return NGX_ERROR;
    }

    if ((name->len == 6 || (name->len > 6 && name->data[6] == '/'))
        && ngx_strncmp(name->data, "manage", 6) == 0)
    {
        return NGX_ERROR;
    }

    last = name->data + name->len;
    comp = name->data;

    while (comp < last) {

        /* one component: alnum runs joined by one separator */

        p = comp;

        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            return NGX_ERROR;
        }

        while (p < last && *p != '/') {
            c = *p;

            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                p++;
                continue;
            }

            /* a separator: ".", "_", "__" or "-" repeated */

            seps = 0;

            if (c == '.') {
                p++;
                seps = 1;

            } else if (c == '_') {
                p++;
                seps = 1;

                if (p < last && *p == '_') {
                    p++;
                }

            } else if (c == '-') {
                while (p < last && *p == '-') {
                    p++;
                }

                seps = 1;
            }

            if (!seps || p == last
                || !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            {
                return NGX_ERROR;
            }
        }

        if (p == last) {
            return NGX_OK;
        }

        /* *p == '/' */

        comp = p + 1;

        if (comp == last) {
            return NGX_ERROR;
        }
    }

    return NGX_ERROR;
}


/* tag := [A-Za-z0-9_][A-Za-z0-9._-]{0,127} */

ngx_int_t
ngx_http_swr_valid_tag(ngx_str_t *tag)
{
    u_char  c;
    size_t  i;

    if (tag->len == 0 || tag->len > NGX_HTTP_SWR_TAG_MAX) {
        return NGX_ERROR;
    }

    for (i = 0; i < tag->len; i++) {
        c = tag->data[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '_')
        {
            continue;
        }

        if (i > 0 && (c == '.' || c == '-')) {
            continue;
        }

        return NGX_ERROR;
    }

    return NGX_OK;
}


/* upload ids are ours: 8-4-4-4-12 lower-case hex */

ngx_int_t
ngx_http_swr_valid_uuid(ngx_str_t *id)
{
    u_char  c;
    size_t  i;

    if (id->len != 36) {
        return NGX_ERROR;
    }

    for (i = 0; i < 36; i++) {
        c = id->data[i];

        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
                return NGX_ERROR;
            }

            continue;
        }

        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}
