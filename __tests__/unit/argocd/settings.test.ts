import { describe, expect, it } from '@jest/globals'
import { parseArgoInputs, type ArgoInputs } from '../../../src/argocd/settings.js'

const TOKEN = 'argocd-token-value-never-shown'
const base: ArgoInputs = {
  server: 'https://argocd.example.com',
  token: TOKEN,
  app: 'api',
  wait: '',
  timeout: '',
  insecure: ''
}
const defaults = {
  server: 'https://argocd.example.com',
  token: TOKEN,
  apps: ['api'],
  wait: true,
  timeoutSeconds: 300,
  insecure: false
}

/** The result with errors reduced to what a user sees: input, message, hint presence. */
function parse(raw: Partial<ArgoInputs>) {
  const result = parseArgoInputs({ ...base, ...raw })
  return {
    settings: result.settings,
    errors: result.errors.map(e => ({
      code: e.code,
      input: e.input,
      message: e.message,
      hinted: !!e.hint
    }))
  }
}

const invalid = (input: string, message: string) => ({
  code: 'INVALID_INPUT',
  input,
  message,
  hinted: true
})

describe('parseArgoInputs', () => {
  it.each([
    { name: 'defaults', raw: {}, want: { settings: defaults, errors: [] } },
    {
      name: 'phase off without a server',
      raw: { server: '', token: '', app: '' },
      want: { settings: undefined, errors: [] }
    },
    {
      name: 'a token alone does not turn the phase on',
      raw: { server: '', app: '' },
      want: { settings: undefined, errors: [] }
    },
    {
      name: 'apps split on newlines and commas, trimmed, de-duplicated, namespaced kept',
      raw: { app: ' api ,\nteam-a/web\n\nworker.v2, api\n' },
      want: { settings: { ...defaults, apps: ['api', 'team-a/web', 'worker.v2'] }, errors: [] }
    },
    {
      name: 'server path prefix kept, trailing slashes dropped',
      raw: { server: 'http://127.0.0.1:8080/argocd//' },
      want: { settings: { ...defaults, server: 'http://127.0.0.1:8080/argocd' }, errors: [] }
    },
    {
      name: 'booleans and timeout',
      raw: { wait: 'false', insecure: 'True', timeout: ' 3600 ' },
      want: {
        settings: { ...defaults, wait: false, insecure: true, timeoutSeconds: 3600 },
        errors: []
      }
    },
    {
      name: 'app without server',
      raw: { server: '', app: 'api' },
      want: {
        settings: undefined,
        errors: [invalid('argocd-app', 'argocd-app is "api" but argocd-server is empty.')]
      }
    },
    {
      name: 'server not a URL',
      raw: { server: 'argocd.example.com' },
      want: {
        settings: undefined,
        errors: [invalid('argocd-server', 'argocd-server is "argocd.example.com": not a URL.')]
      }
    },
    {
      name: 'server with another scheme',
      raw: { server: 'grpc://argocd:443' },
      want: {
        settings: undefined,
        errors: [
          invalid(
            'argocd-server',
            'argocd-server is "grpc://argocd:443": only http and https URLs are valid.'
          )
        ]
      }
    },
    {
      name: 'server with credentials',
      raw: { server: 'https://admin:pw@argocd.example.com' },
      want: {
        settings: undefined,
        errors: [
          invalid(
            'argocd-server',
            'argocd-server is "https://admin:pw@argocd.example.com": credentials in the URL are not allowed, put the token in argocd-token.'
          )
        ]
      }
    },
    {
      name: 'server with a query',
      raw: { server: 'https://argocd.example.com/?grpc-web=true' },
      want: {
        settings: undefined,
        errors: [
          invalid(
            'argocd-server',
            'argocd-server is "https://argocd.example.com/?grpc-web=true": a query or fragment is not allowed.'
          )
        ]
      }
    },
    {
      name: 'token missing',
      raw: { token: '  ' },
      want: {
        settings: undefined,
        errors: [invalid('argocd-token', 'argocd-token is empty but argocd-server is set.')]
      }
    },
    {
      name: 'token with a line break is refused without being shown',
      raw: { token: 'abc\ndef' },
      want: {
        settings: undefined,
        errors: [
          invalid(
            'argocd-token',
            'argocd-token contains spaces, line breaks or non-ASCII characters (value not shown).'
          )
        ]
      }
    },
    {
      name: 'no app',
      raw: { app: ' ,\n' },
      want: {
        settings: undefined,
        errors: [invalid('argocd-app', 'argocd-app is empty but argocd-server is set.')]
      }
    },
    {
      name: 'bad app names, all quoted',
      raw: { app: 'Api, ok, a/b/c, -x, ns.with.dot/app, ' + 'n'.repeat(64) + '/app' },
      want: {
        settings: undefined,
        errors: [
          invalid(
            'argocd-app',
            `argocd-app has "Api", "a/b/c", "-x", "ns.with.dot/app", "${'n'.repeat(64)}/app", not an Argo CD application name.`
          )
        ]
      }
    },
    {
      name: 'timeout zero, negative, fractional, with unit, too large',
      raw: { timeout: '0' },
      want: {
        settings: undefined,
        errors: [
          invalid(
            'argocd-timeout',
            'argocd-timeout is "0", not a whole number of seconds from 1 to 3600.'
          )
        ]
      }
    },
    ...['-5', '1.5', '5m', '3601', '99999999999'].map(timeout => ({
      name: `timeout ${timeout}`,
      raw: { timeout },
      want: {
        settings: undefined,
        errors: [
          invalid(
            'argocd-timeout',
            `argocd-timeout is "${timeout}", not a whole number of seconds from 1 to 3600.`
          )
        ]
      }
    })),
    {
      name: 'every error at once, booleans checked even when the phase is off',
      raw: { server: '', app: 'api', wait: 'yes', insecure: '1', timeout: 'soon' },
      want: {
        settings: undefined,
        errors: [
          invalid('argocd-wait', 'argocd-wait is "yes", not a boolean.'),
          invalid('argocd-insecure', 'argocd-insecure is "1", not a boolean.'),
          invalid(
            'argocd-timeout',
            'argocd-timeout is "soon", not a whole number of seconds from 1 to 3600.'
          ),
          invalid('argocd-app', 'argocd-app is "api" but argocd-server is empty.')
        ]
      }
    }
  ])('$name', ({ raw, want }) => {
    expect(parse(raw)).toEqual(want)
  })

  it('freezes the settings', () => {
    expect(Object.isFrozen(parseArgoInputs(base).settings)).toBe(true)
  })
})
