/**
 * POST /graphql: the auto-merge mutations, matched by operation text, and queries (reads),
 * executed against GitHub's schema by graphql-query.mjs. GraphQL answers errors with HTTP 200
 * and an `errors` array, as GitHub does.
 */
import { accountOf } from '../identity.mjs'
import { runQuery } from './graphql-query.mjs'

/** @typedef {import('./context.mjs').Route} Route */
/** @typedef {import('./context.mjs').Ctx} Ctx */
/** @typedef {import('./context.mjs').Reply} Reply */
/** @typedef {import('../repo.mjs').Repo} Repo */
/** @typedef {import('../repo.mjs').PullRequest} PullRequest */

/** @param {string} type @param {string} message @param {string} field @returns {Reply} */
function failure(type, message, field) {
  return {
    status: 200,
    json: {
      data: { [field]: null },
      errors: [{ type, path: [field], locations: [{ line: 2, column: 3 }], message }]
    }
  }
}

/**
 * The argument `name` of the operation's field: an inline value (`name: "x"`, `name: SQUASH`)
 * or a `$variable`. Variable declarations (`$name: ID!`) are not arguments and are skipped.
 * @param {Ctx} ctx @param {string} name
 */
function argument(ctx, name) {
  const variables = ctx.body?.variables ?? {}
  const pattern = new RegExp(`(?<![$\\w])${name}\\s*:\\s*(?:"([^"]*)"|\\$(\\w+)|(\\w+))`)
  const found = pattern.exec(ctx.body.query)
  if (!found) return variables[name]
  if (found[2] !== undefined) return variables[found[2]]
  return found[1] ?? found[3]
}

/** @param {Ctx} ctx @param {string} id */
function findPull(ctx, id) {
  for (const repo of ctx.state.repos.values()) {
    const pull = repo.pulls.find(p => p.nodeId === id)
    if (pull) return { repo, pull }
  }
  return undefined
}

/** The response key: the field name, or its alias. @param {string} query @param {string} field */
function responseKey(query, field) {
  return new RegExp(`(\\w+)\\s*:\\s*${field}\\b`).exec(query)?.[1] ?? field
}

/**
 * @param {Ctx} ctx @param {string} field @param {(repo: Repo, pull: PullRequest) => Reply | undefined} change
 * @returns {Reply}
 */
function onPull(ctx, field, change) {
  const key = responseKey(ctx.body.query, field)
  const id = argument(ctx, 'pullRequestId')
  const found = typeof id === 'string' ? findPull(ctx, id) : undefined
  if (!found)
    return failure('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`, key)
  const level = ctx.state.levelOf(ctx.token, found.repo.fullName)
  if (level === 'unknown-token')
    return {
      status: 401,
      json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' }
    }
  if (level === 'none')
    return failure('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`, key)
  if (level === 'read') return failure('FORBIDDEN', 'Resource not accessible by integration', key)
  const refused = change(found.repo, found.pull)
  if (refused) return refused
  const auto = found.pull.autoMerge
  return {
    status: 200,
    json: {
      data: {
        [key]: {
          clientMutationId: null,
          pullRequest: {
            id: found.pull.nodeId,
            number: found.pull.number,
            url: `${ctx.urls.web}/${found.repo.fullName}/pull/${found.pull.number}`,
            autoMergeRequest: auto
              ? {
                  enabledAt: auto.enabledAt,
                  mergeMethod: auto.mergeMethod,
                  enabledBy: { login: auto.enabledBy }
                }
              : null
          }
        }
      }
    }
  }
}

/** @param {Ctx} ctx */
function enableAutoMerge(ctx) {
  const field = 'enablePullRequestAutoMerge'
  return onPull(ctx, field, (repo, pull) => {
    const key = responseKey(ctx.body.query, field)
    if (!repo.allowAutoMerge)
      return failure(
        'UNPROCESSABLE',
        'Pull request Auto merge is not allowed for this repository',
        key
      )
    if (pull.state !== 'open')
      return failure(
        'UNPROCESSABLE',
        'Pull request is not in the correct state to enable auto-merge',
        key
      )
    const method = String(argument(ctx, 'mergeMethod') ?? 'MERGE').toUpperCase()
    if (!['MERGE', 'SQUASH', 'REBASE'].includes(method))
      return failure('INVALID', `Invalid merge method ${method}`, key)
    pull.autoMerge = {
      mergeMethod: method.toLowerCase(),
      enabledBy: accountOf(ctx.token).login,
      enabledAt: ctx.state.now()
    }
    return undefined
  })
}

/** @param {Ctx} ctx */
function disableAutoMerge(ctx) {
  return onPull(ctx, 'disablePullRequestAutoMerge', (_repo, pull) => {
    pull.autoMerge = null
    return undefined
  })
}

/** @param {Ctx} ctx @returns {Reply} */
function graphql(ctx) {
  if (typeof ctx.body?.query !== 'string') {
    return {
      status: 200,
      json: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] }
    }
  }
  if (!ctx.token)
    return {
      status: 401,
      json: {
        message: 'This endpoint requires you to be authenticated.',
        documentation_url:
          'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql'
      }
    }
  if (!ctx.state.knowsToken(ctx.token))
    return {
      status: 401,
      json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' }
    }
  if (/\benablePullRequestAutoMerge\b/.test(ctx.body.query)) return enableAutoMerge(ctx)
  if (/\bdisablePullRequestAutoMerge\b/.test(ctx.body.query)) return disableAutoMerge(ctx)
  if (!/^\s*mutation\b/.test(ctx.body.query)) return runQuery(ctx)
  return {
    status: 200,
    json: {
      errors: [
        {
          type: 'DOUBLE_UNSUPPORTED',
          message:
            'The GitHub double implements queries and, of the mutations, only enablePullRequestAutoMerge and disablePullRequestAutoMerge.'
        }
      ]
    }
  }
}

/** @type {Route[]} */
export const graphqlRoutes = [
  { method: 'POST', pattern: '/graphql', access: 'self', handler: graphql }
]
