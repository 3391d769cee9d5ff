/**
 * The reusable workflow (.github/workflows/handoff.yml) against action.yml: the same inputs in
 * the same order with the same descriptions, defaults and required flags (secrets instead of
 * the two token inputs), every input handed to the action, every output mapped back.
 */
import {
  isBooleanInput,
  isMap,
  isOwnAction,
  type ActionSpec,
  type ReusableSpec
} from './workflow-lint.js'

/** Inputs the action takes that the workflow receives as secrets instead. */
export const SECRET_INPUTS = ['token', 'argocd-token'] as const
/** Inputs of the workflow itself (how to run the job), not passed to the action. */
export const WORKFLOW_ONLY_INPUTS = ['runs-on'] as const

const oneLine = (text: unknown) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()

/** The `on.workflow_call` interface of a workflow document, if it has one. */
export function reusableSpecOf(doc: unknown): ReusableSpec | undefined {
  if (!isMap(doc) || !isMap(doc.on) || !isMap(doc.on.workflow_call)) return undefined
  const call = doc.on.workflow_call
  return {
    inputs: (isMap(call.inputs) ? call.inputs : {}) as ReusableSpec['inputs'],
    secrets: (isMap(call.secrets) ? call.secrets : {}) as ReusableSpec['secrets']
  }
}

function inputProblems(inputs: Record<string, unknown>, action: ActionSpec): string[] {
  const problems: string[] = []
  const expected = Object.keys(action.inputs).filter(
    n => !(SECRET_INPUTS as readonly string[]).includes(n)
  )
  const actual = Object.keys(inputs).filter(
    n => !(WORKFLOW_ONLY_INPUTS as readonly string[]).includes(n)
  )
  if (actual.join() !== expected.join()) {
    problems.push(
      `inputs are [${actual.join(', ')}]; action.yml has [${expected.join(', ')}] (same order)`
    )
  }
  for (const name of expected) {
    const mine = inputs[name]
    const theirs = action.inputs[name]
    if (!isMap(mine)) continue
    const flag = isBooleanInput(name, theirs.default)
    if (mine.type !== (flag ? 'boolean' : 'string')) {
      problems.push(
        `input "${name}": type ${String(mine.type)}, expected ${flag ? 'boolean' : 'string'}`
      )
    }
    if ((mine.required === true) !== (theirs.required === true)) {
      problems.push(
        `input "${name}": required is ${String(mine.required)}, action.yml says ${String(theirs.required)}`
      )
    }
    if (oneLine(mine.description) !== oneLine(theirs.description)) {
      problems.push(`input "${name}": description differs from action.yml`)
    }
    const wanted = theirs.default === undefined ? undefined : String(theirs.default)
    const got = mine.default === undefined ? undefined : String(mine.default)
    if (got !== wanted)
      problems.push(`input "${name}": default ${String(got)}, action.yml has ${String(wanted)}`)
  }
  return problems
}

/** What the step must pass for each action input. */
function expectedWith(name: string): string {
  if (name === 'token') return '${{ secrets.token || github.token }}'
  if (name === 'argocd-token') return '${{ secrets.argocd-token }}'
  return `\${{ inputs.${name} }}`
}

function jobProblems(doc: Record<string, unknown>, action: ActionSpec): string[] {
  const jobs = isMap(doc.jobs) ? Object.entries(doc.jobs) : []
  if (jobs.length !== 1) return [`has ${jobs.length} jobs; expected one job that runs the action`]
  const [jobId, job] = jobs[0]
  if (!isMap(job) || !Array.isArray(job.steps)) return [`job "${jobId}" has no steps`]
  const step = job.steps.find(s => isMap(s) && isOwnAction(s.uses))
  if (!isMap(step) || typeof step.id !== 'string')
    return [`job "${jobId}" has no step with an id that runs the action`]
  const given = isMap(step.with) ? step.with : {}
  const problems: string[] = []
  for (const name of Object.keys(action.inputs)) {
    if (given[name] !== expectedWith(name)) {
      problems.push(
        `step "${step.id}": with.${name} is ${JSON.stringify(given[name])}, expected ${expectedWith(name)}`
      )
    }
  }
  const callOutputs =
    isMap(doc.on) && isMap(doc.on.workflow_call) && isMap(doc.on.workflow_call.outputs)
      ? doc.on.workflow_call.outputs
      : {}
  const jobOutputs = isMap(job.outputs) ? job.outputs : {}
  for (const name of Object.keys(action.outputs)) {
    const call = callOutputs[name]
    if (!isMap(call) || call.value !== `\${{ jobs.${jobId}.outputs.${name} }}`) {
      problems.push(`output "${name}" is not mapped from jobs.${jobId}.outputs.${name}`)
    }
    if (jobOutputs[name] !== `\${{ steps.${step.id}.outputs.${name} }}`) {
      problems.push(`job output "${name}" is not steps.${step.id}.outputs.${name}`)
    }
  }
  const extra = Object.keys(callOutputs).filter(name => !(name in action.outputs))
  if (extra.length > 0) problems.push(`outputs not in action.yml: ${extra.join(', ')}`)
  return problems
}

export function checkReusableWorkflow(where: string, doc: unknown, action: ActionSpec): string[] {
  const spec = reusableSpecOf(doc)
  if (!spec || !isMap(doc)) return [`${where}: no on.workflow_call`]
  const secrets = Object.keys(spec.secrets)
  const problems = [
    ...inputProblems(spec.inputs, action),
    ...(secrets.join() === SECRET_INPUTS.join()
      ? []
      : [`secrets are [${secrets.join(', ')}]; expected [${SECRET_INPUTS.join(', ')}]`]),
    ...jobProblems(doc, action)
  ]
  return problems.map(problem => `${where}: ${problem}`)
}
