/**
 * A schema check of GitHub Actions workflows and workflow snippets, aimed at what a copied
 * example gets wrong: a step that runs this action with an input action.yml does not have or
 * without a required one, a literal value the action refuses, an output read from the action
 * that it does not set, a job or step of the wrong shape, an unknown event. actionlint goes
 * further (expressions, shell, runner labels); this needs nothing but `yaml`.
 * Pure: documents in, problems (`where: what`) out.
 */

export interface ActionSpec {
  readonly inputs: Readonly<
    Record<string, { required?: boolean; default?: unknown; description?: string }>
  >
  readonly outputs: Readonly<Record<string, { description?: string }>>
}

/** The reusable workflow's interface (on.workflow_call), for jobs that call it. */
export interface ReusableSpec {
  readonly inputs: Readonly<Record<string, { required?: boolean }>>
  readonly secrets: Readonly<Record<string, { required?: boolean }>>
}

export interface LintContext {
  readonly action: ActionSpec
  readonly reusable?: ReusableSpec
}

type YamlMap = Record<string, unknown>

const WORKFLOW_KEYS = [
  'name',
  'run-name',
  'on',
  'permissions',
  'env',
  'defaults',
  'concurrency',
  'jobs'
]
const JOB_KEYS = [
  'name',
  'needs',
  'runs-on',
  'permissions',
  'environment',
  'concurrency',
  'outputs',
  'env',
  'defaults',
  'if',
  'steps',
  'timeout-minutes',
  'strategy',
  'continue-on-error',
  'container',
  'services',
  'uses',
  'with',
  'secrets'
]
const STEP_KEYS = [
  'id',
  'if',
  'name',
  'uses',
  'run',
  'shell',
  'with',
  'env',
  'continue-on-error',
  'timeout-minutes',
  'working-directory'
]
/** Events that trigger workflows (docs.github.com, "Events that trigger workflows"). */
const EVENTS = [
  'branch_protection_rule',
  'check_run',
  'check_suite',
  'create',
  'delete',
  'deployment',
  'deployment_status',
  'discussion',
  'discussion_comment',
  'fork',
  'gollum',
  'issue_comment',
  'issues',
  'label',
  'merge_group',
  'milestone',
  'page_build',
  'public',
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'pull_request_target',
  'push',
  'registry_package',
  'release',
  'repository_dispatch',
  'schedule',
  'status',
  'watch',
  'workflow_call',
  'workflow_dispatch',
  'workflow_run'
]
const PERMISSION_LEVELS = ['read', 'write', 'none']

/** Literal values the action accepts for its enumerated inputs. */
export const CHOICES: Readonly<Record<string, readonly string[]>> = {
  mode: ['commit', 'pull-request'],
  format: ['auto', 'kustomize', 'workload', 'helm', 'tag-file', 'argocd-source'],
  'only-newer': ['false', 'semver', 'git'],
  'auto-merge': ['merge', 'squash', 'rebase', 'false']
}
const BOOLEAN_TEXT = ['true', 'false', 'yes', 'no', 'on', 'off']

/** An input is a boolean when its default is true/false and it has no other choices. */
export function isBooleanInput(name: string, fallback: unknown): boolean {
  return ['true', 'false'].includes(String(fallback)) && !(name in CHOICES)
}

export function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const isExpression = (value: unknown) => typeof value === 'string' && value.includes('${{')

/** `uses: ./` or `OWNER/gitops-handoff@REF`. */
export function isOwnAction(uses: unknown): boolean {
  return (
    uses === './' || (typeof uses === 'string' && /^[\w.-]+\/gitops-handoff@[\w./-]+$/.test(uses))
  )
}

/** `./.github/workflows/handoff.yml` or `OWNER/gitops-handoff/.github/workflows/handoff.yml@REF`. */
export function isOwnReusable(uses: unknown): boolean {
  return (
    typeof uses === 'string' &&
    /^(\.|[\w.-]+\/gitops-handoff)\/\.github\/workflows\/handoff\.ya?ml(@[\w./-]+)?$/.test(uses)
  )
}

