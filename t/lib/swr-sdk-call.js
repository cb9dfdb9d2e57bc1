#!/usr/bin/env node
// One call of SWR's management API made by Huawei's own SWR SDK for Node
// (npm packages @huaweicloud/huaweicloud-sdk-swr and -core, which
// util/deps.sh installs into build/node): the SDK builds the request,
// signs it (SDK-HMAC-SHA256, its own AKSKSigner), sends it and parses the
// answer.  Nothing here builds or signs a request itself.
//
//   swr-sdk-call.js ENDPOINT AK SK PROJECT OPERATION [PARAMS]
//
// ENDPOINT is the URL the client is built with (http://127.0.0.1:PORT;
// no region, which would replace it with Huawei's own host; the SDK's
// builder turns TLS verification off by itself).  PROJECT is the
// credentials' project id (X-Project-Id).
// OPERATION is the SDK's name of the operation (ListNamespaces,
// CreateNamespace, DeleteRepo, ...): the request is a new
// <OPERATION>Request, the call SwrClient.<operation>().  PARAMS is a JSON
// object of the request's fields under their wire names, each set with
// the request's own with...() method ("namespace", "filter",
// "order_column", "body", "Content-Type"...); a field the request does
// not have is an error.  The body is given as JSON, which the SDK sends
// as JSON.stringify() makes it.
//
// Prints one line of JSON, what the SDK made of the answer:
//
//   {"status":200,"body":{...}}                          a 2xx
//   {"status":404,"error_code":"...","error_msg":"...",
//    "request_id":"..."}                                  what it threw
//                                                         (httpStatusCode,
//                                                         errorCode,
//                                                         errorMsg,
//                                                         requestId)
//
// Exit status 0 when the SDK got an HTTP answer, 1 and a message on
// stderr when anything else happened (no SDK, no such operation, no
// answer at all).

'use strict';

const fs = require('fs');
const path = require('path');

const NODE = path.join(__dirname, '..', '..', 'build', 'node');
const SWR = '@huaweicloud/huaweicloud-sdk-swr';
const CORE = '@huaweicloud/huaweicloud-sdk-core';

function fail(msg) {
    process.stderr.write('swr-sdk-call: ' + msg + '\n');
    process.exit(1);
}

function load(name) {
    const local = path.join(NODE, 'node_modules', name);

    try {
        return require(fs.existsSync(local) ? local : name);
    } catch (e) {
        fail('cannot load ' + name + ' (make test installs it into '
             + 'build/node): ' + e.message);
    }
}

function main() {
    const [endpoint, ak, sk, project, op, json] = process.argv.slice(2);

    if (op === undefined) {
        fail('usage: see the head of ' + __filename);
    }

    let params = {};

    if (json !== undefined && json !== '') {
        try {
            params = JSON.parse(json);
        } catch (e) {
            fail('PARAMS is not JSON: ' + e.message);
        }
    }

    // the core writes an application id under the home directory once:
    // into build/node, not the tester's home
    if (fs.existsSync(NODE)) {
        process.env.HOME = NODE;
    }

    // the SDK logs every error answer on stdout (log4js): only the line
    // of this script goes there, the SDK's log nowhere (to stderr with
    // SWR_SDK_LOG=1)
    const print = process.stdout.write.bind(process.stdout);
    process.stdout.write = process.env.SWR_SDK_LOG
                           ? process.stderr.write.bind(process.stderr)
                           : () => true;

    const core = load(CORE);
    const swr = load(SWR);

    const Request = swr[op + 'Request'];
    const method = op.charAt(0).toLowerCase() + op.slice(1);

    if (typeof Request !== 'function'
        || typeof swr.SwrClient.prototype[method] !== 'function')
    {
        fail('the SDK has no operation ' + op);
    }

    const request = new Request();

    for (const [name, value] of Object.entries(params)) {
        const setter = 'with' + name.split(/[-_]/).map(
            (w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

        if (typeof request[setter] !== 'function') {
            fail(op + 'Request has no field ' + name);
        }

        request[setter](value);
    }

    const credentials = new core.BasicCredentials()
        .withAk(ak).withSk(sk).withProjectId(project);

    const client = swr.SwrClient.newBuilder()
        .withCredential(credentials)
        .withEndpoint(endpoint)
        .withOptions({ customUserAgent: 'swr-sdk-call' })
        .build();

    return client[method](request).then((res) => {
        const status = res.httpStatusCode;
        const body = Object.assign({}, res);

        delete body.httpStatusCode;
        print(JSON.stringify({ status: status, body: body }) + '\n');

    }, (e) => {
        if (!e || e.httpStatusCode === undefined) {
            fail('no answer: ' + ((e && (e.errorMsg || e.message)) || e));
        }

        print(JSON.stringify({
            status: e.httpStatusCode,
            error_code: e.errorCode === undefined ? null : e.errorCode,
            error_msg: e.errorMsg === undefined ? null : e.errorMsg,
            request_id: e.requestId === undefined ? null : e.requestId
        }) + '\n');
    });
}

Promise.resolve().then(main).catch((e) => fail(e.stack || String(e)));
