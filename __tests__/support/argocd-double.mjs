/**
 * An Argo CD API double: a real HTTP(S) server on 127.0.0.1 that answers the two calls the
 * Argo CD phase makes (sync an application, read an application) the way argo-cd's
 * `server/` does, including its sharp edges:
 * - non-GET requests whose Content-Type is not exactly `application/json` (compared
 *   case-insensitively, no parameters) get 415 `Invalid content type` as plain text;
 * - `Authorization: Bearer <token>`; 401 "no session information" / "invalid session";
 * - an unknown application is 403 "permission denied" (code 7), as for one the token may
 *   not see;
 * - POST /sync reads its fields (appNamespace included) from the JSON body only, as
 *   grpc-gateway does for `body: "*"`; GET reads `appNamespace` from the query;
 * - errors are JSON `{"error", "code", "message"}` with gRPC codes;
 * - right after a sync the first read still shows the previous revision Synced/Healthy
 *   (the API server's informer cache lags), then the operation Running, then the result.
 *
 * Plain ESM JavaScript so plain-node scripts can use it too; types in argocd-double.d.mts.
 */

import * as http from 'node:http'
import * as https from 'node:https'

/** The revision every application is at before the test syncs it. */
export const PREVIOUS_REVISION = '1111111111111111111111111111111111111111'
/** Applications in this namespace are addressed without a namespace, as in Argo CD. */
export const CONTROL_PLANE_NAMESPACE = 'argocd'
export const SCENARIOS = Object.freeze([
  'healthy',
  'degraded',
  'sync-failed',
  'never-syncs',
  'operation-in-progress'
])

// Test-only self-signed certificate for 127.0.0.1 / localhost (valid 2000-2100). It
// protects nothing: it exists so tests can exercise `insecure` against real TLS.
export const TEST_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBdjCCARygAwIBAgIBATAKBggqhkjOPQQDAjAdMRswGQYDVQQDDBJhcmdvY2Qt
ZG91YmxlLnRlc3QwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMB0x
GzAZBgNVBAMMEmFyZ29jZC1kb3VibGUudGVzdDBZMBMGByqGSM49AgEGCCqGSM49
AwEHA0IABCypf49z3OmAeOn0hpPv2xiRpJQDZKkXMq17gkhcvMRNYFXnPmb+MXc2
twvn3j0gsKh0eJmi4Z/YQanetR/IZLqjSzBJMAwGA1UdEwEB/wQCMAAwGgYDVR0R
BBMwEYcEfwAAAYIJbG9jYWxob3N0MB0GA1UdDgQWBBRV4oLmoLitNJs9IFQURFsL
MNdJKDAKBggqhkjOPQQDAgNIADBFAiAI+amkAcSXSNVwTO0mG40cdjQ/ZgIx2jpV
olfRXEzc8wIhANlE+zvQYmeQ0UDx54TQs1t84sQs19gofA/dCs8eA8EI
-----END CERTIFICATE-----
`
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgnORrL3qsCHZXDB3q
I3IloY5RRB8zxd+Pa85ekch+INihRANCAAQsqX+Pc9zpgHjp9IaT79sYkaSUA2Sp
FzKte4JIXLzETWBV5z5m/jF3NrcL5949ILCodHiZouGf2EGp3rUfyGS6
-----END PRIVATE KEY-----
`

/**
 * @typedef {'healthy' | 'degraded' | 'sync-failed' | 'never-syncs' | 'operation-in-progress'} ArgoScenarioName
 *
 * @typedef {object} ArgoScenarioOptions
 * @property {ArgoScenarioName} scenario
 * @property {number} [busySyncs] operation-in-progress: sync requests refused before one is accepted (default 2)
 * @property {'Succeeded' | 'Failed'} [previousPhase] phase of the operation before the test's sync (default Succeeded)
 * @property {boolean} [reconcileOnRefresh] after the operation, health stays un-reassessed
 *   (`reconciledAt` < `finishedAt`) until a GET carries `?refresh=`
 * @property {number} [flakyReads] the first N reads after the sync get 502 Bad Gateway (plain
 *   text, as from an ingress while argocd-server restarts)
 *
 * @typedef {ArgoScenarioName | ArgoScenarioOptions} ArgoScenario
 *
 * @typedef {object} ArgoRequest
 * @property {string} method
 * @property {string} path the pathname, without the query
 * @property {Record<string, string>} query
 * @property {Record<string, string | string[] | undefined>} headers as received (names lower-case), minus authorization
 * @property {'valid' | 'invalid' | 'missing'} auth
 * @property {unknown} body parsed JSON; the raw text when not JSON; undefined when empty
 * @property {number} status the status the double answered
 *
 * @typedef {object} ArgoDoubleOptions
 * @property {Record<string, ArgoScenario>} apps keyed `name` or `namespace/name`
 * @property {string} token the only Bearer token accepted
 * @property {boolean} [tls] serve HTTPS with TEST_CERTIFICATE (default false)
 *
 * @typedef {object} ArgoDouble
 * @property {string} url base URL, e.g. http://127.0.0.1:40123
 * @property {ArgoRequest[]} log every request, in arrival order
 * @property {(key: string, scenario: ArgoScenario) => void} setApp add or reset an application
 * @property {() => Promise<void>} close
 */

