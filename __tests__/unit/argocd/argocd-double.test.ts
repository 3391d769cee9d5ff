/**
 * The double itself must behave as Argo CD does where the client could get it wrong;
 * these run plain `fetch` against it, independent of src/argocd.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startArgoDouble, type ArgoDouble } from '../../support/argocd-double.mjs'

const TOKEN = 'double-token'
let argo: ArgoDouble
beforeAll(async () => {
  argo = await startArgoDouble({ apps: { api: 'healthy', 'team-a/web': 'healthy' }, token: TOKEN })
})
afterAll(() => argo.close())

interface Case {
  name: string
  method?: string
  path: string
  headers?: Record<string, string>
  body?: string
  want: { status: number; body: string }
}

const auth = { Authorization: `Bearer ${TOKEN}` }
const json = { ...auth, 'Content-Type': 'application/json' }
const grpc = (code: number, message: string) => JSON.stringify({ error: message, code, message })
const sync = JSON.stringify({ revision: 'a'.repeat(40) })

describe('Argo CD double', () => {
  it.each<Case>([
    {
      name: 'content type with a charset is refused, as Argo CD does',
      method: 'POST',
      path: '/api/v1/applications/api/sync',
      headers: { ...auth, 'Content-Type': 'application/json; charset=utf-8' },
      body: sync,
      want: { status: 415, body: 'Invalid content type\n' }
    },
    {
      name: "fetch's default for a string body (text/plain) is refused",
      method: 'POST',
      path: '/api/v1/applications/api/sync',
      headers: auth,
      body: sync,
      want: { status: 415, body: 'Invalid content type\n' }
    },
    {
      name: 'no token',
      path: '/api/v1/applications/api',
      want: { status: 401, body: grpc(16, 'no session information') }
    },
    {
      name: 'wrong token',
      path: '/api/v1/applications/api',
      headers: { Authorization: 'Bearer nope' },
      want: { status: 401, body: grpc(16, 'invalid session: token signature is invalid') }
    },
    {
      name: 'unknown application is 403',
      path: '/api/v1/applications/nope',
      headers: auth,
      want: { status: 403, body: grpc(7, 'permission denied') }
    },
    {
      name: 'a namespaced application is not found without its namespace',
      path: '/api/v1/applications/web',
      headers: auth,
      want: { status: 403, body: grpc(7, 'permission denied') }
    },
    {
      name: 'POST ignores appNamespace in the query (grpc-gateway body "*")',
      method: 'POST',
      path: '/api/v1/applications/web/sync?appNamespace=team-a',
      headers: json,
      body: sync,
      want: { status: 403, body: grpc(7, 'permission denied') }
    },
    {
      name: 'unknown route',
      path: '/api/v1/projects',
      headers: auth,
      want: { status: 404, body: grpc(5, 'Not Found') }
    }
  ])('$name', async c => {
    const response = await fetch(`${argo.url}${c.path}`, {
      method: c.method ?? 'GET',
      headers: c.headers,
      body: c.body
    })
    expect({ status: response.status, body: await response.text() }).toEqual(c.want)
  })

  it('logs each request without the authorization header', async () => {
    const before = argo.log.length
    await fetch(`${argo.url}/api/v1/applications/web?appNamespace=team-a`, {
      headers: { ...auth, 'X-Probe': '1' }
    })
    const { headers, ...rest } = argo.log[before]
    expect({ ...rest, authorization: headers.authorization, probe: headers['x-probe'] }).toEqual({
      method: 'GET',
      path: '/api/v1/applications/web',
      query: { appNamespace: 'team-a' },
      auth: 'valid',
      body: undefined,
      status: 200,
      authorization: undefined,
      probe: '1'
    })
  })
})
