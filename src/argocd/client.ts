/**
 * The two Argo CD API calls the phase makes: request a sync of an application to a
 * revision, and read the application. Every failure leaves here as a classified
 * HandoffError with the token redacted; "another operation is already in progress" is an
 * answer (`busy`), not an error.
 */

import { HandoffError } from '../errors.js'
import { parseAppRef, type AppRef } from './app-ref.js'
import {
  classify,
  isOperationInProgress,
  notJson,
  serverMessage,
  unreachable,
  type Context
} from './api-errors.js'
import type { Application } from './application.js'
import { send, type HttpResponse } from './http.js'
import type { Logger } from './logger.js'
import type { ArgoSettings } from './settings.js'

export type SyncAnswer =
  | { readonly kind: 'started'; readonly app: Application }
  | { readonly kind: 'busy'; readonly message: string }

export interface ArgoApi {
  sync(app: string, revision: string): Promise<SyncAnswer>
  /** `refresh` asks Argo CD to reconcile the application before answering. */
  get(app: string, refresh: boolean): Promise<Application>
}

export type ClientSettings = Pick<ArgoSettings, 'server' | 'token' | 'insecure'>

export const REQUEST_TIMEOUT_MS = 30_000

export function createArgoClient(
  settings: ClientSettings,
  log: Logger,
  requestTimeoutMs = REQUEST_TIMEOUT_MS
): ArgoApi {
  const call = async (method: 'GET' | 'POST', url: URL, context: Context, body?: object) => {
    const started = Date.now()
    const response = await exchange(settings, method, url, context, requestTimeoutMs, body)
    log.debug(
      `Argo CD ${method} ${url.pathname}${url.search} → ${response.status} (${Date.now() - started} ms)`
    )
    return response
  }
  return {
    async sync(app, revision) {
      const ref = appRef(app)
      const context = { server: settings.server, app, doing: 'syncing' }
      // grpc-gateway reads a POST's fields from the body only (body: "*"); the query
      // parameter is kept for proxies and logs that key on it.
      const payload = {
        revision,
        prune: false,
        ...(ref.namespace ? { appNamespace: ref.namespace } : {})
      }
      const response = await call('POST', appUrl(settings.server, ref, '/sync'), context, payload)
      if (isOperationInProgress(response)) return { kind: 'busy', message: serverMessage(response) }
      return { kind: 'started', app: parseApplication(response, context, settings.token) }
    },
    async get(app, refresh) {
      const context = { server: settings.server, app, doing: 'reading' }
      const url = appUrl(settings.server, appRef(app), '')
      if (refresh) url.searchParams.set('refresh', 'normal')
      return parseApplication(await call('GET', url, context), context, settings.token)
    }
  }
}

async function exchange(
  settings: ClientSettings,
  method: 'GET' | 'POST',
  url: URL,
  context: Context,
  timeoutMs: number,
  body?: object
): Promise<HttpResponse> {
  // Exactly these headers: Argo CD compares Content-Type to "application/json" verbatim.
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Authorization: `Bearer ${settings.token}`,
    ...(body ? { 'Content-Type': 'application/json' } : {})
  }
  const request = { method, url, headers, insecure: settings.insecure, timeoutMs }
  try {
    return await send(body ? { ...request, body: JSON.stringify(body) } : request)
  } catch (cause) {
    throw redact(unreachable(cause, context), settings.token)
  }
}

function parseApplication(response: HttpResponse, context: Context, token: string): Application {
  if (response.status < 200 || response.status > 299) {
    throw redact(classify(response, context), token)
  }
  try {
    const parsed: unknown = JSON.parse(response.text)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed
  } catch {
    // fall through: not JSON
  }
  throw redact(notJson(response, context), token)
}

function appRef(app: string): AppRef {
  const ref = parseAppRef(app)
  if (ref === undefined) {
    // Settings validate names; reaching here means a caller bypassed them.
    throw new HandoffError('INTERNAL', `Not an Argo CD application name: ${JSON.stringify(app)}`)
  }
  return ref
}

function appUrl(server: string, ref: AppRef, suffix: string): URL {
  const url = new URL(`${server}/api/v1/applications/${encodeURIComponent(ref.name)}${suffix}`)
  if (ref.namespace) url.searchParams.set('appNamespace', ref.namespace)
  return url
}

/** The same error with every occurrence of the token masked: a server may echo it. */
export function redact(error: HandoffError, token: string): HandoffError {
  if (token === '') return error
  const mask = (text: string | undefined) => text?.split(token).join('***')
  if (!error.message.includes(token) && !error.hint?.includes(token)) return error
  return new HandoffError(error.code, mask(error.message)!, {
    hint: mask(error.hint),
    input: error.input,
    status: error.status
  })
}
