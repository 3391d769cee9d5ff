#!/usr/bin/env node
/** The CLI's entry point (package.json bin gitops-handoff → dist/cli/index.js). */
import { runCli } from './run.js'

process.exitCode = await runCli(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr
})
