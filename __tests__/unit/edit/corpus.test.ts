/**
 * Every file of the real-world corpus (../shared/corpus/INDEX.tsv), every image it lists: set a
 * new tag through planEdits (format auto, as a user would), then
 *
 * - diff the lines and write the old values back at the positions the edits report: every
 *   changed line must become the original line again, and added or removed lines must be
 *   reported values (so nothing but those values changed, and the reports are right);
 * - plan the same update again on the new bytes: nothing changes (idempotent).
 *
 * Images that cannot be edited are listed in EXCEPTIONS with the reason and the error they
 * must fail with; files without images must fail with IMAGE_NOT_FOUND. Nothing is skipped.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { reportMissingShared, sharedPath } from '../../support/shared-fixtures.js'
import { diffArrays } from 'diff'
import { detectFormat } from '../../../src/edit/detect-format.js'
import { planEdits, type PlanOptions } from '../../../src/edit/plan.js'
import type { ValueEdit } from '../../../src/edit/types.js'
import { splitLoose, tryParseReference } from '../../../src/image/reference.js'

const corpusDir = sharedPath('corpus')
const haveCorpus = fs.existsSync(path.join(corpusDir, 'INDEX.tsv'))

const NEW_TAG = 'corpus-new-tag'

interface Row {
  readonly file: string
  readonly path: string
  readonly images: readonly string[]
}

function readIndex(): Row[] {
  if (!haveCorpus) return []
  const [header, ...lines] = fs
    .readFileSync(path.join(corpusDir, 'INDEX.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
  const columns = header.split('\t')
  return lines.map(line => {
    const cells = Object.fromEntries(line.split('\t').map((cell, i) => [columns[i], cell]))
    return {
      file: cells.file,
      path: cells.path,
      images: cells.images ? cells.images.split(';') : []
    }
  })
}

/** What a user would pass: the repository, as the file writes it; and `key` where one is needed. */
interface Target {
  readonly image: string
  readonly key?: string
}

/** `(tag-only override):X` maps have no repository; the user names the value with `key`. */
const TAG_ONLY_KEYS: Readonly<Record<string, string>> = {
  'helm-values/argoproj__argocd-example-apps__helm-dependency__values.yaml': 'wordpress.image.tag'
}

/**
 * INDEX `images` entries (corpus README): kustomize `name[=newName][:tag][@digest]` (the entry
 * is selected by `name`), `name (tagSuffix=X)`, helm `registry/repository:tag@digest`, literal
 * values; `(tag-only override):X`. The image a user passes is the repository part.
 */
function targetsOf(row: Row): Target[] {
  const targets = new Map<string, Target>()
  for (const entry of row.images) {
    if (entry.startsWith('(tag-only override)')) {
      targets.set('tag-only', { image: 'tag-only', key: TAG_ONLY_KEYS[row.file] })
      continue
    }
    const name = entry.replace(/ \(tagSuffix=[^)]*\)$/, '').split('=')[0]
    const image = splitLoose(name).name
    targets.set(image, { image })
  }
  return [...targets.values()]
}

interface Exception {
  readonly reason: string
  readonly code: string
}

const NO_REFERENCE: Exception = {
  reason: 'the image is a compose variable (${…}); no valid reference names it',
  code: 'INVALID_REFERENCE'
}

const NOT_A_CONTAINER =
  'the image is not under a container list (SPEC: workloads edit containers, initContainers and ephemeralContainers only)'
const NO_TAG_KEY =
  'the image map has no `tag` key (the chart supplies the tag); create-missing, off by default for helm, would add one'