/** Problems of a step that runs this action. */
export function checkActionStep(where: string, step: YamlMap, action: ActionSpec): string[] {
  const problems: string[] = []
  const given = step.with === undefined ? {} : step.with
  if (!isMap(given)) return [`${where}: "with" must be a mapping of input names to values`]
  for (const [name, value] of Object.entries(given)) {
    const spec = action.inputs[name]
    if (!spec) {
      problems.push(`${where}: "${name}" is not an input of action.yml`)
      continue
    }
    if (isMap(value) || Array.isArray(value)) {
      problems.push(`${where}: input "${name}" must be a string (use a block scalar for lists)`)
      continue
    }
    if (isExpression(value) || value === null) continue
    const text = String(value).trim()
    const choices = CHOICES[name]
    if (choices && !choices.includes(text)) {
      problems.push(`${where}: input "${name}" is "${text}"; valid: ${choices.join(', ')}`)
    }
    if (isBooleanInput(name, spec.default) && !BOOLEAN_TEXT.includes(text.toLowerCase())) {
      problems.push(`${where}: input "${name}" is "${text}"; it is a boolean (true or false)`)
    }
    if (/(^|[^\w])(ghp_|ghs_|gho_|github_pat_)\w+/.test(text)) {
      problems.push(
        `${where}: input "${name}" holds a literal token; pass a secret (\${{ secrets.… }})`
      )
    }
  }
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.required && !(name in given))
      problems.push(`${where}: required input "${name}" is missing`)
  }
  if (!('image' in given) && !('images' in given)) {
    problems.push(`${where}: give "image" (or "images")`)
  }
  return problems
}

/** Problems of a job that calls the reusable workflow. */
export function checkReusableCall(where: string, job: YamlMap, reusable: ReusableSpec): string[] {
  const problems: string[] = []
  const given = isMap(job.with) ? job.with : {}
  for (const name of Object.keys(given)) {
    if (!(name in reusable.inputs))
      problems.push(`${where}: "${name}" is not an input of handoff.yml`)
  }
  for (const [name, spec] of Object.entries(reusable.inputs)) {
    if (spec.required && !(name in given))
      problems.push(`${where}: required input "${name}" is missing`)
  }
  if (isMap(job.secrets)) {
    for (const name of Object.keys(job.secrets)) {
      if (!(name in reusable.secrets))
        problems.push(`${where}: "${name}" is not a secret of handoff.yml`)
    }
  } else if (job.secrets !== undefined && job.secrets !== 'inherit') {
    problems.push(`${where}: "secrets" must be a mapping or "inherit"`)
  }
  return problems
}

function checkStepShape(where: string, step: unknown): string[] {
  if (!isMap(step)) return [`${where}: a step must be a mapping`]
  const problems = Object.keys(step)
    .filter(key => !STEP_KEYS.includes(key))
    .map(key => `${where}: unknown step key "${key}"`)
  if ('uses' in step === 'run' in step)
    problems.push(`${where}: a step has exactly one of "uses" and "run"`)
  return problems
}

/** Every string in a value, deeply. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (isMap(value)) return Object.values(value).flatMap(strings)
  return []
}

/**
 * `steps.<id>.outputs.<name>` references in `scope`: the step must exist (when `complete`) and,
 * when it runs this action, set that output.
 */
function checkOutputReferences(
  where: string,
  steps: readonly unknown[],
  scope: unknown,
  action: ActionSpec,
  complete: boolean
): string[] {
  const byId = new Map<string, YamlMap>()
  for (const step of steps) if (isMap(step) && typeof step.id === 'string') byId.set(step.id, step)
  const problems = new Set<string>()
  for (const text of strings(scope)) {
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const step = byId.get(id)
      if (!step) {
        if (complete) problems.add(`${where}: "steps.${id}" refers to no step with that id`)
      } else if (isOwnAction(step.uses) && !(output in action.outputs)) {
        problems.add(`${where}: step "${id}" runs gitops-handoff, which has no output "${output}"`)
      }
    }
  }
  return [...problems]
}

function checkSteps(
  where: string,
  steps: readonly unknown[],
  scope: unknown,
  ctx: LintContext,
  complete: boolean
): string[] {
  const problems: string[] = []
  const ids = new Set<string>()
  steps.forEach((step, index) => {
    const at = `${where} step ${isMap(step) && step.id ? `"${String(step.id)}"` : index + 1}`
    problems.push(...checkStepShape(at, step))
    if (!isMap(step)) return
    if (typeof step.id === 'string') {
      if (ids.has(step.id)) problems.push(`${at}: step id "${step.id}" is used twice`)
      ids.add(step.id)
    }
    if (isOwnAction(step.uses)) problems.push(...checkActionStep(at, step, ctx.action))
  })
  return [...problems, ...checkOutputReferences(where, steps, scope, ctx.action, complete)]
}

