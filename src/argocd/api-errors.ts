/**
 * Argo CD's HTTP answers turned into HandoffErrors. Argo CD's API is gRPC behind
 * grpc-gateway: errors are JSON `{"error", "code", "message"}` with gRPC codes, except the
 * content-type guard in front of it, which answers plain text. Classified once, here.
 */

import { HandoffError } from '../errors.js'
import { ArgoInput } from './settings.js'

export interface Failure {
  readonly status: number
  readonly contentType: string
  readonly text: string
}

/** What the request was doing, for messages: "syncing" / "reading". */
export interface Context {
  readonly server: string
  readonly app: string
  readonly doing: string
}

const BUSY = /another operation is already in progress/i
const MAX_SHOWN = 300

/** Argo CD's own words from an error body (JSON `message`/`error`, else the text). */
export function serverMessage(failure: Pick<Failure, 'text'>): string {
  const shown = jsonMessage(failure.text) ?? withoutMarkup(failure.text.trim())
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN)}…` : shown
}

function jsonMessage(text: string): string | undefined {
  try {
    const { message, error } = JSON.parse(text) as { message?: unknown; error?: unknown }
    if (typeof message === 'string' && message !== '') return message
    if (typeof error === 'string' && error !== '') return error
  } catch {
    // not JSON: a proxy or the content-type guard answered
  }
  return undefined
}

/** A proxy's HTML error page: keep its words, drop the markup. */
function withoutMarkup(text: string): string {
  if (!text.startsWith('<')) return text
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** 400 "another operation is already in progress": wait and retry, not a failure. */
export function isOperationInProgress(failure: Failure): boolean {
  return failure.status === 400 && BUSY.test(serverMessage(failure))
}

export function classify(failure: Failure, context: Context): HandoffError {
  const said = serverMessage(failure)
  const status = failure.status
  const target = `"${context.app}"`
  switch (status) {
    case 401:
      return new HandoffError(
        'ARGOCD_AUTH',
        `Argo CD at ${context.server} refused the token (HTTP 401: ${said}) when ${context.doing} ${target}.`,
        {
          status,
          input: ArgoInput.token,
          hint:
            `${ArgoInput.token} is expired, revoked or wrong: Argo CD says "no session information" ` +
            'without a token and "invalid session" for a bad one. Generate a new one ' +
            '(argocd account generate-token --account <ci-account>) and store it as a secret.'
        }
      )
    case 403:
    case 404:
      return new HandoffError(
        'ARGOCD_NOT_FOUND',
        `Argo CD application ${target} does not exist or the token may not ${context.doing === 'syncing' ? 'sync' : 'see'} it (HTTP ${status}: ${said}).`,
        {
          status,
          input: ArgoInput.app,
          hint:
            'Check the application name (namespace/name for one outside the Argo CD namespace), ' +
            'its project, and the RBAC of the token\'s account: it needs "applications, get" and ' +
            '"applications, sync" on <project>/<application>. Argo CD answers 403 "permission ' +
            'denied" both for a missing application and for one the token may not see.'
        }
      )
    case 415:
      return new HandoffError(
        'ARGOCD_ERROR',
        `Argo CD at ${context.server} refused the Content-Type (HTTP 415: ${said}) when ${context.doing} ${target}.`,
        {
          status,
          hint:
            'Argo CD accepts exactly "application/json" (ARGOCD_API_CONTENT_TYPES); a proxy in ' +
            'front of it may be rewriting the header.'
        }
      )
    default:
      return new HandoffError(
        'ARGOCD_ERROR',
        `Argo CD at ${context.server} answered HTTP ${status} when ${context.doing} ${target}: ${said}`,
        { status, hint: status >= 500 ? SERVER_HINT : REFUSED_HINT }
      )
  }
}

const SERVER_HINT =
  'Argo CD or a proxy in front of it failed; check the argocd-server logs and run the job again.'
const REFUSED_HINT =
  'Argo CD refused the request; its message says why (for example a sync window that blocks syncs).'

/** A 2xx answer that is not the JSON Argo CD sends: usually a UI page or an SSO login page. */
export function notJson(response: Failure, context: Context): HandoffError {
  return new HandoffError(
    'ARGOCD_ERROR',
    `Argo CD at ${context.server} answered ${context.doing} "${context.app}" with something that is ` +
      `not JSON (HTTP ${response.status}, content-type ${JSON.stringify(response.contentType)}).`,
    {
      status: response.status,
      input: ArgoInput.server,
      hint: `${ArgoInput.server} must be the Argo CD base URL (the one the UI is served at), reachable without an SSO proxy login.`
    }
  )
}

// Node's codes for certificates the runner does not trust.
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

export function unreachable(cause: unknown, context: Context): HandoffError {
  // Duck-typed: errors from node:http may come from another realm (VM contexts, bundles).
  const { message, code } = (typeof cause === 'object' && cause !== null ? cause : {}) as {
    message?: unknown
    code?: unknown
  }
  const said = typeof message === 'string' ? message : String(cause)
  const tls = typeof code === 'string' && TLS_CODES.has(code)
  return new HandoffError(
    'ARGOCD_ERROR',
    `Could not reach Argo CD at ${context.server} when ${context.doing} "${context.app}": ${said}`,
    {
      input: ArgoInput.server,
      hint: tls
        ? `The server's TLS certificate is not trusted: add its CA with NODE_EXTRA_CA_CERTS, or set ${ArgoInput.insecure}: true to skip verification (only for a private network).`
        : `Check ${ArgoInput.server} and that the runner can reach it (a private cluster needs a self-hosted runner).`
    }
  )
}
