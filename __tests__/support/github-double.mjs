/**
 * A stateful GitHub REST API double on 127.0.0.1: real git objects and SHAs, the contents,
 * git data, pulls and issues endpoints the action calls, GitHub's status codes and message
 * texts, a request log, fault injection and a hook to race a write.
 * Plain ESM with JSDoc so Jest tests, bench/ scripts and scripts/demo.mjs can import it;
 * types for TypeScript are in github-double.d.mts. Behaviour notes: github-double/README.md.
 */
import { DoubleState } from './github-double/state.mjs'
import { RequestLog } from './github-double/request-log.mjs'
import { Faults } from './github-double/faults.mjs'
import { ROUTES, templateOf } from './github-double/router.mjs'
import { Sleeper, createPipeline, listen } from './github-double/server.mjs'
import { hashObject } from './github-double/git-objects.mjs'
import { INLINE_LIMIT } from './github-double/routes/contents.mjs'

/** @typedef {import('./github-double/server.mjs').WriteHook} WriteHook */

/** Every route the double serves, as (method, OpenAPI path template). */
export const SERVED_ROUTES = Object.freeze(
  ROUTES.map(route => ({ method: route.method, template: templateOf(route.pattern) }))
)

export { hashObject, INLINE_LIMIT }
export { isWrite } from './github-double/request-log.mjs'

/**
 * Start a double. Close it with `close()` (ends every socket).
 * @param {{ latencyMs?: number, tokens?: Record<string, Record<string, import('./github-double/state.mjs').Level>>, rateLimit?: number, serverUrl?: string, now?: () => Date }} [options]
 */
export async function startGitHubDouble(options = {}) {
  const state = new DoubleState({ now: options.now, tokens: options.tokens })
  const log = new RequestLog()
  const faults = new Faults()
  /** @type {{ fn: WriteHook, remaining: number }[]} */
  const hooks = []
  const sleeper = new Sleeper()
  let port = 0
  const handle = createPipeline(
    {
      state,
      log,
      faults,
      hooks,
      latencyMs: options.latencyMs ?? 0,
      rateLimit: options.rateLimit,
      serverUrl: options.serverUrl ?? 'https://github.com'
    },
    sleeper,
    () => port
  )
  const server = await listen(handle, sleeper)
  port = server.port
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    ghesUrl: `${url}/api/v3`,
    port,
    state,
    log,
    faults,
    /**
     * Run `fn` before each write request (any method but GET) is handled, after auth; at most
     * `times` times (default: until removed). Returns a function that removes it.
     * @param {WriteHook} fn @param {{ times?: number }} [opts]
     */
    onBeforeWrite(fn, opts = {}) {
      const hook = { fn, remaining: opts.times ?? Number.POSITIVE_INFINITY }
      hooks.push(hook)
      return () => {
        hook.remaining = 0
        const at = hooks.indexOf(hook)
        if (at >= 0) hooks.splice(at, 1)
      }
    },
    close: server.close
  }
}
