/**
 * Where the CLI's secrets come from (the environment, never the command line) and the promise
 * that they never reach its output: every line the CLI prints passes through `redact`, as the
 * runner masks a `core.setSecret` value.
 */
import { Inputs } from '../constants.js'

/** Environment variables that supply each secret input, in order of preference. */
export const SECRET_ENV = {
  [Inputs.Token]: ['GITHUB_TOKEN', 'GH_TOKEN'],
  // The variable the argocd CLI itself reads.
  [Inputs.ArgocdToken]: ['ARGOCD_AUTH_TOKEN']
} as const

export type SecretInput = keyof typeof SECRET_ENV

export type Secrets = Readonly<Record<SecretInput, string>>

export function secretsFromEnv(env: NodeJS.ProcessEnv): Secrets {
  const first = (names: readonly string[]) =>
    names.map(name => env[name]?.trim() ?? '').find(value => value !== '') ?? ''
  return {
    [Inputs.Token]: first(SECRET_ENV[Inputs.Token]),
    [Inputs.ArgocdToken]: first(SECRET_ENV[Inputs.ArgocdToken])
  }
}

/** Replaces every secret value in a text with `***`. */
export function redactor(secrets: Secrets): (text: string) => string {
  // A value under 4 characters is no real token, and masking it would garble every line.
  const values = Object.values(secrets).filter(value => value.length >= 4)
  return text => values.reduce((out, value) => out.split(value).join('***'), text)
}