function checkPermissions(where: string, permissions: unknown): string[] {
  if (permissions === undefined || permissions === 'read-all' || permissions === 'write-all')
    return []
  if (!isMap(permissions))
    return [`${where}: "permissions" must be a mapping, read-all or write-all`]
  return Object.entries(permissions)
    .filter(([, level]) => !PERMISSION_LEVELS.includes(String(level)))
    .map(
      ([scope, level]) =>
        `${where}: permission "${scope}: ${String(level)}" is not read, write or none`
    )
}

function checkJob(
  where: string,
  id: string,
  job: unknown,
  jobIds: readonly string[],
  ctx: LintContext
): string[] {
  if (!isMap(job)) return [`${where}: job "${id}" must be a mapping`]
  const at = `${where} job "${id}"`
  const problems = Object.keys(job)
    .filter(key => !JOB_KEYS.includes(key))
    .map(key => `${at}: unknown job key "${key}"`)
  if (!/^[A-Za-z_][\w-]*$/.test(id))
    problems.push(`${at}: a job id starts with a letter or _ and holds letters, digits, - and _`)
  const needs = job.needs === undefined ? [] : ([] as unknown[]).concat(job.needs)
  for (const need of needs)
    if (!jobIds.includes(String(need))) problems.push(`${at}: needs unknown job "${String(need)}"`)
  problems.push(...checkPermissions(at, job.permissions))
  if ('uses' in job) {
    if ('steps' in job || 'runs-on' in job)
      problems.push(`${at}: a job that "uses" a workflow has no "steps" or "runs-on"`)
    if (isOwnReusable(job.uses) && ctx.reusable)
      problems.push(...checkReusableCall(at, job, ctx.reusable))
    return problems
  }
  if (!('runs-on' in job)) problems.push(`${at}: "runs-on" is missing`)
  if (!Array.isArray(job.steps) || job.steps.length === 0)
    return [...problems, `${at}: "steps" must be a non-empty list`]
  return [
    ...problems,
    ...checkSteps(at, job.steps, { steps: job.steps, outputs: job.outputs }, ctx, true)
  ]
}

function eventsOf(on: unknown): string[] | undefined {
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.map(String)
  if (isMap(on)) return Object.keys(on)
  return undefined
}

/** A whole workflow file (or a snippet that is one: it has `jobs`). */
export function checkWorkflow(where: string, doc: unknown, ctx: LintContext): string[] {
  if (!isMap(doc)) return [`${where}: a workflow must be a mapping`]
  const problems = Object.keys(doc)
    .filter(key => !WORKFLOW_KEYS.includes(key))
    .map(key => `${where}: unknown workflow key "${key}"`)
  const events = eventsOf(doc.on)
  if (!events || events.length === 0) problems.push(`${where}: "on" must name at least one event`)
  for (const event of events ?? [])
    if (!EVENTS.includes(event)) problems.push(`${where}: unknown event "${event}"`)
  problems.push(...checkPermissions(where, doc.permissions))
  if (!isMap(doc.jobs) || Object.keys(doc.jobs).length === 0)
    return [...problems, `${where}: "jobs" must be a non-empty mapping`]
  const jobIds = Object.keys(doc.jobs)
  for (const [id, job] of Object.entries(doc.jobs))
    problems.push(...checkJob(where, id, job, jobIds, ctx))
  return problems
}

/** Anything with the shape of a step list. */
function isStepList(value: unknown): value is unknown[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(item => isMap(item) && ('uses' in item || 'run' in item))
  )
}

/**
 * A documentation snippet: a workflow (has `jobs`), a job (has `steps`), a step list or one
 * step. Anything else (a manifest, a GitLab CI file) is only parsed; but wherever it sits, a
 * step that runs this action or a job that calls the reusable workflow is checked.
 */
export function checkSnippet(where: string, doc: unknown, ctx: LintContext): string[] {
  if (isMap(doc) && 'jobs' in doc) return checkWorkflow(where, doc, ctx)
  if (isMap(doc) && Array.isArray(doc.steps)) return checkSteps(where, doc.steps, doc, ctx, false)
  if (isStepList(doc)) return checkSteps(where, doc, doc, ctx, false)
  if (isMap(doc) && ('uses' in doc || 'run' in doc) && !('jobs' in doc)) {
    if (isOwnReusable(doc.uses) && ctx.reusable) return checkReusableCall(where, doc, ctx.reusable)
    return checkSteps(where, [doc], doc, ctx, false)
  }
  return []
}
