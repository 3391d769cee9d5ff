/**
 * Every request the double answered (or dropped), for tests that assert on traffic:
 * which writes happened, how many reads a run cost.
 */

/**
 * @typedef {object} LogEntry
 * @property {string} method
 * @property {string} path decoded path without the GHES `/api/v3` prefix
 * @property {string} prefix '' or '/api/v3' (or '/api' for GHES GraphQL)
 * @property {Record<string, string>} query
 * @property {string | undefined} route OpenAPI path template of the matched route
 * @property {number} status 0 when the socket was dropped by a fault
 * @property {unknown} [body] parsed JSON request body
 * @property {number} at ms since the epoch when the request arrived
 * @property {boolean} faulted whether an injected fault answered it
 */
/**
 * @typedef {{ method?: string, path?: string | RegExp, route?: string, status?: number } | ((entry: LogEntry) => boolean)} LogFilter
 */

/** @param {LogEntry} entry @param {LogFilter} filter */
function matches(entry, filter) {
  if (typeof filter === 'function') return filter(entry)
  if (filter.method !== undefined && filter.method.toUpperCase() !== entry.method) return false
  if (filter.status !== undefined && filter.status !== entry.status) return false
  if (filter.route !== undefined && filter.route !== entry.route) return false
  if (filter.path instanceof RegExp) return filter.path.test(entry.path)
  return filter.path === undefined || filter.path === entry.path
}

/** A POST /graphql whose operation is a query (a read), not a mutation. @param {LogEntry} entry */
export function isGraphQLQuery(entry) {
  const query = /** @type {{ query?: unknown } | undefined} */ (entry.body)?.query
  return entry.route === '/graphql' && typeof query === 'string' && !/^\s*mutation\b/.test(query)
}

/** A request that can change something: not GET/HEAD, not a GraphQL query. @param {LogEntry} entry */
export function isWrite(entry) {
  return entry.method !== 'GET' && entry.method !== 'HEAD' && !isGraphQLQuery(entry)
}

export class RequestLog {
  constructor() {
    /** @type {LogEntry[]} */
    this.entries = []
  }

  /** @param {LogEntry} entry */
  add(entry) {
    this.entries.push(entry)
  }

  /** Requests that can change something, in arrival order. */
  writes() {
    return this.entries.filter(isWrite)
  }

  /** @param {LogFilter} [filter] */
  count(filter = {}) {
    return this.filter(filter).length
  }

  /** @param {LogFilter} filter */
  filter(filter) {
    return this.entries.filter(entry => matches(entry, filter))
  }

  clear() {
    this.entries.length = 0
  }
}
