/**
 * The action's shell: inputs → Settings → handoff → optional Argo CD phase → outputs and job
 * summary. Every failure ends here as one `::error` per problem and exit code 1.
 */
import * as core from '@actions/core'
import { Inputs } from './constants.js'
import { errorsOf, type HandoffError } from './errors.js'
import { actionLogger, printUntrusted } from './action-log.js'
import { runHandoff } from './handoff.js'
import { readSettings, type RunContext } from './settings.js'
import { createDeps } from './wiring.js'
import { ArgoPhaseError, runArgoPhase } from './argocd-phase.js'
import { outputsOf } from './report/outputs.js'
import { summaryOf } from './report/summary.js'
import { errorLine } from './report/annotations.js'
import type { Result } from './result.js'

export function runContextFromEnv(env: NodeJS.ProcessEnv): RunContext {
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '')
  return {
    repository: env.GITHUB_REPOSITORY ?? '',
    sha: env.GITHUB_SHA ?? '',
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''),
    runId: env.GITHUB_RUN_ID ?? '',
    delayScale: delayScaleOf(env.GITOPS_HANDOFF_DELAY_SCALE)
  }
}

/** Test knob: scale retry and backoff delays (0 < scale ≤ 1); anything else means 1. */
function delayScaleOf(value: string | undefined): number {
  const scale = Number(value)
  return Number.isFinite(scale) && scale > 0 && scale <= 1 ? scale : 1
}

export async function run(): Promise<void> {
  try {
    for (const secret of [core.getInput(Inputs.Token), core.getInput(Inputs.ArgocdToken)]) {
      if (secret) core.setSecret(secret)
    }
    const outcome = readSettings(name => core.getInput(name), runContextFromEnv(process.env))
    if (!outcome.ok) return fail(outcome.errors)
    const settings = outcome.settings
    const deps = createDeps(settings, actionLogger)
    const result = await runHandoff(settings, deps)
    printDiffs(result)
    try {
      await report(await runArgoPhase(settings, result, deps), settings.serverUrl)
    } catch (error) {
      // The commit stays landed: its outputs are set even when Argo CD fails.
      const argocd = error instanceof ArgoPhaseError ? error.outcomes : undefined
      await report({ ...result, argocd }, settings.serverUrl)
      throw error
    }
  } catch (error) {
    fail(errorsOf(error))
  }
}

function printDiffs(result: Result): void {
  if (result.files.length === 0) return
  core.startGroup(`Diff (${result.files.length} file(s))`)
  printUntrusted(result.files.map(f => f.diff.trimEnd()).join('\n'))
  core.endGroup()
}

async function report(result: Result, serverUrl: string): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(result))) core.setOutput(name, value)
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(summaryOf(result, serverUrl)).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${String(error)}`)
  }
}

function fail(errors: readonly HandoffError[]): void {
  for (const error of errors) {
    const line = errorLine(error)
    core.error(line.message, {
      title: line.title,
      file: line.file,
      startLine: line.line,
      startColumn: line.column
    })
  }
  process.exitCode = 1
}
