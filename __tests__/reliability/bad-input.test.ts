/**
 * Issue 6, item 4 — bad and hostile input, through the built action.
 *
 * - Bad inputs (invalid references, oversized tags, control characters and newlines, path
 *   traversal, `.github/`) are refused before any request.
 * - Bad repository content (symlinks, submodules, directories, binary or non-UTF-8 files,
 *   alias bombs, deeply nested or broken YAML, duplicate keys, an error in one document of
 *   several) is refused with a clear error, in bounded time, and nothing is written — also
 *   when other files of the same run were fine.
 * - Hostile but valid values (commit messages, manifests, previous tags and file names that
 *   contain workflow commands) go through without acting as commands.
 * - Large files (2 MB, 10 MB) are read through the blobs API and edited byte-exactly.
 *
 * Every run, whatever its outcome: no workflow command other than the action's own
 * (annotations, groups, debug, the token's mask, stop-commands around untrusted text), and no
 * output that action.yml does not declare.
 */
import { describe, expect, it } from '@jest/globals'
import type { GitHubDouble } from '../support/github-double.mjs'
import type { RunActionResult } from '../support/run-action.js'
import { suiteFigures } from './figures.js'
import {
  deploymentManifest,
  distBuilt,
  errorCodes,
  errorMessages,
  fileText,
  handoff,
  history,
  undeclaredOutputs,
  unexpectedCommands,
  withRepo
} from './harness.js'

const figures = suiteFigures('bad and hostile input')
const describeBuilt = distBuilt() ? describe : describe.skip
if (!distBuilt()) console.log('skipping: dist/index.js is not built (npm run build)')

const IMAGE = 'ghcr.io/acme/app'
const WEB = 'apps/web/deployment.yaml'
const INJECT = '::set-output name=changed::false'

/** Billion laughs: 9 references per level, 12 levels (9^12 nodes if anything expanded them). */
function aliasBomb(withImage: boolean): string {
  const lines = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: bomb']
  lines.push(withImage ? `l0: &l0 [{ name: app, image: "${IMAGE}:1.0.0" }]` : 'l0: &l0 ["lol"]')
  for (let level = 1; level <= 12; level++) {
    lines.push(
      `l${level}: &l${level} [${Array(9)
        .fill(`*l${level - 1}`)
        .join(', ')}]`
    )
  }
  lines.push('spec:', '  template:', '    spec:', '      containers: *l0', '')
  return lines.join('\n')
}

