/** Types for argocd-double.mjs (hand-written; keep in step with its JSDoc). */

export declare const PREVIOUS_REVISION: string
export declare const CONTROL_PLANE_NAMESPACE: string
export declare const SCENARIOS: readonly ArgoScenarioName[]
export declare const TEST_CERTIFICATE: string

export type ArgoScenarioName =
  'healthy' | 'degraded' | 'sync-failed' | 'never-syncs' | 'operation-in-progress'

export interface ArgoScenarioOptions {
  scenario: ArgoScenarioName
  /** operation-in-progress: sync requests refused before one is accepted (default 2). */
  busySyncs?: number
  /** Phase of the operation before the test's sync (default Succeeded). */
  previousPhase?: 'Succeeded' | 'Failed'
  /** After the operation, `reconciledAt` < `finishedAt` until a GET carries `?refresh=`. */
  reconcileOnRefresh?: boolean
  /** The first N reads after the sync get 502 Bad Gateway (plain text, as from an ingress). */
  flakyReads?: number
}

export type ArgoScenario = ArgoScenarioName | ArgoScenarioOptions

export interface ArgoRequest {
  method: string
  /** Pathname without the query. */
  path: string
  query: Record<string, string>
  /** As received (lower-case names), minus authorization. */
  headers: Record<string, string | string[] | undefined>
  auth: 'valid' | 'invalid' | 'missing'
  /** Parsed JSON; the raw text when not JSON; undefined when empty. */
  body: unknown
  /** The status the double answered. */
  status: number
}

export interface ArgoDoubleOptions {
  /** Keyed `name` or `namespace/name`. */
  apps: Record<string, ArgoScenario>
  /** The only Bearer token accepted. */
  token: string
  /** Serve HTTPS with TEST_CERTIFICATE (default false). */
  tls?: boolean
}

export interface ArgoDouble {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string
  /** Every request, in arrival order. */
  readonly log: ArgoRequest[]
  /** Add or reset an application. */
  setApp(key: string, scenario: ArgoScenario): void
  close(): Promise<void>
}

export declare function startArgoDouble(options: ArgoDoubleOptions): Promise<ArgoDouble>
