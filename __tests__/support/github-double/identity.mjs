/**
 * Who a token is, and who GitHub writes into commits made with it. `ghs_` tokens are GitHub
 * App installation tokens (GITHUB_TOKEN is one): GitHub signs their commits as web-flow
 * when the request names no author or committer. Any other token acts as a user.
 */

/** @typedef {import('./git-objects.mjs').Signature} Signature */
/** @typedef {{ login: string, id: number, type: 'User' | 'Bot' }} Account */

export const ACTIONS_BOT = Object.freeze({
  login: 'github-actions[bot]',
  id: 41898282,
  type: /** @type {const} */ ('Bot')
})

export const USER = Object.freeze({
  login: 'octocat',
  id: 583231,
  type: /** @type {const} */ ('User')
})

const WEB_FLOW = Object.freeze({
  login: 'web-flow',
  id: 19864447,
  type: /** @type {const} */ ('User')
})

/** @param {string | undefined} token */
export function isInstallationToken(token) {
  return token !== undefined && token.startsWith('ghs_')
}

/** Personal tokens are the only ones the "Actions may not create pull requests" setting spares. @param {string | undefined} token */
export function isPersonalToken(token) {
  return token !== undefined && /^(ghp_|github_pat_|gho_|ghu_)/.test(token)
}

/** @param {string | undefined} token @returns {Account} */
export function accountOf(token) {
  return isInstallationToken(token) ? ACTIONS_BOT : USER
}

/**
 * Author, committer and verdict of a commit written through the API.
 * @param {string | undefined} token
 * @param {{ author?: Partial<Signature>, committer?: Partial<Signature> }} given
 * @param {string} now ISO date
 * @returns {{ author: Signature, committer: Signature, verified: boolean }}
 */
export function commitIdentity(token, given, now) {
  const explicit = given.author !== undefined || given.committer !== undefined
  if (!explicit && isInstallationToken(token)) {
    return {
      author: {
        name: ACTIONS_BOT.login,
        email: `${ACTIONS_BOT.id}+${ACTIONS_BOT.login}@users.noreply.github.com`,
        date: now
      },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: now },
      verified: true
    }
  }
  const user = {
    name: 'The Octocat',
    email: `${USER.id}+${USER.login}@users.noreply.github.com`,
    date: now
  }
  const committer = fill(given.committer ?? given.author, user, now)
  const author = fill(given.author ?? given.committer, user, now)
  return { author, committer, verified: false }
}

/** @param {Partial<Signature> | undefined} partial @param {Signature} fallback @param {string} now @returns {Signature} */
function fill(partial, fallback, now) {
  if (!partial) return fallback
  return {
    name: partial.name ?? fallback.name,
    email: partial.email ?? fallback.email,
    date: partial.date ?? now
  }
}

/** The GitHub account behind a commit e-mail, as the commits API links it (null when none). @param {string} email @returns {Account | null} */
export function accountOfEmail(email) {
  if (email === 'noreply@github.com') return WEB_FLOW
  if (email.endsWith(`+${ACTIONS_BOT.login}@users.noreply.github.com`)) return ACTIONS_BOT
  if (email.endsWith(`+${USER.login}@users.noreply.github.com`)) return USER
  return null
}

/** @param {string} login @returns {Account} */
export function accountOfLogin(login) {
  if (login === ACTIONS_BOT.login) return ACTIONS_BOT
  if (login === USER.login) return USER
  if (login === WEB_FLOW.login) return WEB_FLOW
  return { login, id: stableId(login), type: login.endsWith('[bot]') ? 'Bot' : 'User' }
}

/** A small positive integer derived from a string, for ids that must be stable per name. @param {string} text */
export function stableId(text) {
  let hash = 0
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 2_000_000_000
  return hash + 1000
}
