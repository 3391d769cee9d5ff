/**
 * Git's smart HTTP protocol on 127.0.0.1: every request runs `git http-backend` as a CGI
 * program (as Apache or nginx + fcgiwrap would), after the same injected latency the GitHub
 * API double adds to each request. Logs each round trip with the bytes it sent back, so a
 * clone's cost can be told apart from its round trips.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

const CGI_TIMEOUT_MS = 120_000
const HEADER_END = /\r?\n\r?\n/

/**
 * @typedef {{ method: string, path: string, status: number, bytesOut: number, at: number }} GitRequest
 * @param {{ root: string, latencyMs: number }} options root: directory holding `*.git` bare repos
 */
export async function startGitServer({ root, latencyMs }) {
  /** @type {GitRequest[]} */
  const log = []
  /** @type {Set<import('node:child_process').ChildProcess>} */
  const children = new Set()
  const server = createServer((req, res) => {
    serve(req, res, { root, latencyMs, log, children }).catch(error => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(error))
    })
  })
  await new Promise(done => server.listen(0, '127.0.0.1', () => done(undefined)))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('git server: no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    log,
    async close() {
      for (const child of children) child.kill('SIGKILL')
      server.closeAllConnections()
      await new Promise(done => server.close(() => done(undefined)))
    }
  }
}

/** CGI/1.1 meta-variables `git http-backend` reads (see git-http-backend(1)). */
function cgiEnv(req, url, root) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: root,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    REMOTE_USER: 'bench',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    GATEWAY_INTERFACE: 'CGI/1.1'
  }
  if (req.headers['content-type']) env.CONTENT_TYPE = req.headers['content-type']
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length']
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding']
  if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol'])
  return env
}

async function serve(req, res, { root, latencyMs, log, children }) {
  const entry = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    status: 0,
    bytesOut: 0,
    at: Date.now()
  }
  log.push(entry)
  if (latencyMs > 0) await sleep(latencyMs)
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const child = spawn('git', ['http-backend'], { env: cgiEnv(req, url, root), stdio: 'pipe' })
  children.add(child)
  const killer = setTimeout(() => child.kill('SIGKILL'), CGI_TIMEOUT_MS)
  req.pipe(child.stdin)
  child.stdin.on('error', () => {})
  let stderr = ''
  child.stderr.on('data', chunk => (stderr += chunk))
  await relayCgiOutput(child, res, entry)
  await new Promise(done => (child.exitCode !== null ? done(undefined) : child.on('close', done)))
  clearTimeout(killer)
  children.delete(child)
  if (stderr && entry.status >= 400) process.stderr.write(`git http-backend: ${stderr}`)
}

/** Reads the CGI header block (`Status:` and headers), then streams the body through. */
function relayCgiOutput(child, res, entry) {
  return new Promise((done, fail) => {
    let head = Buffer.alloc(0)
    let started = false
    child.stdout.on('data', chunk => {
      if (started) {
        entry.bytesOut += chunk.length
        res.write(chunk)
        return
      }
      head = Buffer.concat([head, chunk])
      const text = head.toString('latin1')
      const match = HEADER_END.exec(text)
      if (!match) return
      started = true
      const { status, headers } = parseCgiHeaders(text.slice(0, match.index))
      entry.status = status
      res.writeHead(status, headers)
      const body = head.subarray(match.index + match[0].length)
      entry.bytesOut += body.length
      if (body.length > 0) res.write(body)
    })
    child.stdout.on('end', () => {
      if (!started) {
        entry.status = 502
        res.writeHead(502, { 'content-type': 'text/plain' })
      }
      res.end()
      done(undefined)
    })
    child.on('error', fail)
  })
}

function parseCgiHeaders(block) {
  let status = 200
  /** @type {Record<string, string>} */
  const headers = {}
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200
    else headers[name] = value
  }
  return { status, headers }
}
