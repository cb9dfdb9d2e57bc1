-- wrk script for bench/run.sh.
--
-- The request comes from the environment, so one script serves every
-- measurement:
--   BENCH_ACCEPT     Accept header (e.g. the manifest's media type); none if empty
--   BENCH_AUTH       Authorization header ("Bearer <token>" for the module
--                    with swr_auth on); none if empty
--   BENCH_METHOD     the request method (e.g. PUT); GET if empty
--   BENCH_BODY_FILE  a file whose bytes are every request's body (read once,
--                    when the script is loaded); no body if empty
--   BENCH_CTYPE      Content-Type header; none if empty
-- Unset, these three leave wrk's default request: a GET without a body.
--
-- There is deliberately no response() callback: defining one makes wrk copy
-- every response's headers and body into Lua, which would dominate the cost
-- of the blob downloads.  wrk counts non-2xx/3xx answers itself
-- (summary.errors.status), and bench/run.sh checks each URL once with curl
-- before loading it.
--
-- done() prints one machine-readable line that bench/run.sh parses:
--   BENCH requests=N duration_us=N bytes=N connect=N read=N write=N
--         status=N timeout=N p50_us=N p99_us=N mean_us=N max_us=N

local function env(name)
    local v = os.getenv(name)
    if v == nil or v == "" then
        return nil
    end
    return v
end

local accept = env("BENCH_ACCEPT")
if accept then
    wrk.headers["Accept"] = accept
end

local auth = env("BENCH_AUTH")
if auth then
    wrk.headers["Authorization"] = auth
end

local method = env("BENCH_METHOD")
if method then
    wrk.method = method
end

local body_file = env("BENCH_BODY_FILE")
if body_file then
    local f, err = io.open(body_file, "rb")
    if f == nil then
        error("BENCH_BODY_FILE: " .. tostring(err))
    end
    wrk.body = f:read("*a")
    f:close()
    -- wrk adds Content-Length itself when the body is set
end

local ctype = env("BENCH_CTYPE")
if ctype then
    wrk.headers["Content-Type"] = ctype
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d "
        .. "write=%d status=%d timeout=%d p50_us=%d p99_us=%d mean_us=%d "
        .. "max_us=%d\n",
        summary.requests, summary.duration, summary.bytes,
        e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(99),
        math.floor(latency.mean), latency.max))
end
