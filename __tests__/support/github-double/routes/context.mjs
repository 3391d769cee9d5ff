/**
 * What a route handler receives and returns, and the helpers several routes share
 * (resolving refs, branch protection verdicts, body field checks).
 */
import { ApiError, PROTECTED_BRANCH_DOCS, invalidRequest, notFound } from '../errors.mjs'

/** @typedef {import('../state.mjs').DoubleState} DoubleState */
/** @typedef {import('../state.mjs').Level} Level */
/** @typedef {import('../repo.mjs').Repo} Repo */
/** @typedef {import('../render.mjs').Urls} Urls */
/**
 * @typedef {object} Ctx
 * @property {string} method
 * @property {string} path decoded path, without the /api/v3 prefix
 * @property {Record<string, string>} query
 * @property {any} body parsed JSON body (undefined when none)
 * @property {string | undefined} token
 * @property {string} accept
 * @property {Urls} urls
 * @property {Record<string, string>} params
 * @property {DoubleState} state
 * @property {Repo} repo the repository of a /repos/{owner}/{repo} route
 * @property {Level} level the token's permission on `repo`
 */
/**
 * @typedef {{ status: number, json?: unknown, raw?: Buffer, contentType?: string, headers?: Record<string, string> }} Reply
 */
/**
 * @typedef {object} Route
 * @property {string} method
 * @property {string} pattern `{x}` matches one segment, `{+x}` the rest of the path (slashes kept)
 * @property {'read' | 'write' | 'self'} access 'self': the handler authorises (GraphQL)
 * @property {(ctx: Ctx) => Reply} handler
 */

/** @param {unknown} json @param {number} [status] @returns {Reply} */
export const ok = (json, status = 200) => ({ status, json })

/** A commit-ish from a request, or the 404/422 GitHub answers. @param {Repo} repo @param {string} ref @param {() => ApiError} [missing] */
export function resolveOr(repo, ref, missing = () => notFound()) {
  const sha = repo.resolve(ref)
  if (sha === undefined) throw missing()
  return sha
}

/**
 * What branch protection says to a direct write of `branch`, or undefined when allowed.
 * Messages are GitHub's protected-branch texts (see the README of the double).
 * @param {Repo} repo @param {string} branch
 */
export function protectionReasons(repo, branch) {
  const protection = repo.protectionOf(branch)
  if (!protection) return undefined
  const reasons = []
  const checks = protection.requiredStatusChecks
  if (checks.length === 1) reasons.push(`Required status check "${checks[0]}" is expected.`)
  if (checks.length > 1)
    reasons.push(`${checks.length} of ${checks.length} required status checks are expected.`)
  if (protection.requirePullRequest) reasons.push('Changes must be made through a pull request.')
  return reasons.length > 0 ? reasons.join(' ') : undefined
}

/** The error a protected branch answers to a direct write. @param {number} status @param {string} message */
export function protectedBranch(status, message) {
  return new ApiError(status, message, { documentationUrl: PROTECTED_BRANCH_DOCS })
}

/** @param {any} body @param {string} field */
export function requireString(body, field) {
  const value = body?.[field]
  if (typeof value !== 'string') throw invalidRequest(field)
  return value
}

/** Decode base64 as GitHub does: whitespace ignored, anything else outside the alphabet refused. @param {string} text @param {string} field */
export function decodeBase64(text, field) {
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new ApiError(422, `${field} is not valid Base64`)
  }
  return Buffer.from(compact, 'base64')
}

/**
 * `author`/`committer` of a write body: absent, or an object with name and email (GitHub
 * answers 422 when either is missing).
 * @param {any} body
 * @returns {{ author?: { name: string, email: string, date?: string }, committer?: { name: string, email: string, date?: string } }}
 */
export function identities(body) {
  /** @type {Record<string, any>} */
  const found = {}
  for (const role of ['author', 'committer']) {
    const value = body?.[role]
    if (value === undefined || value === null) continue
    for (const field of ['name', 'email']) {
      if (typeof value[field] !== 'string' || value[field] === '')
        throw invalidRequest(`${role}.${field}`)
    }
    found[role] = {
      name: value.name,
      email: value.email,
      ...(typeof value.date === 'string' ? { date: value.date } : {})
    }
  }
  return found
}
