import { describe, expect, it } from '@jest/globals'
import { classify, isOperationInProgress, notJson } from '../../../src/argocd/api-errors.js'
import { redact } from '../../../src/argocd/client.js'
import { HandoffError } from '../../../src/errors.js'

const context = { server: 'https://argocd.example.com', app: 'api', doing: 'syncing' }
const grpc = (status: number, code: number, message: string) => ({
  status,
  contentType: 'application/json',
  text: JSON.stringify({ error: message, code, message })
})

describe('classify', () => {
  it.each([
    {
      name: '401 without a token',
      failure: grpc(401, 16, 'no session information'),
      want: {
        code: 'ARGOCD_AUTH',
        input: 'argocd-token',
        message:
          'Argo CD at https://argocd.example.com refused the token (HTTP 401: no session information) when syncing "api".'
      }
    },
    {
      name: '403 permission denied',
      failure: grpc(403, 7, 'permission denied'),
      want: {
        code: 'ARGOCD_NOT_FOUND',
        input: 'argocd-app',
        message:
          'Argo CD application "api" does not exist or the token may not sync it (HTTP 403: permission denied).'
      }
    },
    {
      name: '404 when a project is named',
      failure: grpc(404, 5, 'applications.argoproj.io "api" not found'),
      want: {
        code: 'ARGOCD_NOT_FOUND',
        input: 'argocd-app',
        message:
          'Argo CD application "api" does not exist or the token may not sync it (HTTP 404: applications.argoproj.io "api" not found).'
      }
    },
    {
      name: '415 from the content-type guard (plain text)',
      failure: {
        status: 415,
        contentType: 'text/plain; charset=utf-8',
        text: 'Invalid content type\n'
      },
      want: {
        code: 'ARGOCD_ERROR',
        input: undefined,
        message:
          'Argo CD at https://argocd.example.com refused the Content-Type (HTTP 415: Invalid content type) when syncing "api".'
      }
    },
    {
      name: '400 sync window',
      failure: grpc(400, 9, 'cannot sync: blocked by sync window'),
      want: {
        code: 'ARGOCD_ERROR',
        input: undefined,
        message:
          'Argo CD at https://argocd.example.com answered HTTP 400 when syncing "api": cannot sync: blocked by sync window'
      }
    },
    {
      name: '503 HTML page from an ingress',
      failure: {
        status: 503,
        contentType: 'text/html',
        text: '<html><h1>503 Service\nUnavailable</h1></html>'
      },
      want: {
        code: 'ARGOCD_ERROR',
        input: undefined,
        message:
          'Argo CD at https://argocd.example.com answered HTTP 503 when syncing "api": 503 Service Unavailable'
      }
    },
    {
      name: 'a long body is cut',
      failure: { status: 500, contentType: 'text/plain', text: 'x'.repeat(400) },
      want: {
        code: 'ARGOCD_ERROR',
        input: undefined,
        message: `Argo CD at https://argocd.example.com answered HTTP 500 when syncing "api": ${'x'.repeat(300)}…`
      }
    }
  ])('$name', ({ failure, want }) => {
    const error = classify(failure, context)
    expect({
      code: error.code,
      input: error.input,
      message: error.message,
      status: error.status,
      hinted: !!error.hint
    }).toEqual({
      ...want,
      status: failure.status,
      hinted: true
    })
  })
})

describe('isOperationInProgress', () => {
  it.each([
    {
      name: 'the 400 Argo CD sends',
      failure: grpc(400, 9, 'another operation is already in progress'),
      want: true
    },
    { name: 'other 400', failure: grpc(400, 3, 'invalid revision'), want: false },
    {
      name: 'same words, other status',
      failure: grpc(500, 2, 'another operation is already in progress'),
      want: false
    }
  ])('$name', ({ failure, want }) => {
    expect(isOperationInProgress(failure)).toBe(want)
  })
})

describe('notJson', () => {
  it('points at argocd-server', () => {
    const error = notJson(
      { status: 200, contentType: 'text/html', text: '<!doctype html>' },
      context
    )
    expect({ code: error.code, input: error.input, message: error.message }).toEqual({
      code: 'ARGOCD_ERROR',
      input: 'argocd-server',
      message:
        'Argo CD at https://argocd.example.com answered syncing "api" with something that is not JSON (HTTP 200, content-type "text/html").'
    })
  })
})

describe('redact', () => {
  const token = 's3cr3t-token'
  it.each([
    {
      name: 'a server echoing the token in its message',
      error: new HandoffError('ARGOCD_AUTH', `invalid session: ${token} expired; ${token}`, {
        hint: `try ${token}`,
        status: 401
      }),
      want: {
        code: 'ARGOCD_AUTH',
        message: 'invalid session: *** expired; ***',
        hint: 'try ***',
        status: 401
      }
    },
    {
      name: 'nothing to hide',
      error: new HandoffError('ARGOCD_ERROR', 'plain', { status: 500 }),
      want: { code: 'ARGOCD_ERROR', message: 'plain', hint: undefined, status: 500 }
    }
  ])('$name', ({ error, want }) => {
    const { code, message, hint, status } = redact(error, token)
    expect({ code, message, hint, status }).toEqual(want)
  })
})
