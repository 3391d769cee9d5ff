/**
 * Argo CD application references as users write them: `name`, or `namespace/name` for an
 * application outside the control-plane namespace ("apps in any namespace"). Pure.
 */

export interface AppRef {
  readonly name: string
  /** Only when written; Argo CD then looks the application up in that namespace. */
  readonly namespace?: string
}

// Kubernetes object names: an application name is a DNS-1123 subdomain, a namespace a label.
const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?'
const SUBDOMAIN = `${LABEL}(?:\\.${LABEL})*`
const APP_PATTERN = new RegExp(`^(?:(${LABEL})/)?(${SUBDOMAIN})$`)
const MAX_NAMESPACE = 63
const MAX_NAME = 253

/** The reference, or undefined when `text` is not `name` / `namespace/name` (DNS-1123). */
export function parseAppRef(text: string): AppRef | undefined {
  const match = APP_PATTERN.exec(text)
  if (!match) return undefined
  const [, namespace, name] = match
  if (name.length > MAX_NAME) return undefined
  if (namespace === undefined) return { name }
  return namespace.length > MAX_NAMESPACE ? undefined : { name, namespace }
}

/** `name` or `namespace/name`, as the user wrote it. */
export function formatAppRef(ref: AppRef): string {
  return ref.namespace === undefined ? ref.name : `${ref.namespace}/${ref.name}`
}