/**
 * @param {ArgoDoubleOptions} options
 * @returns {Promise<ArgoDouble>}
 */
export async function startArgoDouble(options) {
  /** @type {Map<string, AppState>} */
  const apps = new Map()
  const setApp = (/** @type {string} */ key, /** @type {ArgoScenario} */ scenario) => {
    apps.set(key, newState(scenario))
  }
  for (const [key, scenario] of Object.entries(options.apps)) setApp(key, scenario)
  /** @type {ArgoRequest[]} */
  const log = []
  const clock = { seconds: 0 }
  const handler = (
    /** @type {http.IncomingMessage} */ req,
    /** @type {http.ServerResponse} */ res
  ) => {
    readBody(req).then(text => {
      const entry = logEntry(req, text, options.token)
      const answer = route(entry, apps, clock)
      entry.status = answer.status
      log.push(entry)
      res.writeHead(answer.status, { 'Content-Type': answer.contentType })
      res.end(answer.text)
    })
  }
  const server = options.tls
    ? https.createServer({ key: TEST_KEY, cert: TEST_CERTIFICATE }, handler)
    : http.createServer(handler)
  await new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    log,
    setApp,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      })
  }
}

/**
 * @typedef {object} SyncState
 * @property {string} revision
 * @property {number} startedAt seconds on the double's clock
 * @property {number} reads GETs answered since the sync
 * @property {number} failedReads GETs answered 502 since the sync
 * @property {boolean} refreshed
 *
 * @typedef {object} AppState
 * @property {ArgoScenarioOptions} options
 * @property {number} syncRequests
 * @property {SyncState | undefined} sync
 */

/** @param {ArgoScenario} scenario @returns {AppState} */
function newState(scenario) {
  const options = typeof scenario === 'string' ? { scenario } : scenario
  if (!SCENARIOS.includes(options.scenario)) throw new Error(`unknown scenario ${options.scenario}`)
  return { options, syncRequests: 0, sync: undefined }
}

