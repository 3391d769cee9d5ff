/**
 * A real Octokit client against the double, with failures turned into answers so a test
 * can compare status and body of a refusal as one value.
 */
import { Octokit } from '@octokit/core'
import type { GitHubDouble } from '../../support/github-double.mjs'

export interface Answer {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GitHub JSON; each test compares what it picks out as one value
  data: any
  headers: Record<string, string | number | undefined>
}

/** An Octokit for the double, with `token` as its credentials (`null`: none). */
export function client(
  double: GitHubDouble,
  token: string | null = 'ghs_installation',
  baseUrl = double.url
): Octokit {
  return new Octokit({ ...(token === null ? {} : { auth: token }), baseUrl })
}

/** `octokit.request(route, params)`, with a RequestError returned as its status and body. */
export async function call(
  octokit: Octokit,
  route: string,
  params: Record<string, unknown> = {}
): Promise<Answer> {
  try {
    const response = await octokit.request(route, params)
    return { status: response.status, data: response.data, headers: response.headers }
  } catch (error) {
    const failure = error as {
      status?: number
      response?: { data: unknown; headers: Answer['headers'] }
    }
    if (failure.status === undefined || failure.response === undefined) throw error
    return {
      status: failure.status,
      data: failure.response.data,
      headers: failure.response.headers
    }
  }
}

/** The part of an error body the double's tests compare: status and message. */
export function refusal(answer: Answer): { status: number; message: unknown } {
  return { status: answer.status, message: answer.data?.message }
}

export const OWNER_REPO = { owner: 'acme', repo: 'deploy' } as const

/** Base64 of UTF-8 text, as the contents API takes it. */
export const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64')
