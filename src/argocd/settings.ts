/**
 * The `argocd-*` inputs: read as raw strings by the shell, validated here together into a
 * frozen ArgoSettings. All problems are returned at once, each naming its input. The token
 * is never quoted in a message.
 */

import { Inputs } from '../constants.js'
import { HandoffError, quote } from '../errors.js'
import { parseAppRef } from './app-ref.js'

export interface ArgoSettings {
  /** Base URL without a trailing slash; may carry a path prefix (`--rootpath`). */
  readonly server: string
  readonly token: string
  /** `name` or `namespace/name`, de-duplicated, in input order. */
  readonly apps: readonly string[]
  readonly wait: boolean
  readonly timeoutSeconds: number
  readonly insecure: boolean
}

/** Raw input values as the runner gives them (empty string when unset). */
export interface ArgoInputs {
  readonly server: string
  readonly token: string
  readonly app: string
  readonly wait: string
  readonly timeout: string
  readonly insecure: string
}

export const ArgoInput = {
  server: Inputs.ArgocdServer,
  token: Inputs.ArgocdToken,
  app: Inputs.ArgocdApp,
  wait: Inputs.ArgocdWait,
  timeout: Inputs.ArgocdTimeout,
  insecure: Inputs.ArgocdInsecure
} as const

export const ARGO_DEFAULTS = { wait: true, timeoutSeconds: 300, insecure: false } as const
export const MAX_TIMEOUT_SECONDS = 3600

export interface ArgoInputsResult {
  /** Undefined when the phase is off (no `argocd-server`) or when there are errors. */
  readonly settings?: ArgoSettings
  readonly errors: readonly HandoffError[]
}

export function parseArgoInputs(raw: ArgoInputs): ArgoInputsResult {
  const errors: HandoffError[] = []
  const collect = <T>(result: T | HandoffError): T | undefined => {
    if (result instanceof HandoffError) {
      errors.push(result)
      return undefined
    }
    return result
  }
  const wait = collect(parseBoolean(ArgoInput.wait, raw.wait, ARGO_DEFAULTS.wait))
  const insecure = collect(parseBoolean(ArgoInput.insecure, raw.insecure, ARGO_DEFAULTS.insecure))
  const timeoutSeconds = collect(parseTimeout(raw.timeout))
  const server = raw.server.trim()
  if (server === '') {
    if (raw.app.trim() !== '') errors.push(appWithoutServer(raw.app.trim()))
    return { errors }
  }
  const url = collect(parseServer(server))
  const token = collect(parseToken(raw.token))
  const apps = collect(parseApps(raw.app))
  if (errors.length > 0) return { errors }
  const settings = { server: url!, token: token!, apps: apps!, wait: wait!, insecure: insecure! }
  return { settings: Object.freeze({ ...settings, timeoutSeconds: timeoutSeconds! }), errors }
}

function invalid(input: string, message: string, hint: string): HandoffError {
  return new HandoffError('INVALID_INPUT', message, { input, hint })
}

function appWithoutServer(app: string): HandoffError {
  return invalid(
    ArgoInput.app,
    `${ArgoInput.app} is ${quote(app)} but ${ArgoInput.server} is empty.`,
    `Set ${ArgoInput.server} to the Argo CD URL (https://argocd.example.com), or remove ${ArgoInput.app}.`
  )
}

// The forms @actions/core's getBooleanInput accepts (YAML 1.2 core schema).
const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

function parseBoolean(input: string, raw: string, fallback: boolean): boolean | HandoffError {
  const value = raw.trim()
  if (value === '') return fallback
  if (TRUE.includes(value)) return true
  if (FALSE.includes(value)) return false
  return invalid(input, `${input} is ${quote(value)}, not a boolean.`, 'Use true or false.')
}

function parseTimeout(raw: string): number | HandoffError {
  const value = raw.trim()
  if (value === '') return ARGO_DEFAULTS.timeoutSeconds
  const seconds = /^\d{1,7}$/.test(value) ? Number(value) : NaN
  if (seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) return seconds
  return invalid(
    ArgoInput.timeout,
    `${ArgoInput.timeout} is ${quote(value)}, not a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}.`,
    `Give seconds without a unit, e.g. ${ARGO_DEFAULTS.timeoutSeconds}.`
  )
}

function parseServer(value: string): string | HandoffError {
  const fail = (why: string) =>
    invalid(
      ArgoInput.server,
      `${ArgoInput.server} is ${quote(value)}: ${why}.`,
      'Give the Argo CD base URL, e.g. https://argocd.example.com (or https://example.com/argocd when served under a path).'
    )
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return fail('not a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail('only http and https URLs are valid')
  if (url.username !== '' || url.password !== '') {
    return fail(`credentials in the URL are not allowed, put the token in ${ArgoInput.token}`)
  }
  if (url.search !== '' || url.hash !== '') return fail('a query or fragment is not allowed')
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function parseToken(raw: string): string | HandoffError {
  const token = raw.trim()
  if (token === '') {
    return invalid(
      ArgoInput.token,
      `${ArgoInput.token} is empty but ${ArgoInput.server} is set.`,
      'Pass an Argo CD API token from a secret, e.g. argocd-token: ${{ secrets.ARGOCD_TOKEN }}; an unset secret reads as empty.'
    )
  }
  // Printable ASCII only: the value goes into an HTTP header. Never echo it.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    return invalid(
      ArgoInput.token,
      `${ArgoInput.token} contains spaces, line breaks or non-ASCII characters (value not shown).`,
      'Pass the token exactly as `argocd account generate-token` printed it.'
    )
  }
  return token
}

function parseApps(raw: string): readonly string[] | HandoffError {
  const entries = raw
    .split(/[\n,]/)
    .map(entry => entry.trim())
    .filter(entry => entry !== '')
  if (entries.length === 0) {
    return invalid(
      ArgoInput.app,
      `${ArgoInput.app} is empty but ${ArgoInput.server} is set.`,
      'Name at least one Argo CD application: `name` or `namespace/name`, newline- or comma-separated.'
    )
  }
  const bad = entries.filter(entry => parseAppRef(entry) === undefined)
  if (bad.length > 0) {
    return invalid(
      ArgoInput.app,
      `${ArgoInput.app} has ${bad.map(quote).join(', ')}, not an Argo CD application name.`,
      'Each entry is `name` or `namespace/name`: lowercase letters, digits, "-" (and "." in the name), starting and ending with a letter or digit (DNS-1123).'
    )
  }
  return Object.freeze([...new Set(entries)])
}
