/**
 * Route matching on raw path segments. Each segment is percent-decoded on its own, so a
 * parameter may arrive with `/` encoded as `%2F` (as Octokit sends `{path}` and `{ref}`) or
 * literally (greedy `{+x}` parameters) and means the same.
 */
import { repoRoutes } from './routes/repos.mjs'
import { gitRoutes } from './routes/git.mjs'
import { contentRoutes } from './routes/contents.mjs'
import { pullRoutes } from './routes/pulls.mjs'
import { graphqlRoutes } from './routes/graphql.mjs'

/** @typedef {import('./routes/context.mjs').Route} Route */
/** @typedef {{ route: Route, params: Record<string, string>, template: string }} Match */

/** Every route the double serves. */
export const ROUTES = Object.freeze([
  ...repoRoutes,
  ...gitRoutes,
  ...contentRoutes,
  ...pullRoutes,
  ...graphqlRoutes
])

/** The OpenAPI path template of a pattern (`{+path}` → `{path}`). @param {string} pattern */
export function templateOf(pattern) {
  return pattern.replace(/\{\+/g, '{')
}

/** @param {string} segment */
function decode(segment) {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/**
 * @param {string} pattern @param {string[]} raw raw path segments
 * @returns {Record<string, string> | undefined}
 */
function matchPattern(pattern, raw) {
  const parts = pattern.split('/').slice(1)
  /** @type {Record<string, string>} */
  const params = {}
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]
    if (part.startsWith('{+')) {
      const rest = raw.slice(i).map(decode)
      if (rest.some(s => s === undefined)) return undefined
      params[part.slice(2, -1)] = rest.join('/')
      return params
    }
    if (i >= raw.length) return undefined
    const value = decode(raw[i])
    if (value === undefined) return undefined
    if (part.startsWith('{')) {
      if (value === '') return undefined
      params[part.slice(1, -1)] = value
    } else if (value !== part) return undefined
  }
  return raw.length === parts.length ? params : undefined
}

/**
 * The route for `method` and raw `pathname` (GHES prefix already removed).
 * @param {string} method @param {string} pathname
 * @returns {Match | undefined}
 */
export function matchRoute(method, pathname) {
  const raw = pathname.split('/').slice(1)
  for (const route of ROUTES) {
    if (route.method !== method) continue
    const params = matchPattern(route.pattern, raw)
    if (params) return { route, params, template: templateOf(route.pattern) }
  }
  return undefined
}
