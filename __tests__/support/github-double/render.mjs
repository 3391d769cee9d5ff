/**
 * JSON bodies in GitHub's shapes (the OpenAPI schemas' required fields, with URLs that
 * point back at the double). Pure functions of state; the routes decide what to render.
 */
import { accountOfEmail, accountOfLogin, stableId } from './identity.mjs'

/** @typedef {import('./repo.mjs').Repo} Repo */
/** @typedef {import('./repo.mjs').PullRequest} PullRequest */
/** @typedef {import('./repo.mjs').Label} Label */
/** @typedef {import('./identity.mjs').Account} Account */
/** @typedef {{ api: string, web: string }} Urls API base (with /api/v3 when asked that way) and web base */

/** @param {string} kind @param {string | number} key */
export function nodeId(kind, key) {
  return `${kind}_${Buffer.from(String(key)).toString('base64url')}`
}

/** Base64 as GitHub sends file contents: 60-character lines, each ending in a newline. @param {Buffer} bytes */
export function base64Lines(bytes) {
  const flat = bytes.toString('base64')
  let out = ''
  for (let at = 0; at < flat.length; at += 60) out += `${flat.slice(at, at + 60)}\n`
  return out
}

/** @param {Urls} urls @param {Account} account */
export function userJson(urls, account) {
  const base = `${urls.api}/users/${encodeURIComponent(account.login)}`
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type === 'Bot' ? 'BOT' : 'U', account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: '',
    url: base,
    html_url: `${urls.web}/${account.login}`,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type: account.type,
    site_admin: false
  }
}

/** @param {Urls} urls @param {Repo} repo */
export function repoUrl(urls, repo) {
  return `${urls.api}/repos/${repo.fullName}`
}

/**
 * The repository object (full-repository schema; also used inside pull requests).
 * @param {Urls} urls @param {Repo} repo @param {'none' | 'read' | 'write' | 'admin'} level
 */
export function repoJson(urls, repo, level) {
  const api = repoUrl(urls, repo)
  const html = `${urls.web}/${repo.fullName}`
  const open = repo.pulls.filter(pull => pull.state === 'open').length
  return {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: userJson(urls, { login: repo.owner, id: stableId(repo.owner), type: 'User' }),
    private: repo.isPrivate,
    visibility: repo.isPrivate ? 'private' : 'public',
    html_url: html,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    git_url: `${html.replace(/^https?:/, 'git:')}.git`,
    ssh_url: `git@${new URL(urls.web).host}:${repo.fullName}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: repo.store.objects.size,
    default_branch: repo.defaultBranch,
    open_issues: open,
    open_issues_count: open,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt,
    permissions: {
      admin: level === 'admin',
      maintain: level === 'admin',
      push: level === 'write' || level === 'admin',
      triage: level !== 'none',
      pull: level !== 'none'
    },
    allow_auto_merge: repo.allowAutoMerge,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    allow_update_branch: false,
    delete_branch_on_merge: false,
    network_count: 0,
    subscribers_count: 0
  }
}

/** @param {import('./git-objects.mjs').Signature} signature */
function signatureJson(signature) {
  return { name: signature.name, email: signature.email, date: signature.date }
}

/** @param {boolean} verified @param {string} now */
function verificationJson(verified, now) {
  return verified
    ? {
        verified: true,
        reason: 'valid',
        signature:
          '-----BEGIN PGP SIGNATURE-----\n\n(signed by the GitHub double)\n-----END PGP SIGNATURE-----\n',
        payload: null,
        verified_at: now
      }
    : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
}

/** The git data API's commit (git-commit schema). @param {Urls} urls @param {Repo} repo @param {string} sha */
export function gitCommitJson(urls, repo, sha) {
  const commit = /** @type {NonNullable<ReturnType<Repo['store']['commit']>>} */ (
    repo.store.commit(sha)
  )
  const api = repoUrl(urls, repo)
  return {
    sha,
    node_id: nodeId('C', `${repo.id}:${sha}`),
    url: `${api}/git/commits/${sha}`,
    html_url: `${urls.web}/${repo.fullName}/commit/${sha}`,
    author: signatureJson(commit.author),
    committer: signatureJson(commit.committer),
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map(parent => ({
      sha: parent,
      url: `${api}/git/commits/${parent}`,
      html_url: `${urls.web}/${repo.fullName}/commit/${parent}`
    })),
    verification: verificationJson(commit.verified, commit.committer.date)
  }
}

/** The commits API's commit (commit schema). @param {Urls} urls @param {Repo} repo @param {string} sha */
export function restCommitJson(urls, repo, sha) {
  const git = gitCommitJson(urls, repo, sha)
  const api = repoUrl(urls, repo)
  const author = accountOfEmail(git.author.email)
  const committer = accountOfEmail(git.committer.email)
  return {
    url: `${api}/commits/${sha}`,
    sha,
    node_id: git.node_id,
    html_url: git.html_url,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: {
      url: git.url,
      author: git.author,
      committer: git.committer,
      message: git.message,
      comment_count: 0,
      tree: git.tree,
      verification: git.verification
    },
    author: author ? userJson(urls, author) : null,
    committer: committer ? userJson(urls, committer) : null,
    parents: git.parents
  }
}

/** @param {Urls} urls @param {Repo} repo @param {string} ref full ref name @param {string} sha */
export function refJson(urls, repo, ref, sha) {
  const api = repoUrl(urls, repo)
  return {
    ref,
    node_id: nodeId('REF', `${repo.id}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { sha, type: 'commit', url: `${api}/git/commits/${sha}` }
  }
}

