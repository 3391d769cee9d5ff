/**
 * The smallest HTTP client the Argo CD phase needs, on node:http/node:https rather than
 * global fetch: `insecure` (self-signed Argo CD) needs `rejectUnauthorized: false`, which
 * fetch cannot take without undici's Agent, and we set every header ourselves so nothing
 * (such as a charset) is added to the Content-Type that Argo CD compares exactly.
 */

import * as http from 'node:http'
import * as https from 'node:https'

export interface HttpRequest {
  readonly method: 'GET' | 'POST'
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  readonly insecure: boolean
  /** Real-time limit for the whole exchange. */
  readonly timeoutMs: number
}

export interface HttpResponse {
  readonly status: number
  readonly contentType: string
  readonly text: string
}

// An Application with thousands of resources is a few MB; anything past this is not Argo CD.
const MAX_BODY_BYTES = 32 * 1024 * 1024

export function send(request: HttpRequest): Promise<HttpResponse> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8')
  const headers = { ...request.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) }
  const transport = request.url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const req = transport.request(request.url, {
      method: request.method,
      headers,
      rejectUnauthorized: !request.insecure,
      timeout: request.timeoutMs
    })
    req.on('timeout', () => req.destroy(new Error(`no data for ${request.timeoutMs} ms`)))
    req.on('error', reject)
    req.on('response', response => {
      readBody(response).then(
        text =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            text
          }),
        reject
      )
    })
    req.end(body)
  })
}

function readBody(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    response.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        response.destroy(new Error(`response larger than ${MAX_BODY_BYTES} bytes`))
        return
      }
      chunks.push(chunk)
    })
    response.on('error', reject)
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}
