#!/usr/bin/env node
// Regenerates the README's inputs and outputs tables from action.yml (the single source).
// `npm run docs` rewrites the blocks between the markers; CI fails when the README drifts.
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'
import * as prettier from 'prettier'

const root = new URL('..', import.meta.url)
const action = parse(readFileSync(new URL('action.yml', root), 'utf8'))
const readmeUrl = new URL('README.md', root)
const readme = readFileSync(readmeUrl, 'utf8')

const cell = text =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')

function inputsTable() {
  const rows = ['| Input | Default | Description |', '| --- | --- | --- |']
  for (const [name, spec] of Object.entries(action.inputs)) {
    const fallback =
      spec.default !== undefined ? `\`${cell(spec.default)}\`` : spec.required ? '**required**' : ''
    rows.push(`| \`${name}\` | ${fallback} | ${cell(spec.description)} |`)
  }
  return rows.join('\n')
}

function outputsTable() {
  const rows = ['| Output | Description |', '| --- | --- |']
  for (const [name, spec] of Object.entries(action.outputs))
    rows.push(`| \`${name}\` | ${cell(spec.description)} |`)
  return rows.join('\n')
}

function replaceBlock(text, marker, content) {
  const start = `<!-- start ${marker} -->`
  const end = `<!-- end ${marker} -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to === -1) throw new Error(`README.md lacks the ${start} … ${end} markers`)
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`
}

const next = replaceBlock(replaceBlock(readme, 'inputs', inputsTable()), 'outputs', outputsTable())
// Formatted as `npm run format` would, so the format check and the drift check agree.
const options = await prettier.resolveConfig(readmeUrl)
const formatted = await prettier.format(next, { ...options, filepath: readmeUrl.pathname })
if (formatted !== readme) writeFileSync(readmeUrl, formatted)