/** A mapping nested `depth` levels deep, the image at the bottom. */
function deeplyNested(depth: number): string {
  const keys = Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`)
  return [
    'apiVersion: v1',
    'kind: Pod',
    ...keys,
    `${' '.repeat(depth)}image: ${IMAGE}:1.0.0`,
    ''
  ].join('\n')
}

const MULTI_DOC_BROKEN = [
  deploymentManifest(`${IMAGE}:1.0.0`),
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: app',
  '  labels: {app: [unclosed',
  ''
].join('\n')

const DUPLICATE_KEYS = deploymentManifest(`${IMAGE}:1.0.0`).replace(
  'kind: Deployment',
  'kind: Deployment\nkind: StatefulSet'
)

const FILES = {
  [WEB]: deploymentManifest(`${IMAGE}:1.0.0`),
  'apps/other/deployment.yaml': deploymentManifest('ghcr.io/acme/other:1.0.0'),
  'apps/bin/deployment.yaml': Buffer.concat([
    Buffer.from('kind: Deployment\n'),
    Buffer.from([0, 1, 2, 0xff])
  ]),
  'apps/latin1/deployment.yaml': Buffer.from(
    deploymentManifest(`${IMAGE}:1.0.0`).replace('# edited by CI', '# café'),
    'latin1'
  ),
  'apps/bomb/deployment.yaml': aliasBomb(false),
  'apps/deep/deployment.yaml': deeplyNested(5000),
  'apps/dup/deployment.yaml': DUPLICATE_KEYS,
  'apps/multi/deployment.yaml': MULTI_DOC_BROKEN,
  '.github/workflows/deploy.yml': `jobs:\n  deploy:\n    container: ${IMAGE}:1.0.0\n`
}
const LINKS = { 'apps/link.yaml': WEB, 'apps/dangling.yaml': 'apps/nowhere.yaml' }
const SUBMODULES = { 'vendor/manifests': '0123456789abcdef0123456789abcdef01234567' }

interface BadCase {
  name: string
  inputs: Record<string, string>
  /** Codes of the `::error` lines, in order. */
  errors: string[]
  /** Refused from the inputs alone: the double must see no request at all. */
  beforeAnyRequest?: boolean
}

const base = { image: IMAGE, tag: '2.0.0', path: WEB }

const BAD_INPUTS: BadCase[] = (<Omit<BadCase, 'beforeAnyRequest'>[]>[
  {
    name: 'image: uppercase path',
    inputs: { ...base, image: 'ghcr.io/Acme/App' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'image: empty tag after ":"',
    inputs: { ...base, image: `${IMAGE}:`, tag: '' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'image: empty path component',
    inputs: { ...base, image: 'ghcr.io//app' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'image: short digest',
    inputs: { ...base, image: `${IMAGE}@sha256:1234`, tag: '' },
    errors: ['INVALID_INPUT']
  },
  { name: 'image: URL', inputs: { ...base, image: `https://${IMAGE}` }, errors: ['INVALID_INPUT'] },
  {
    name: 'image: 300 characters',
    inputs: { ...base, image: `ghcr.io/${'a'.repeat(300)}` },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'image: newline + workflow command',
    inputs: { ...base, image: `${IMAGE}\n${INJECT}` },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'tag: 129 characters',
    inputs: { ...base, tag: 'v'.repeat(129) },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'tag: 10,000 characters',
    inputs: { ...base, tag: '1'.repeat(10_000) },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'tag: newline + set-output',
    inputs: { ...base, tag: `2.0.0\n${INJECT}` },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'tag: CR + add-mask',
    inputs: { ...base, tag: '2.0.0\r::add-mask::2.0.0' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'tag: percent-encoded newline',
    inputs: { ...base, tag: '2.0.0%0A::warning::x' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'tag: BEL, NUL-like and escape characters',
    inputs: { ...base, tag: '2.0\u0007\u001b[31m' },
    errors: ['INVALID_INPUT']
  },
  { name: 'tag: leading dot', inputs: { ...base, tag: '.hidden' }, errors: ['INVALID_INPUT'] },
  {
    name: 'tag: "latest" without allow-latest',
    inputs: { ...base, tag: 'latest' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'tag: disagrees with the one in image',
    inputs: { ...base, image: `${IMAGE}:1.9.9` },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'digest: uppercase hex',
    inputs: { ...base, digest: `sha256:${'A'.repeat(64)}` },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'digest: newline + command',
    inputs: { ...base, digest: `sha256:${'a'.repeat(64)}\n${INJECT}` },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'images: one line invalid, one injecting',
    inputs: { images: `${IMAGE}:2.0.0\nnot a reference!\n${INJECT}`, path: WEB },
    errors: ['INVALID_INPUT', 'INVALID_INPUT']
  },
  {
    name: 'path: ".." segment',
    inputs: { ...base, path: '../other-repo/deployment.yaml' },
    errors: ['INVALID_PATH']
  },
  {
    name: 'path: ".." in the middle',
    inputs: { ...base, path: 'apps/../../etc/passwd' },
    errors: ['INVALID_PATH']
  },
  { name: 'path: absolute', inputs: { ...base, path: '/etc/passwd' }, errors: ['INVALID_PATH'] },
  {
    name: 'path: Windows drive',
    inputs: { ...base, path: 'C:/deploy/app.yaml' },
    errors: ['INVALID_PATH']
  },
  {
    name: 'path: backslashes',
    inputs: { ...base, path: 'apps\\web\\deployment.yaml' },
    errors: ['INVALID_PATH']
  },
  {
    name: 'path: "." segment',
    inputs: { ...base, path: './apps/web/deployment.yaml' },
    errors: ['INVALID_PATH']
  },
  {
    name: 'path: .github/ workflow',
    inputs: { ...base, path: '.github/workflows/deploy.yml' },
    errors: ['INVALID_PATH']
  },
  {
    name: 'path: .GitHub/ in another case',
    inputs: { ...base, path: '.GitHub/workflows/deploy.yml' },
    errors: ['INVALID_PATH']
  },
  {
    name: 'path: glob reaching .github/',
    inputs: { ...base, path: '.git*/workflows/*.yml' },
    errors: ['INVALID_PATH']
  },
  // NUL itself cannot travel in an environment variable, so no runner can pass it.
  {
    name: 'path: control character',
    inputs: { ...base, path: 'apps/web/deployment.yaml\u0001' },
    errors: ['INVALID_PATH']
  },
  {
    name: 'path: one good path, one traversal (nothing is read)',
    inputs: { ...base, path: `${WEB}\n../../secrets.yaml` },
    errors: ['INVALID_PATH']
  },
  {
    name: 'branch: newline + command',
    inputs: { ...base, branch: `main\n${INJECT}` },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'branch: refs/heads/ prefix',
    inputs: { ...base, branch: 'refs/heads/main' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'branch: ".." (revision range)',
    inputs: { ...base, branch: 'main..evil' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'manifest-repo: URL',
    inputs: { ...base, 'manifest-repo': 'https://github.com/acme/deploy.git' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'manifest-repo: newline + command',
    inputs: { ...base, 'manifest-repo': `acme/deploy\n${INJECT}` },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'key: newline + command',
    inputs: { ...base, key: `image.tag\n${INJECT}` },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'pr-title: newline + command',
    inputs: { ...base, mode: 'pull-request', 'pr-title': `Deploy\n${INJECT}` },
    errors: ['INVALID_INPUT']
  },
  { name: 'format: unknown', inputs: { ...base, format: 'toml' }, errors: ['INVALID_INPUT'] },
  { name: 'max-attempts: 0', inputs: { ...base, 'max-attempts': '0' }, errors: ['INVALID_INPUT'] },
  {
    name: 'max-attempts: 1e9',
    inputs: { ...base, 'max-attempts': '1e9' },
    errors: ['INVALID_INPUT']
  },
  {
    name: 'several bad inputs at once: every one reported',
    inputs: {
      image: 'ghcr.io/Acme/App',
      tag: `x\n${INJECT}`,
      path: '../x.yaml',
      'max-attempts': '-1'
    },
    errors: ['INVALID_INPUT', 'INVALID_PATH', 'INVALID_INPUT']
  }
]).map(c => ({ ...c, beforeAnyRequest: true }))

const BAD_CONTENT: BadCase[] = [
  {
    name: 'path is a symlink to a file',
    inputs: { ...base, path: 'apps/link.yaml' },
    errors: ['NOT_A_FILE']
  },
  {
    name: 'path is a dangling symlink',
    inputs: { ...base, path: 'apps/dangling.yaml' },
    errors: ['NOT_A_FILE']
  },
  {
    name: 'path is a submodule',
    inputs: { ...base, path: 'vendor/manifests' },
    errors: ['NOT_A_FILE']
  },
  { name: 'path is a directory', inputs: { ...base, path: 'apps/web' }, errors: ['NOT_A_FILE'] },
  {
    name: 'two files, one a symlink',
    inputs: { ...base, path: `${WEB}\napps/link.yaml` },
    errors: ['NOT_A_FILE']
  },
  {
    name: 'two files, one a submodule',
    inputs: { ...base, path: `${WEB}\nvendor/manifests` },
    errors: ['NOT_A_FILE']
  },
  {
    name: 'binary file (NUL bytes)',
    inputs: { ...base, path: 'apps/bin/deployment.yaml' },
    errors: ['UNSUPPORTED_FILE']
  },
  {
    name: 'non-UTF-8 file (Latin-1)',
    inputs: { ...base, path: 'apps/latin1/deployment.yaml' },
    errors: ['UNSUPPORTED_FILE']
  },
  {
    name: 'two files, one binary: the good one is not written either',
    inputs: { ...base, path: `${WEB}\napps/bin/deployment.yaml` },
    errors: ['UNSUPPORTED_FILE']
  },
  {
    name: 'alias bomb (billion laughs) without the image',
    inputs: { ...base, path: 'apps/bomb/deployment.yaml' },
    errors: ['IMAGE_NOT_FOUND']
  },
  {
    name: 'mapping nested 5,000 levels deep',
    inputs: { ...base, path: 'apps/deep/deployment.yaml' },
    errors: ['PARSE_ERROR']
  },
  {
    name: 'duplicate keys',
    inputs: { ...base, path: 'apps/dup/deployment.yaml' },
    errors: ['PARSE_ERROR']
  },
  {
    name: 'two documents, the second broken (the first holds the image)',
    inputs: { ...base, path: 'apps/multi/deployment.yaml' },
    errors: ['PARSE_ERROR']
  },
  {
    name: 'three files, two broken: both reported, none written',
    inputs: { ...base, path: `${WEB}\napps/dup/deployment.yaml\napps/multi/deployment.yaml` },
    errors: ['PARSE_ERROR', 'PARSE_ERROR']
  },
  {
    name: 'image not in the file',
    inputs: { ...base, path: 'apps/other/deployment.yaml' },
    errors: ['IMAGE_NOT_FOUND']
  },
  {
    name: 'file does not exist',
    inputs: { ...base, path: 'apps/web/deployment.yml' },
    errors: ['FILE_NOT_FOUND']
  },
  {
    name: 'glob matching nothing',
    inputs: { ...base, path: 'apps/*/kustomization.yaml' },
    errors: ['NO_MATCH']
  }
]

/** The common verdicts of a run that must be refused: compared as one value per case. */
function refusal(double: GitHubDouble, run: RunActionResult, before: string[], elapsedMs: number) {
  const messages = errorMessages(run)
  return {
    code: run.code,
    errors: errorCodes(run),
    clear: messages.every(m => m.includes(' — ') && !/Unexpected error|\n\s+at /.test(m)),
    requests: double.log.entries.length,
    writes: double.log.writes().length,
    history: history(double),
    unexpectedCommands: unexpectedCommands(run).map(c => c.line),
    undeclaredOutputs: undeclaredOutputs(run),
    outputs: run.outputs,
    bounded: elapsedMs < 30_000
  }
}

function count(result: ReturnType<typeof refusal>, expected: BadCase, before: string[]): void {
  figures.add('bad inputs tried')
  const clean =
    result.code === 1 &&
    result.clear &&
    result.writes === 0 &&
    result.history.length === before.length &&
    result.unexpectedCommands.length === 0 &&
    result.errors.join() === expected.errors.join()
  figures.add('bad inputs handled (clear error, zero writes)', clean ? 1 : 0)
}

describeBuilt('bad input: a clear error, nothing written, no command injected', () => {
  it.concurrent.each([...BAD_INPUTS, ...BAD_CONTENT])('$name', async c => {
    await withRepo(
      FILES,
      async double => {
        const before = history(double)
        const started = Date.now()
        const run = await handoff(double, c.inputs)
        const result = refusal(double, run, before, Date.now() - started)
        count(result, c, before)
        expect(result).toEqual({
          code: 1,
          errors: c.errors,
          clear: true,
          requests: c.beforeAnyRequest ? 0 : expect.any(Number),
          writes: 0,
          history: before,
          unexpectedCommands: [],
          undeclaredOutputs: [],
          outputs: {},
          bounded: true
        })
      },
      { symlinks: LINKS, submodules: SUBMODULES }
    )
  })
})

interface HostileCase {
  name: string
  files: Record<string, string>
  inputs: Record<string, string>
  /** The file to check, and the bytes it must hold afterwards. */
  expect: { file: string; text: string }
  /** Hostile lines the log shows at a line start (so only stop-commands keeps them inert). */
  printed?: string[]
}

/** Which of `lines` stdout holds as a line of its own once indentation is trimmed, as the runner reads it. */
function printedAsLines(run: RunActionResult, lines: readonly string[]): string[] {
  const shown = new Set(run.stdout.split(/\r?\n/).map(line => line.replace(/^[ -]?\s*/, '')))
  return lines.filter(line => shown.has(line))
}

/** Lines next to the edited one that start (after indentation) with workflow commands. */
const COMMENTED = [
  'apiVersion: v1',
  'kind: Pod',
  'spec:',
  '  containers:',
  '    - args:',
  '        - |',
  `          ${INJECT}`,
  '          ::add-mask::2.0.0',
  `      image: ${IMAGE}:1.0.0 # ::warning::from a comment`,
  '      command: echo',
  '        ::set-env name=NODE_OPTIONS::--require=/tmp/x.js',
  '        ::add-path::/tmp/evil',
  ''
]
const PREVIOUS_INJECT = `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: "${IMAGE}:1.0\\n${INJECT}"\n`

const HOSTILE: HostileCase[] = [
  {
    name: 'commit-message with workflow commands on its own lines',
    files: { [WEB]: deploymentManifest(`${IMAGE}:1.0.0`) },
    inputs: {
      ...base,
      'commit-message': `deploy {tag}\n${INJECT}\n::add-mask::{tag}\n%0A::warning::x`
    },
    expect: { file: WEB, text: deploymentManifest(`${IMAGE}:2.0.0`) }
  },
  {
    name: 'manifest lines that are workflow commands, around the edited line (printed in the diff)',
    files: { 'apps/pod.yaml': COMMENTED.join('\n') },
    inputs: { ...base, path: 'apps/pod.yaml' },
    expect: { file: 'apps/pod.yaml', text: COMMENTED.join('\n').replace(':1.0.0', ':2.0.0') },
    printed: [INJECT, '::add-mask::2.0.0', '::set-env name=NODE_OPTIONS::--require=/tmp/x.js']
  },
  {
    name: 'previous tag in the file holds a newline and a command (goes to previous-tag and the summary)',
    files: { 'apps/pod.yaml': PREVIOUS_INJECT },
    inputs: { ...base, path: 'apps/pod.yaml' },
    expect: {
      file: 'apps/pod.yaml',
      text: `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: "${IMAGE}:2.0.0"\n`
    }
  },
  {
    name: 'file name with "::" and a command in it, reached by a glob',
    files: { [`apps/${INJECT}/deployment.yaml`]: deploymentManifest(`${IMAGE}:1.0.0`) },
    inputs: { ...base, path: 'apps/*/deployment.yaml' },
    expect: { file: `apps/${INJECT}/deployment.yaml`, text: deploymentManifest(`${IMAGE}:2.0.0`) }
  },
  {
    name: 'alias bomb around the image: the anchored value is edited once, in bounded time',
    files: { 'apps/pod.yaml': aliasBomb(true) },
    inputs: { ...base, path: 'apps/pod.yaml' },
    expect: { file: 'apps/pod.yaml', text: aliasBomb(true).replace(':1.0.0', ':2.0.0') }
  }
]

describeBuilt('globs over the whole repository', () => {
  // `path: "**/deployment.yaml"` is allowed (SPEC: `**`); the .github/ matches of a glob are
  // dropped when it is expanded, so the workflow file is never edited.
  // Was: (src/targets.ts, checkPathPattern): a pattern whose first segment is a glob that
  // matches ".github" ("**", "*") is refused as "under .github/" before any request, so
  // `path: "**/deployment.yaml"` (SPEC: "`**` is allowed") can never be used, with a
  // misleading message. expandPatterns already drops .github/ matches; the up-front check
  // should refuse only patterns that can match nothing but .github/ files.
  it('"**/deployment.yaml" edits apps/ and never .github/', async () => {
    const files = {
      [WEB]: deploymentManifest(`${IMAGE}:1.0.0`),
      '.github/deployment.yaml': deploymentManifest(`${IMAGE}:1.0.0`)
    }
    await withRepo(files, async double => {
      const run = await handoff(double, { ...base, path: '**/deployment.yaml' })
      expect({
        code: run.code,
        errors: errorCodes(run),
        files: [fileText(double, WEB), fileText(double, '.github/deployment.yaml')]
      }).toEqual({
        code: 0,
        errors: [],
        files: [deploymentManifest(`${IMAGE}:2.0.0`), deploymentManifest(`${IMAGE}:1.0.0`)]
      })
    })
  })
})

describeBuilt('one image asked for twice', () => {
  // One image named twice in `images` is refused before any request.
  // Was: (src/settings.ts, readUpdates): `images` may name one image twice with different
  // versions (`nginx:1.1` and `nginx:1.2`, or `nginx` and `docker.io/library/nginx`). A
  // kustomization then fails with INVALID_INPUT (kustomize-images.ts), but workload, helm,
  // argocd-source and tag files silently apply the first and drop the second, and the run
  // succeeds. Expected: refused before any request (names compared after normalizeName),
  // naming both lines.
  it('images: "nginx:1.1" and "docker.io/library/nginx:1.2" → INVALID_INPUT, no request', async () => {
    await withRepo({ [WEB]: deploymentManifest('nginx:1.0') }, async double => {
      const run = await handoff(double, {
        images: 'nginx:1.1\ndocker.io/library/nginx:1.2',
        path: WEB
      })
      expect({
        code: run.code,
        errors: errorCodes(run),
        requests: double.log.entries.length
      }).toEqual({
        code: 1,
        errors: ['INVALID_INPUT'],
        requests: 0
      })
    })
  })
})

describeBuilt('text from the repository printed by the log', () => {
  // The promoted tag is validated like the `tag` input.
  // Was: (src/handoff.ts, promotedUpdates): the reference read from the promote-from file is
  // neither validated (a tag holding a newline is written into the target manifest) nor
  // printed safely: "Promoting <image> <tag> from <file>" goes through log.info, so a source
  // file with `image: "app:1.0\n::set-output name=changed::false"` makes the runner set an
  // output and register a mask. Expected: the promoted tag/digest is checked like the `tag`
  // and `digest` inputs (INVALID_INPUT quoting it, nothing written), and file-derived text is
  // printed quoted or inside stop-commands.
  it('promote-from: a source tag with a newline and commands is refused, nothing injected', async () => {
    const source = `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: "${IMAGE}:1.0\\n${INJECT}\\n::add-mask::x"\n`
    const files = { 'apps/dev/pod.yaml': source, [WEB]: deploymentManifest(`${IMAGE}:1.0.0`) }
    await withRepo(files, async double => {
      const run = await handoff(double, {
        image: IMAGE,
        'promote-from': 'apps/dev/pod.yaml',
        path: WEB
      })
      expect({
        code: run.code,
        errors: errorCodes(run),
        writes: double.log.writes().length,
        unexpectedCommands: unexpectedCommands(run).map(c => c.line)
      }).toEqual({ code: 1, errors: ['INVALID_INPUT'], writes: 0, unexpectedCommands: [] })
    })
  })

  // Paths holding control characters are printed JSON-quoted.
  // Was: (src/handoff.ts, runHandoff): the resolved file list is printed with log.info
  // ("Manifest repository …, N file(s): a, b"). Git allows a newline in a file name, so a
  // glob that reaches `apps/x\n::set-output name=changed::false/deployment.yaml` makes the
  // runner obey the second line. Expected: paths printed quoted (JSON) or inside
  // stop-commands, as the diff already is.
  it('a glob reaching a file name with a newline and a command: nothing injected', async () => {
    const name = `apps/x\n${INJECT}/deployment.yaml`
    await withRepo({ [name]: deploymentManifest(`${IMAGE}:1.0.0`) }, async double => {
      const run = await handoff(double, { ...base, path: 'apps/*/deployment.yaml' })
      expect({
        code: run.code,
        unexpectedCommands: unexpectedCommands(run).map(c => c.line),
        undeclaredOutputs: undeclaredOutputs(run)
      }).toEqual({ code: 0, unexpectedCommands: [], undeclaredOutputs: [] })
    })
  })
})

describeBuilt('hostile but valid values: the change lands, nothing acts as a command', () => {
  it.concurrent.each(HOSTILE)('$name', async c => {
    await withRepo(c.files, async double => {
      const started = Date.now()
      const run = await handoff(double, c.inputs)
      const result = {
        code: run.code,
        errors: errorCodes(run),
        printed: c.printed ? printedAsLines(run, c.printed) : [],
        text: fileText(double, c.expect.file),
        unexpectedCommands: unexpectedCommands(run).map(command => command.line),
        undeclaredOutputs: undeclaredOutputs(run),
        changed: run.outputs.changed,
        bounded: Date.now() - started < 30_000
      }
      figures.add('hostile values tried')
      if (result.code === 0 && result.unexpectedCommands.length === 0)
        figures.add('hostile values passed through inert')
      expect(result).toEqual({
        code: 0,
        errors: [],
        printed: c.printed ?? [],
        text: c.expect.text,
        unexpectedCommands: [],
        undeclaredOutputs: [],
        changed: 'true',
        bounded: true
      })
    })
  })
})

/** A workload followed by a ConfigMap whose block scalar brings the file to `bytes`. */
function largeManifest(bytes: number, tag: string): string {
  const head = `${deploymentManifest(`${IMAGE}:${tag}`)}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: payload\ndata:\n  payload: |\n`
  const line = `    ${'x'.repeat(95)}\n`
  return head + line.repeat(Math.ceil((bytes - head.length) / line.length))
}

const MB = 1024 * 1024

describeBuilt('large files: read through the blobs API, edited byte-exactly', () => {
  it.concurrent.each([
    {
      name: '1.5 MB, one file (contents API + blob read)',
      size: 1.5 * MB,
      paths: ['apps/big.yaml']
    },
    { name: '10 MB, one file (contents API + blob read)', size: 10 * MB, paths: ['apps/big.yaml'] },
    {
      name: '10 MB with a small file (GraphQL read; the big file’s text is truncated there)',
      size: 10 * MB,
      paths: ['apps/big.yaml', WEB]
    }
  ])(
    '$name',
    async c => {
      const files = {
        'apps/big.yaml': largeManifest(c.size, '1.0.0'),
        [WEB]: deploymentManifest(`${IMAGE}:1.0.0`)
      }
      await withRepo(files, async double => {
        const started = Date.now()
        const run = await handoff(
          double,
          { ...base, path: c.paths.join('\n') },
          { timeoutMs: 120_000 }
        )
        const big = fileText(double, 'apps/big.yaml')
        const result = {
          code: run.code,
          errors: errorCodes(run),
          exact: big === largeManifest(c.size, '2.0.0'),
          blobReads: double.log.count({
            method: 'GET',
            route: '/repos/{owner}/{repo}/git/blobs/{file_sha}'
          }),
          unexpectedCommands: unexpectedCommands(run).map(command => command.line)
        }
        console.log(`${c.name}: ${Date.now() - started} ms`)
        figures.add('large files edited byte-exactly', result.exact ? 1 : 0)
        expect(result).toEqual({
          code: 0,
          errors: [],
          exact: true,
          blobReads: 1,
          unexpectedCommands: []
        })
      })
    },
    150_000
  )
})
