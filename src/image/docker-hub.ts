/**
 * Docker Hub's naming conventions (distribution/reference `normalize.go`): a name without a
 * registry lives on docker.io, `index.docker.io` is its legacy alias, and a single-component
 * name there is an official image under `library/`.
 */

const DEFAULT_DOMAIN = 'docker.io'
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io'
const OFFICIAL_PREFIX = 'library/'

interface Repository {
  readonly domain: string
  readonly path: string
}

/** 'nginx' → 'docker.io/library/nginx', 'index.docker.io/x/y' → 'docker.io/x/y'. */
export function canonicalDocker(repository: Repository): Repository {
  const { domain, path } = repository
  if (domain !== '' && domain !== DEFAULT_DOMAIN && domain !== LEGACY_DEFAULT_DOMAIN) {
    return repository
  }
  return { domain: DEFAULT_DOMAIN, path: path.includes('/') ? path : OFFICIAL_PREFIX + path }
}

export function canonicalDockerName(repository: Repository): string {
  const { domain, path } = canonicalDocker(repository)
  return `${domain}/${path}`
}

/**
 * The short name docker shows: docker.io is dropped, and so is `library/` when one component
 * follows it (`docker.io/library/foo/bar` stays `library/foo/bar`).
 */
export function familiarName(repository: Repository & { readonly name: string }): string {
  if (repository.domain !== DEFAULT_DOMAIN) return repository.name
  const official = repository.path.startsWith(OFFICIAL_PREFIX)
  const rest = repository.path.slice(OFFICIAL_PREFIX.length)
  return official && !rest.includes('/') ? rest : repository.path
}