/** `file` or `file :: image` → why it cannot be edited and the error it must fail with. */
const EXCEPTIONS: Readonly<Record<string, Exception>> = {
  'tricky/Azure-Samples__aks-store-demo__sample-manifests__argocd__pets.yaml': {
    reason:
      'an Argo CD Application: its spec.source.kustomize.images are folded block scalars inside the Application, not a supported format (use an .argocd-source file or the kustomization)',
    code: 'IMAGE_NOT_FOUND'
  },
  'tricky/argoproj__argo-cd__resource_customizations__monitoring.coreos.com__Prometheus__testdata__healthy.yaml':
    {
      reason: NOT_A_CONTAINER,
      code: 'IMAGE_NOT_FOUND'
    },
  'tricky/kubernetes-sigs__kustomize__examples__transformerconfigs__images__resources.yaml :: crd-image':
    {
      reason: NOT_A_CONTAINER,
      code: 'IMAGE_NOT_FOUND'
    },
  'tricky/kubeflow__manifests__common__knative__knative-serving__base__upstream__serving-core.yaml :: gcr.io/knative-releases/knative.dev/serving/cmd/queue':
    {
      reason: `${NOT_A_CONTAINER} (a Knative Image resource and a ConfigMap value)`,
      code: 'IMAGE_NOT_FOUND'
    },
  'helm-values/cert-manager__cert-manager__deploy__charts__cert-manager__values.yaml': {
    reason:
      'the chart builds each repository from imageRegistry + imageNamespace + image.name at render time; no value in the file is the repository, so the tag is named with `key`',
    code: 'IMAGE_NOT_FOUND'
  },
  'helm-values/open-telemetry__opentelemetry-helm-charts__charts__opentelemetry-demo__values.yaml :: otel/opentelemetry-collector-contrib':
    { reason: NO_TAG_KEY, code: 'KEY_NOT_FOUND' },
  'helm-values/argoproj__argo-helm__charts__argo-cd__values.yaml :: ecr-public.aws.com/docker/library/haproxy':
    {
      reason: NO_TAG_KEY,
      code: 'KEY_NOT_FOUND'
    }
}

interface Case {
  readonly row: Row
  readonly target: Target
  readonly title: string
  readonly exception?: Exception
}

function casesOf(row: Row): Case[] {
  const text = fs.readFileSync(path.join(corpusDir, row.file), 'utf8')
  const format = detectFormat(row.path, text)
  const targets = row.images.length > 0 ? targetsOf(row) : [{ image: 'ghcr.io/example/absent' }]
  return targets.map(target => {
    const id = `${row.file} :: ${target.image}`
    const exception =
      EXCEPTIONS[id] ??
      EXCEPTIONS[row.file] ??
      (target.key === undefined && !tryParseReference(target.image) ? NO_REFERENCE : undefined) ??
      (row.images.length === 0
        ? { reason: 'the file references no image', code: 'IMAGE_NOT_FOUND' }
        : undefined)
    return { row, target, title: `${id} (${format})${exception ? ' must fail' : ''}`, exception }
  })
}

const rows = readIndex()
const cases = rows.flatMap(casesOf)

/**
 * Problems with a change, found by a line diff: every changed line must turn back into the
 * original line when the old values are written over the new ones at the reported columns,
 * every added line must hold a reported new value, every removed line a reported removed
 * value, and every report must be used. An empty list means only the values changed.
 */
function strayChanges(original: string, updated: string, edits: readonly ValueEdit[]): string[] {
  const problems: string[] = []
  const unused = new Set(edits)
  const take = (line: number) => edits.filter(e => e.line === line && unused.delete(e))
  let newLine = 1
  const parts = diffArrays(original.split('\n'), updated.split('\n'))
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]
    if (!part.added && !part.removed) {
      newLine += part.count ?? part.value.length
    } else if (part.removed && parts[p + 1]?.added) {
      const added = parts[++p].value
      part.value.forEach((old, k) => {
        const now = added[k]
        const line = newLine + k
        if (now === undefined) return problems.push(`line ${line}: removed ${JSON.stringify(old)}`)
        if (!writeBackAll(now, take(line)).includes(old)) {
          problems.push(`line ${line}: ${JSON.stringify(old)} became ${JSON.stringify(now)}`)
        }
      })
      addedBlock(added.slice(part.value.length), newLine + part.value.length)
      newLine += added.length
    } else if (part.added) {
      addedBlock(part.value, newLine)
      newLine += part.value.length
    } else {
      for (const old of part.value) {
        const removal = [...unused].find(
          e => e.after === '' && e.before !== '' && old.includes(e.before)
        )
        if (removal) unused.delete(removal)
        else problems.push(`removed line ${JSON.stringify(old)}`)
      }
    }
  }
  // Added lines hold new values; a new kustomize entry also adds its `name:` (and `images:`).
  function addedBlock(lines: readonly string[], first: number): void {
    const valued = lines.map((now, k) =>
      take(first + k).some(e => e.before === '' && now.includes(e.after))
    )
    lines.forEach((now, k) => {
      const frame = /^\s*(-\s+)?(name: \S.*|images:)\s*$/.test(now) && valued.includes(true)
      if (!valued[k] && !frame) problems.push(`line ${first + k} added: ${JSON.stringify(now)}`)
    })
  }
  for (const edit of unused)
    problems.push(`report of line ${edit.line} (${edit.path}) matches no change`)
  return problems
}

