/**
 * The HTTP side of the double: one request's pipeline (log → latency → fault → auth →
 * before-write hooks → handler → GitHub's headers), and the server's lifecycle.
 */
import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'
import { ApiError, statusText } from './errors.mjs'
import { matchRoute } from './router.mjs'
import { isWrite } from './request-log.mjs'

/** @typedef {import('./state.mjs').DoubleState} DoubleState */
/** @typedef {import('./request-log.mjs').RequestLog} RequestLog */
/** @typedef {import('./request-log.mjs').LogEntry} LogEntry */
/** @typedef {import('./faults.mjs').Faults} Faults */
/** @typedef {import('./routes/context.mjs').Reply} Reply */
/** @typedef {import('./routes/context.mjs').Ctx} Ctx */
/**
 * @typedef {object} WriteEvent
 * @property {string} method
 * @property {string} path
 * @property {string | undefined} route
 * @property {string | undefined} repo `owner/name` of a repository route
 * @property {unknown} body
 * @property {DoubleState} state
 */
/** @typedef {(event: WriteEvent) => void | Promise<void>} WriteHook */
/**
 * @typedef {object} PipelineOptions
 * @property {DoubleState} state
 * @property {RequestLog} log
 * @property {Faults} faults
 * @property {{ fn: WriteHook, remaining: number }[]} hooks
 * @property {number} latencyMs
 * @property {number | undefined} rateLimit enforced only when given
 * @property {string} serverUrl
 */

const MAX_BODY = 200 * 1024 * 1024
const DEFAULT_RATE_LIMIT = 5000
const RATE_LIMITED =
  'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.'

/** Timers that `close()` can cut short, so no sleeping request outlives the double. */
export class Sleeper {
  constructor() {
    /** @type {Set<() => void>} */
    this.pending = new Set()
  }

  /** @param {number} ms */
  sleep(ms) {
    if (ms <= 0) return Promise.resolve()
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer)
        this.pending.delete(done)
        resolve(undefined)
      }
      const timer = setTimeout(done, ms)
      this.pending.add(done)
    })
  }

  wakeAll() {
    for (const done of [...this.pending]) done()
  }
}

