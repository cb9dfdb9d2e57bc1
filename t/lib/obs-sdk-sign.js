#!/usr/bin/env node
// What Huawei's own OBS SDK for Node (npm package esdk-obs-nodejs, which
// util/deps.sh installs into build/node) signs for a request, computed by
// the SDK's code: t/086-obs-signature.t compares the module's signatures
// with these.  Nothing here signs anything itself; the SDK gets a clock
// fixed at the given time and an http.request() that only records.
//
//   obs-sdk-sign.js request ENDPOINT BUCKET AK SK METHOD DATE KEY
//       OBS signature, header form, of the request the SDK's own
//       operation for METHOD sends (GET getObject, PUT putObject without
//       a body, DELETE deleteObject, HEAD getObjectMetadata); three
//       lines: its path in path style (/BUCKET/key, the key as the SDK
//       encodes it), its Date header, its Authorization header
//
//   obs-sdk-sign.js url ENDPOINT BUCKET AK SK METHOD DATE KEY EXPIRES
//       OBS signature, query form (createSignedUrlSync): one line, the
//       URL, valid for EXPIRES seconds from DATE
//
//   obs-sdk-sign.js v4url ENDPOINT BUCKET AK SK METHOD DATE KEY EXPIRES REGION
//       AWS Signature Version 4, query form (createV4SignedUrlSync): one
//       line, the URL, path style for an IPv4 endpoint and virtual-hosted
//       for a host name (the SDK's own choice)
//
// ENDPOINT is host:port; "https://host:port" asks for https.  DATE is an
// RFC 1123 date or YYYYMMDDTHHMMSSZ.  KEY is the object key, not encoded.
//
// The SDK signs the OBS way only with virtual-hosted URLs (with path-style
// ones, and with any endpoint that is an IPv4 address, it falls back to
// AWS Signature Version 2): for "request" and "url" it is given the
// endpoint's port under a host name and its answer is written back in
// path style for ENDPOINT; the canonical resource it signs is /BUCKET/key
// either way.  Exit status 1 and a message on stderr when anything fails.

'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');

const SDK = 'esdk-obs-nodejs';
const VHOST = 'obs-sdk.invalid';

function fail(msg) {
    process.stderr.write('obs-sdk-sign: ' + msg + '\n');
    process.exit(1);
}

function loadSdk() {
    const local = path.join(__dirname, '..', '..', 'build', 'node',
                            'node_modules', SDK);

    try {
        return require(fs.existsSync(local) ? local : SDK);
    } catch (e) {
        fail('cannot load ' + SDK + ' (make test installs it into '
             + 'build/node): ' + e.message);
    }
}

function parseDate(s) {
    const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(s);
    const ms = m ? Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6])
                 : Date.parse(s);

    if (isNaN(ms)) {
        fail('bad date "' + s + '"');
    }

    return ms;
}

// "new Date()" and Date.now() at ms, the rest of Date as it is
function fixClock(ms) {
    const RealDate = Date;

    global.Date = class extends RealDate {
        constructor(...args) {
            if (args.length === 0) {
                super(ms);
            } else {
                super(...args);
            }
        }

        static now() {
            return ms;
        }
    };
}

function splitEndpoint(endpoint) {
    const m = /^(https?:\/\/)?([^/:]+):(\d+)$/.exec(endpoint);

    if (!m) {
        fail('bad endpoint "' + endpoint + '", want host:port');
    }

    return { scheme: m[1] || 'http://', host: m[2], port: +m[3] };
}

async function client(ObsClient, conf) {
    const c = new ObsClient(conf);

    // the SDK applies its settings asynchronously (initFactory is async)
    await new Promise((resolve) => setImmediate(resolve));

    return c;
}

async function main() {
    const [mode, endpoint, bucket, ak, sk, method, date, key, expires,
           region] = process.argv.slice(2);

    if (key === undefined
        || (mode !== 'request' && expires === undefined)
        || (mode === 'v4url' && region === undefined))
    {
        fail('usage: see the head of ' + __filename);
    }

    const ObsClient = loadSdk();
    const ep = splitEndpoint(endpoint);
    const ms = parseDate(date);
    const vhost = ep.scheme + bucket + '.' + VHOST + ':' + ep.port;
    const pathStyle = ep.scheme + ep.host + ':' + ep.port + '/' + bucket;

    let c;

    fixClock(ms);

    if (mode === 'v4url') {
        c = await client(ObsClient, {
            access_key_id: ak, secret_access_key: sk, region: region,
            server: ep.scheme + ep.host + ':' + ep.port,
            is_signature_negotiation: false
        });

        const r = c.createV4SignedUrlSync({
            Method: method, Bucket: bucket, Key: key, Expires: +expires
        });

        process.stdout.write(r.SignedUrl + '\n');
        return;
    }

    c = await client(ObsClient, {
        access_key_id: ak, secret_access_key: sk, signature: 'obs',
        server: ep.scheme + VHOST + ':' + ep.port,
        is_signature_negotiation: false
    });

    if (c.util.signatureContext.authPrefix !== 'OBS') {
        fail('the SDK did not choose its OBS signature');
    }

    if (mode === 'url') {
        const r = c.createSignedUrlSync({
            Method: method, Bucket: bucket, Key: key, Expires: +expires
        });

        if (r.SignedUrl.indexOf(vhost + '/') !== 0) {
            fail('unexpected URL from the SDK: ' + r.SignedUrl);
        }

        process.stdout.write(pathStyle + r.SignedUrl.slice(vhost.length)
                             + '\n');
        return;
    }

    if (mode !== 'request') {
        fail('unknown mode "' + mode + '"');
    }

    const ops = {
        GET: 'getObject', PUT: 'putObject', DELETE: 'deleteObject',
        HEAD: 'getObjectMetadata'
    };

    if (!ops[method]) {
        fail('no SDK operation for method ' + method);
    }

    // the request the SDK would send, recorded and never sent
    const record = function (o) {
        const h = o.headers;

        if (o.method !== method || o.host !== bucket + '.' + VHOST) {
            fail('unexpected request from the SDK: ' + o.method + ' '
                 + o.host + o.path);
        }

        fs.writeSync(1, '/' + bucket + o.path + '\n' + h.Date + '\n'
                        + h.Authorization + '\n');
        process.exit(0);
    };

    http.request = record;
    https.request = record;

    c[ops[method]]({ Bucket: bucket, Key: key }, (err) => {
        fail('the SDK sent nothing: ' + (err ? err.message || err : ''));
    });
}

main().catch((e) => fail(e.stack || String(e)));