const STYLES = [
  (v: string) => JSON.stringify(v),
  (v: string) => `'${v.replace(/'/g, "''")}'`,
  (v: string) => v
]

/**
 * The line with the edit's new value replaced by the old one, in each way the old value may
 * have been written: any quoting (a dropped digest is written `""`), and for an empty old value
 * nothing at all (`tag:` became `tag: v1`) or a null (`tag: null`, `~`).
 */
function writeBack(line: string, edit: ValueEdit): string[] {
  const at = edit.column - 1
  const style = STYLES.find(render => line.startsWith(render(edit.after), at))
  if (!style) return [`${line} <no ${JSON.stringify(edit.after)} at column ${edit.column}>`]
  const head = line.slice(0, at)
  const tail = line.slice(at + style(edit.after).length)
  const olds = STYLES.map(render => head + render(edit.before) + tail)
  if (edit.before !== '') return olds
  const bare = head.endsWith(': ') ? head.slice(0, -1) : head
  return [...olds, bare + tail, head + 'null' + tail, head + '~' + tail]
}

/** Every way the line may have read before the edits on it. */
function writeBackAll(line: string, edits: readonly ValueEdit[]): string[] {
  const sorted = [...edits].sort((a, b) => b.column - a.column)
  return sorted.reduce<string[]>((lines, edit) => lines.flatMap(l => writeBack(l, edit)), [line])
}

function check({ row, target }: Case) {
  const content = fs.readFileSync(path.join(corpusDir, row.file))
  if (target.key === undefined && !tryParseReference(target.image)) {
    return { errors: [{ code: 'INVALID_REFERENCE' }] }
  }
  // create-missing stays at its default, as for a user: on for kustomize, off otherwise.
  const options: PlanOptions = { key: target.key }
  const updates = [{ image: target.image, tag: NEW_TAG }]
  const plan = planEdits({ files: [{ path: row.path, content }], updates, format: 'auto', options })
  if (plan.errors.length > 0)
    return { errors: plan.errors.map(e => ({ code: e.code, message: e.message })) }
  if (plan.changes.length !== 1)
    return { errors: [{ code: 'NO_CHANGE', message: `${plan.changes.length} changes` }] }
  const [change] = plan.changes
  const again = planEdits({
    files: [{ path: row.path, content: change.after }],
    updates,
    format: 'auto',
    options
  })
  return {
    errors: [],
    // The new tag is written; the only other change allowed is dropping a digest.
    edited:
      change.edits.some(e => e.after.includes(NEW_TAG)) &&
      change.edits.every(
        e => e.after.includes(NEW_TAG) || (e.after === '' && e.path.endsWith('digest'))
      ),
    strayChanges: strayChanges(
      content.toString('utf8'),
      change.after.toString('utf8'),
      change.edits
    ),
    secondRun: {
      changes: again.changes.length,
      errors: again.errors.length,
      unchanged: again.unchanged
    }
  }
}

describe('corpus', () => {
  if (haveCorpus) {
    it('indexes every file of the corpus directories', () => {
      const onDisk = ['kustomization', 'workload', 'helm-values', 'tricky'].flatMap(dir =>
        fs.readdirSync(path.join(corpusDir, dir)).map(name => `${dir}/${name}`)
      )
      expect(rows.map(r => r.file).sort()).toEqual(onDisk.sort())
    })
    it('lists exceptions only for cases that exist', () => {
      const ids = new Set(cases.flatMap(c => [c.row.file, `${c.row.file} :: ${c.target.image}`]))
      expect(Object.keys(EXCEPTIONS).filter(id => !ids.has(id))).toEqual([])
    })
  } else {
    reportMissingShared('the corpus', corpusDir)
  }
})

if (cases.length > 0) {
  describe('a new tag for every image of every corpus file', () => {
    it.each(cases)('$title', c => {
      const result = check(c)
      if (c.exception) {
        expect(result).toEqual({ errors: [expect.objectContaining({ code: c.exception.code })] })
      } else {
        expect(result).toEqual({
          errors: [],
          edited: true,
          strayChanges: [],
          secondRun: { changes: 0, errors: 0, unchanged: [c.row.path] }
        })
      }
    })
  })
}
