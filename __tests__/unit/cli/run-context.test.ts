/** Where the CLI's settings come from outside a workflow: the run context and the input source. */
import { describe, expect, it } from '@jest/globals'
import { cliRunContext, inputSource } from '../../../src/cli/run.js'

describe('cliRunContext', () => {
  it.each([
    {
      name: 'a laptop: github.com, no source repository',
      env: {},
      expected: {
        apiUrl: 'https://api.github.com',
        serverUrl: 'https://github.com',
        repository: ''
      }
    },
    {
      name: 'GitHub Enterprise Server: links follow the API URL',
      env: { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' },
      expected: {
        apiUrl: 'https://ghe.example.com/api/v3',
        serverUrl: 'https://ghe.example.com',
        repository: ''
      }
    },
    {
      name: 'an api. host',
      env: { GITHUB_API_URL: 'https://api.example.ghe.com' },
      expected: {
        apiUrl: 'https://api.example.ghe.com',
        serverUrl: 'https://example.ghe.com',
        repository: ''
      }
    },
    {
      name: 'an explicit server URL and source repository win',
      env: {
        GITHUB_API_URL: 'http://127.0.0.1:8080',
        GITHUB_SERVER_URL: 'https://git.example.com',
        GITHUB_REPOSITORY: 'acme/app'
      },
      expected: {
        apiUrl: 'http://127.0.0.1:8080',
        serverUrl: 'https://git.example.com',
        repository: 'acme/app'
      }
    }
  ])('$name', ({ env, expected }) => {
    const { apiUrl, serverUrl, repository } = cliRunContext(env)
    expect({ apiUrl, serverUrl, repository }).toEqual(expected)
  })
})

describe('inputSource', () => {
  it('takes options for inputs and the environment for secrets, even when an option tries', () => {
    const source = inputSource(
      { tag: '1.4.0', token: 'from-argv' },
      { token: 'ghs_env', 'argocd-token': '' }
    )
    expect(['tag', 'token', 'argocd-token', 'path'].map(name => source(name as never))).toEqual([
      '1.4.0',
      'ghs_env',
      '',
      ''
    ])
  })
})