/** @param {import('node:http').IncomingMessage} req @returns {Promise<Buffer | undefined>} undefined when too large */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    req.on('data', chunk => {
      size += chunk.length
      if (size <= MAX_BODY) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** `token X`, `Bearer X`, or Basic with the token as password (git-style). @param {string | undefined} header */
function tokenOf(header) {
  if (!header) return undefined
  const [scheme, value] = header.trim().split(/\s+/, 2)
  if (!value) return undefined
  if (/^(token|bearer)$/i.test(scheme)) return value
  if (/^basic$/i.test(scheme))
    return Buffer.from(value, 'base64').toString('utf8').split(':').pop() || undefined
  return undefined
}

/** Split the GHES prefixes off: `/api/v3/...` for REST, `/api/graphql` for GraphQL. @param {string} pathname */
function stripPrefix(pathname) {
  if (pathname === '/api/graphql') return { prefix: '/api', rest: '/graphql' }
  if (pathname === '/api/v3' || pathname.startsWith('/api/v3/'))
    return { prefix: '/api/v3', rest: pathname.slice(7) || '/' }
  return { prefix: '', rest: pathname }
}

/** @param {string} path */
function safeDecode(path) {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/**
 * Build the request handler.
 * @param {PipelineOptions} options @param {Sleeper} sleeper @param {() => number} port
 */
export function createPipeline(options, sleeper, port) {
  /** @type {Map<string, number>} */
  const used = new Map()
  const resetAt = Math.floor(Date.now() / 1000) + 3600

  /** GitHub's standard headers; rate limits are counted per token and resource. @param {string} bucket @param {string} resource */
  function standardHeaders(bucket, resource) {
    const key = `${resource}:${bucket}`
    const count = (used.get(key) ?? 0) + 1
    used.set(key, count)
    const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT
    return {
      headers: {
        'x-github-request-id': [4, 4, 4, 5, 4]
          .map(n => randomBytes(n).toString('hex').toUpperCase())
          .join(':'),
        'x-github-api-version-selected': '2022-11-28',
        'x-github-media-type': 'github.v3; format=json',
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(limit - count, 0)),
        'x-ratelimit-used': String(count),
        'x-ratelimit-reset': String(resetAt),
        'x-ratelimit-resource': resource
      },
      exceeded: options.rateLimit !== undefined && count > options.rateLimit
    }
  }

  /**
   * @param {import('node:http').ServerResponse} res @param {LogEntry} entry
   * @param {Reply} reply @param {Record<string, string>} headers
   */
  function send(res, entry, reply, headers) {
    entry.status = reply.status
    if (res.destroyed || res.writableEnded) return
    const body =
      reply.raw ??
      (reply.status === 204 || reply.json === undefined
        ? undefined
        : Buffer.from(JSON.stringify(reply.json)))
    res.writeHead(reply.status, {
      ...headers,
      ...(body === undefined
        ? {}
        : {
            'content-type': reply.contentType ?? 'application/json; charset=utf-8',
            'content-length': String(body.length)
          }),
      ...reply.headers
    })
    res.end(body)
  }

  /** @param {ApiError} error @returns {Reply} */
  const errorReply = error => ({ status: error.status, json: error.body() })

  /** A bug in the double (or a throwing hook) is a 500 whose message carries the stack. @param {unknown} error @returns {Reply} */
  const internalError = error => ({
    status: 500,
    json: {
      message: `GitHub double internal error: ${error instanceof Error ? error.stack : String(error)}`
    }
  })

  /**
   * Authorise a /repos/{owner}/{repo} route; the Ctx fields it fills, or the refusal.
   * @param {import('./router.mjs').Match} match @param {string | undefined} token
   */
  function authorise(match, token) {
    if (!token) throw new ApiError(401, 'Requires authentication')
    if (!options.state.knowsToken(token)) throw new ApiError(401, 'Bad credentials')
    const repo = options.state.findRepo(`${match.params.owner}/${match.params.repo}`)
    if (!repo) throw new ApiError(404, 'Not Found')
    const level = options.state.levelOf(token, repo.fullName)
    if (level === 'none' || level === 'unknown-token') throw new ApiError(404, 'Not Found')
    if (match.route.access === 'write' && level === 'read')
      throw new ApiError(403, 'Resource not accessible by integration')
    return { repo, level }
  }

  /** @param {WriteEvent} event */
  async function runHooks(event) {
    for (const hook of [...options.hooks]) {
      if (hook.remaining <= 0) continue
      hook.remaining--
      await hook.fn(event)
    }
    for (let i = options.hooks.length - 1; i >= 0; i--)
      if (options.hooks[i].remaining <= 0) options.hooks.splice(i, 1)
  }

  /**
   * Injected fault for this request: true when it answered (or dropped) the request.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {LogEntry} entry @param {Record<string, string>} headers
   */
  async function applyFault(req, res, entry, headers) {
    const fault = options.faults.take(entry.method, entry.path, entry.route)
    if (!fault) return false
    entry.faulted = true
    await sleeper.sleep(fault.delayMs ?? 0)
    if (fault.drop) {
      req.socket.destroy()
      return true
    }
    if (fault.status === undefined) return false
    const json = fault.body ?? { message: statusText(fault.status) }
    send(res, entry, { status: fault.status, json }, { ...headers, ...fault.headers })
    return true
  }

  /**
   * Authorise, run the before-write hooks, and call the handler.
   * @param {Parsed} parsed @param {boolean} exceeded
   * @returns {Promise<Reply>}
   */
  async function dispatch(parsed, exceeded) {
    const { entry, match, token } = parsed
    if (parsed.bodyError) throw parsed.bodyError
    if (exceeded) throw new ApiError(403, RATE_LIMITED)
    if (!match) throw new ApiError(404, 'Not Found')
    const scope = match.route.access === 'self' ? undefined : authorise(match, token)
    const api = `http://127.0.0.1:${port()}${entry.prefix === '/api' ? '/api/v3' : entry.prefix}`
    /** @type {Ctx} */
    const ctx = {
      method: entry.method,
      path: entry.path,
      query: entry.query,
      body: entry.body,
      token,
      accept: parsed.accept,
      urls: { api, web: options.serverUrl },
      params: match.params,
      state: options.state,
      repo: /** @type {any} */ (scope?.repo),
      level: scope?.level ?? 'none'
    }
    if (isWrite(entry)) {
      const repo = scope?.repo.fullName
      await runHooks({
        method: entry.method,
        path: entry.path,
        route: entry.route,
        repo,
        body: entry.body,
        state: options.state
      })
    }
    return match.route.handler(ctx)
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  return async function handle(req, res) {
    const parsed = await parseRequest(req)
    options.log.add(parsed.entry)
    const resource = parsed.entry.route === '/graphql' ? 'graphql' : 'core'
    const bucket = parsed.token ?? req.socket.remoteAddress ?? 'anonymous'
    const { headers, exceeded } = standardHeaders(bucket, resource)
    await sleeper.sleep(options.latencyMs)
    if (await applyFault(req, res, parsed.entry, headers)) return
    /** @type {Reply} */
    let reply
    try {
      reply = await dispatch(parsed, exceeded)
    } catch (error) {
      reply = error instanceof ApiError ? errorReply(error) : internalError(error)
    }
    if (exceeded) headers['x-ratelimit-remaining'] = '0'
    send(res, parsed.entry, reply, headers)
  }
}

/**
 * @typedef {object} Parsed
 * @property {LogEntry} entry
 * @property {import('./router.mjs').Match | undefined} match
 * @property {string | undefined} token
 * @property {string} accept
 * @property {ApiError | undefined} bodyError
 */

/**
 * Read and parse one request into its log entry (body included, even when a fault will
 * answer it) and its route.
 * @param {import('node:http').IncomingMessage} req @returns {Promise<Parsed>}
 */
async function parseRequest(req) {
  const at = Date.now()
  const method = (req.method ?? 'GET').toUpperCase()
  const bytes = await readBody(req)
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const { prefix, rest } = stripPrefix(url.pathname)
  const match = matchRoute(method, rest)
  /** @type {ApiError | undefined} */
  let bodyError
  let body
  if (bytes === undefined) bodyError = new ApiError(413, 'Request body too large')
  else if (bytes.length > 0) {
    try {
      body = JSON.parse(bytes.toString('utf8'))
    } catch {
      bodyError = new ApiError(400, 'Problems parsing JSON')
    }
  }
  /** @type {LogEntry} */
  const entry = {
    method,
    path: safeDecode(rest),
    prefix,
    query: Object.fromEntries(url.searchParams),
    route: match?.template,
    status: 0,
    ...(body === undefined ? {} : { body }),
    at,
    faulted: false
  }
  const token = tokenOf(req.headers.authorization)
  return { entry, match, token, accept: String(req.headers.accept ?? ''), bodyError }
}

/**
 * Listen on 127.0.0.1 (any free port) and return the server with a `close()` that ends every
 * connection, including keep-alive sockets and requests still sleeping.
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>} handle
 * @param {Sleeper} sleeper
 */
export async function listen(handle, sleeper) {
  const server = createServer((req, res) => {
    handle(req, res).catch(error => {
      if (res.headersSent || res.destroyed) return
      const body = JSON.stringify({
        message: `GitHub double internal error: ${error instanceof Error ? error.stack : String(error)}`
      })
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
      res.end(body)
    })
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  let closing = /** @type {Promise<void> | undefined} */ (undefined)
  const close = () => {
    closing ??= new Promise(resolve => {
      server.close(() => resolve())
      sleeper.wakeAll()
      server.closeAllConnections()
    })
    return closing
  }
  return { port: address.port, close }
}