/** @param {http.IncomingMessage} req @returns {Promise<string>} */
function readBody(req) {
  return new Promise(resolve => {
    /** @type {Buffer[]} */
    const chunks = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

/** @param {http.IncomingMessage} req @param {string} text @param {string} token @returns {ArgoRequest} */
function logEntry(req, text, token) {
  const url = new URL(req.url ?? '/', 'http://double')
  const { authorization, ...headers } = req.headers
  const auth =
    authorization === undefined
      ? 'missing'
      : authorization === `Bearer ${token}`
        ? 'valid'
        : 'invalid'
  return {
    method: req.method ?? '',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    auth,
    body: parseBody(text),
    status: 0
  }
}

/** @param {string} text */
function parseBody(text) {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * @typedef {{ status: number, contentType: string, text: string }} Answer
 */

/** @param {number} status @param {number} code @param {string} message @returns {Answer} */
function grpcError(status, code, message) {
  return {
    status,
    contentType: 'application/json',
    text: JSON.stringify({ error: message, code, message })
  }
}

/** @param {unknown} body @returns {Answer} */
function ok(body) {
  return { status: 200, contentType: 'application/json', text: JSON.stringify(body) }
}

const APP_PATH = /^\/api\/v1\/applications\/([^/]+)(\/sync)?$/

/**
 * @param {ArgoRequest} request
 * @param {Map<string, AppState>} apps
 * @param {{ seconds: number }} clock
 * @returns {Answer}
 */
function route(request, apps, clock) {
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase()
  if (request.method !== 'GET' && contentType !== 'application/json') {
    return { status: 415, contentType: 'text/plain; charset=utf-8', text: 'Invalid content type\n' }
  }
  if (request.auth === 'missing') return grpcError(401, 16, 'no session information')
  if (request.auth === 'invalid')
    return grpcError(401, 16, 'invalid session: token signature is invalid')
  const match = APP_PATH.exec(request.path)
  if (!match) return grpcError(404, 5, 'Not Found')
  const name = decodeURIComponent(match[1])
  if (match[2] && request.method === 'POST') return sync(request, name, apps, clock)
  if (!match[2] && request.method === 'GET') return read(request, name, apps)
  return grpcError(404, 5, 'Not Found')
}

/** @param {string} name @param {unknown} namespace */
function keyOf(name, namespace) {
  return typeof namespace === 'string' && namespace !== '' && namespace !== CONTROL_PLANE_NAMESPACE
    ? `${namespace}/${name}`
    : name
}

/**
 * @param {ArgoRequest} request @param {string} name @param {Map<string, AppState>} apps
 * @param {{ seconds: number }} clock @returns {Answer}
 */
function sync(request, name, apps, clock) {
  const body = request.body
  if (typeof body !== 'object' || body === null)
    return grpcError(400, 3, 'invalid character in request body')
  const fields = /** @type {{ revision?: unknown, appNamespace?: unknown }} */ (body)
  const key = keyOf(name, fields.appNamespace)
  const state = apps.get(key)
  if (!state) return grpcError(403, 7, 'permission denied')
  state.syncRequests += 1
  const busy =
    state.options.scenario === 'operation-in-progress' ? (state.options.busySyncs ?? 2) : 0
  if (state.syncRequests <= busy)
    return grpcError(400, 9, 'another operation is already in progress')
  const revision = typeof fields.revision === 'string' && fields.revision ? fields.revision : 'HEAD'
  const before = application(key, previousStatus(state.options))
  clock.seconds += 60
  state.sync = { revision, startedAt: clock.seconds, reads: 0, failedReads: 0, refreshed: false }
  return ok({
    ...before,
    operation: { sync: { revision, prune: false }, initiatedBy: { username: 'ci' } }
  })
}

/** @param {ArgoRequest} request @param {string} name @param {Map<string, AppState>} apps @returns {Answer} */
function read(request, name, apps) {
  const key = keyOf(name, request.query.appNamespace)
  const state = apps.get(key)
  if (!state) return grpcError(403, 7, 'permission denied')
  const sync = state.sync
  if (!sync) return ok(application(key, previousStatus(state.options)))
  if (sync.failedReads < (state.options.flakyReads ?? 0)) {
    sync.failedReads += 1
    return {
      status: 502,
      contentType: 'text/html',
      text: '<html><body><h1>502 Bad Gateway</h1></body></html>\n'
    }
  }
  if (request.query.refresh !== undefined) sync.refreshed = true
  sync.reads += 1
  return ok(application(key, statusAfterSync(state.options, sync, key)))
}

/** Seconds on the double's clock as an RFC 3339 time, as Kubernetes writes them. */
function at(/** @type {number} */ seconds) {
  return new Date(Date.UTC(2024, 4, 1, 10, 0, seconds)).toISOString().replace('.000Z', 'Z')
}

/** @param {string} key @param {object} status */
function application(key, status) {
  const [namespace, name] = key.includes('/') ? key.split('/') : [CONTROL_PLANE_NAMESPACE, key]
  return {
    metadata: { name, namespace },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://github.com/acme/deploy',
        path: `apps/${name}`,
        targetRevision: 'main'
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'prod' }
    },
    status
  }
}

/** @param {ArgoScenarioOptions} options */
function previousStatus(options) {
  const phase = options.previousPhase ?? 'Succeeded'
  return {
    sync: { status: 'Synced', revision: PREVIOUS_REVISION },
    health: { status: 'Healthy' },
    operationState: {
      operation: { sync: { revision: PREVIOUS_REVISION } },
      phase,
      message:
        phase === 'Succeeded'
          ? 'successfully synced (all tasks run)'
          : 'one or more objects failed to apply',
      startedAt: at(-600),
      finishedAt: at(-590),
      syncResult: { revision: PREVIOUS_REVISION, resources: [] }
    },
    reconciledAt: at(-580)
  }
}

/**
 * First read: the previous status (cache lag). Second: the operation Running. Then the
 * scenario's result ("never-syncs" stays at the first).
 * @param {ArgoScenarioOptions} options @param {SyncState} sync @param {string} key
 */
function statusAfterSync(options, sync, key) {
  if (sync.reads === 1 || options.scenario === 'never-syncs') return previousStatus(options)
  const name = key.split('/').pop() ?? key
  if (sync.reads === 2) return running(sync, name)
  if (options.scenario === 'degraded') return degraded(sync, name)
  if (options.scenario === 'sync-failed') return syncFailed(sync, name)
  return healthy(sync, name, options.reconcileOnRefresh === true && !sync.refreshed)
}

/** @param {SyncState} sync @param {string} name */
function running(sync, name) {
  return {
    sync: { status: 'OutOfSync', revision: sync.revision },
    health: { status: 'Progressing' },
    operationState: {
      operation: { sync: { revision: sync.revision } },
      phase: 'Running',
      message: `waiting for healthy state of apps/Deployment/${name}`,
      startedAt: at(sync.startedAt)
    },
    reconciledAt: at(sync.startedAt - 30)
  }
}

/** @param {SyncState} sync @param {string} phase @param {string} message @param {object[]} resources */
function finished(sync, phase, message, resources) {
  return {
    operation: { sync: { revision: sync.revision } },
    phase,
    message,
    startedAt: at(sync.startedAt),
    finishedAt: at(sync.startedAt + 20),
    syncResult: { revision: sync.revision, resources }
  }
}

/** @param {string} name */
function appliedResources(name) {
  return [
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'prod',
      name,
      status: 'Synced',
      message: `deployment.apps/${name} configured`,
      syncPhase: 'Sync'
    },
    {
      group: '',
      version: 'v1',
      kind: 'Service',
      namespace: 'prod',
      name,
      status: 'Synced',
      message: `service/${name} unchanged`,
      syncPhase: 'Sync'
    }
  ]
}

/** @param {SyncState} sync @param {string} name @param {boolean} stale */
function healthy(sync, name, stale) {
  const operationState = finished(
    sync,
    'Succeeded',
    'successfully synced (all tasks run)',
    appliedResources(name)
  )
  if (stale) {
    return {
      sync: { status: 'Synced', revision: sync.revision },
      health: { status: 'Progressing' },
      operationState,
      reconciledAt: at(sync.startedAt + 10)
    }
  }
  return {
    sync: { status: 'Synced', revision: sync.revision },
    health: { status: 'Healthy' },
    operationState,
    reconciledAt: at(sync.startedAt + 25)
  }
}

/** @param {SyncState} sync @param {string} name */
function degraded(sync, name) {
  return {
    sync: { status: 'Synced', revision: sync.revision },
    health: { status: 'Degraded' },
    operationState: finished(
      sync,
      'Succeeded',
      'successfully synced (all tasks run)',
      appliedResources(name)
    ),
    reconciledAt: at(sync.startedAt + 25),
    resources: [
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'prod',
        name,
        status: 'Synced',
        health: {
          status: 'Degraded',
          message: `Deployment "${name}" exceeded its progress deadline`
        }
      },
      {
        version: 'v1',
        kind: 'Service',
        namespace: 'prod',
        name,
        status: 'Synced',
        health: { status: 'Healthy' }
      }
    ]
  }
}