/** @param {Urls} urls @param {Repo} repo @param {Label} label */
export function labelJson(urls, repo, label) {
  return {
    id: label.id,
    node_id: nodeId('LA', label.id),
    url: `${repoUrl(urls, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: false,
    description: label.description
  }
}

/** @param {Urls} urls @param {Repo} repo @param {string} slug */
export function teamJson(urls, repo, slug) {
  const id = stableId(`${repo.owner}/${slug}`)
  const api = `${urls.api}/organizations/${stableId(repo.owner)}/team/${id}`
  return {
    id,
    node_id: nodeId('T', id),
    url: api,
    html_url: `${urls.web}/orgs/${repo.owner}/teams/${slug}`,
    name: slug,
    slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${api}/members{/member}`,
    repositories_url: `${api}/repos`,
    type: 'organization',
    parent: null
  }
}

/**
 * A pull request (pull-request schema). `stats` carries what only the routes can compute.
 * @param {Urls} urls @param {Repo} repo @param {PullRequest} pull
 * @param {{ headSha: string, baseSha: string, mergeable: boolean | null, commits: number, additions: number, deletions: number, changedFiles: number }} stats
 */
export function pullJson(urls, repo, pull, stats) {
  const api = repoUrl(urls, repo)
  const html = `${urls.web}/${repo.fullName}/pull/${pull.number}`
  const issue = `${api}/issues/${pull.number}`
  const owner = userJson(urls, { login: repo.owner, id: stableId(repo.owner), type: 'User' })
  const repository = repoJson(urls, repo, 'read')
  const assignees = pull.assignees.map(login => userJson(urls, accountOfLogin(login)))
  return {
    url: `${api}/pulls/${pull.number}`,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api}/statuses/${stats.headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(urls, accountOfLogin(pull.user)),
    body: pull.body,
    labels: pull.labels.map(name =>
      labelJson(urls, repo, /** @type {Label} */ (repo.labels.get(name.toLowerCase())))
    ),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: pull.reviewers.map(login => userJson(urls, accountOfLogin(login))),
    requested_teams: pull.teamReviewers.map(slug => teamJson(urls, repo, slug)),
    head: {
      label: `${repo.owner}:${pull.headRef}`,
      ref: pull.headRef,
      sha: stats.headSha,
      user: owner,
      repo: repository
    },
    base: {
      label: `${repo.owner}:${pull.baseRef}`,
      ref: pull.baseRef,
      sha: stats.baseSha,
      user: owner,
      repo: repository
    },
    _links: {
      self: { href: `${api}/pulls/${pull.number}` },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${api}/pulls/${pull.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${pull.number}/commits` },
      statuses: { href: `${api}/statuses/${stats.headSha}` }
    },
    author_association: 'MEMBER',
    auto_merge: pull.autoMerge
      ? {
          enabled_by: userJson(urls, accountOfLogin(pull.autoMerge.enabledBy)),
          merge_method: pull.autoMerge.mergeMethod,
          commit_title: '',
          commit_message: ''
        }
      : null,
    draft: pull.draft,
    merged: pull.merged,
    mergeable: pull.state === 'open' ? stats.mergeable : null,
    rebaseable: pull.state === 'open' ? stats.mergeable : null,
    mergeable_state:
      pull.state !== 'open'
        ? 'unknown'
        : stats.mergeable
          ? pull.draft
            ? 'draft'
            : 'clean'
          : 'dirty',
    merged_by: pull.mergedBy ? userJson(urls, accountOfLogin(pull.mergedBy)) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: stats.commits,
    additions: stats.additions,
    deletions: stats.deletions,
    changed_files: stats.changedFiles
  }
}

/** The issue view of a pull request (issue schema), as the issues endpoints answer. @param {Urls} urls @param {Repo} repo @param {PullRequest} pull */
export function issueJson(urls, repo, pull) {
  const api = repoUrl(urls, repo)
  const issue = `${api}/issues/${pull.number}`
  const assignees = pull.assignees.map(login => userJson(urls, accountOfLogin(login)))
  return {
    id: pull.id,
    node_id: pull.nodeId,
    url: issue,
    repository_url: api,
    labels_url: `${issue}/labels{/name}`,
    comments_url: `${issue}/comments`,
    events_url: `${issue}/events`,
    html_url: `${urls.web}/${repo.fullName}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    user: userJson(urls, accountOfLogin(pull.user)),
    labels: pull.labels.map(name =>
      labelJson(urls, repo, /** @type {Label} */ (repo.labels.get(name.toLowerCase())))
    ),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: 0,
    pull_request: {
      url: `${api}/pulls/${pull.number}`,
      html_url: `${urls.web}/${repo.fullName}/pull/${pull.number}`,
      diff_url: `${urls.web}/${repo.fullName}/pull/${pull.number}.diff`,
      patch_url: `${urls.web}/${repo.fullName}/pull/${pull.number}.patch`,
      merged_at: pull.mergedAt
    },
    closed_at: pull.closedAt,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    draft: pull.draft,
    author_association: 'MEMBER'
  }
}
