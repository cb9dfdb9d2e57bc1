-- wrk script for bench/run.sh.
--
-- Request headers come from the environment, so one script serves every
-- measurement:
--   BENCH_ACCEPT   Accept header (e.g. the manifest's media type); none if empty
--   BENCH_AUTH     Authorization header ("Bearer <token>" for the module
--                  with swr_auth on); none if empty
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

local accept = os.getenv("BENCH_ACCEPT")
if accept ~= nil and accept ~= "" then
    wrk.headers["Accept"] = accept
end

local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then
    wrk.headers["Authorization"] = auth
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