/** @param {SyncState} sync @param {string} name */
function syncFailed(sync, name) {
  const invalid = `Deployment.apps "${name}" is invalid: spec.template.spec.containers[0].image: Required value`
  const resources = [
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'prod',
      name,
      status: 'SyncFailed',
      message: invalid,
      syncPhase: 'Sync'
    },
    {
      version: 'v1',
      kind: 'ConfigMap',
      namespace: 'prod',
      name: `${name}-config`,
      status: 'Synced',
      message: `configmap/${name}-config configured`,
      syncPhase: 'Sync'
    },
    {
      group: 'batch',
      version: 'v1',
      kind: 'Job',
      namespace: 'prod',
      name: 'db-migrate',
      status: 'Synced',
      hookType: 'PreSync',
      hookPhase: 'Failed',
      message: 'Job has reached the specified backoff limit',
      syncPhase: 'PreSync'
    },
    {
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'ClusterRole',
      name: `${name}-reader`,
      status: 'Pruned',
      message: 'pruned',
      syncPhase: 'Sync'
    }
  ]
  return {
    sync: { status: 'OutOfSync', revision: sync.revision },
    health: { status: 'Healthy' },
    operationState: finished(
      sync,
      'Failed',
      `one or more objects failed to apply, reason: ${invalid}`,
      resources
    ),
    reconciledAt: at(sync.startedAt + 25)
  }
}
