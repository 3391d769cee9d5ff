/**
 * The helm values editor: real values files from ../shared/corpus/helm-values (read in place)
 * and hand-written cases for keys, quoting, line endings, anchors and create-missing.
 * Corpus cases assert the whole line diff (nothing but the value lines may change) and the
 * reported edits; hand-written cases assert the whole new text and the edits.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { reportMissingShared, sharedPath } from '../../support/shared-fixtures.js'
import { diffArrays } from 'diff'
import { editHelmValues, readHelmValues } from '../../../src/edit/helm-values.js'
import type { EditOptions, EditResult, ImageUpdate } from '../../../src/edit/types.js'
import { readSummary, type ReadCase } from '../../support/read-cases.js'

const corpusDir = sharedPath('corpus', 'helm-values')
const haveCorpus = fs.existsSync(corpusDir)

const DIGEST = `sha256:${'a'.repeat(64)}`
const OLD_DIGEST = `sha256:${'b'.repeat(64)}`
const APP = 'ghcr.io/acme/app'
const NO_KEY: EditOptions = { createMissing: false }

/** The result without noise: text (or the line diff), edits as path@line:column, or the error. */
function summary(result: EditResult, original?: string): unknown {
  if (!result.ok) {
    const { code, line, column } = result.error
    return {
      error: code,
      ...(line ? { at: `${line}:${column}` } : {}),
      message: result.error.message
    }
  }
  const edits = result.edits.map(e => ({
    at: `${e.path}@${e.line}:${e.column}`,
    before: e.before,
    after: e.after,
    previous: e.previous,
    image: e.image
  }))
  return original === undefined
    ? { text: result.text, edits }
    : { diff: lineDiff(original, result.text), edits }
}

/** Removed and added lines, hunk by hunk (CR kept, so CRLF lines show as such). */
function lineDiff(before: string, after: string): { removed?: string[]; added?: string[] }[] {
  return diffArrays(before.split('\n'), after.split('\n'))
    .filter(part => part.added || part.removed)
    .map(part => (part.added ? { added: part.value } : { removed: part.value }))
}

interface CorpusCase {
  readonly name: string
  readonly file: string
  readonly updates: ImageUpdate[]
  readonly options?: EditOptions
  readonly expected: unknown
}

const corpusCases: CorpusCase[] = [
  {
    name: 'podinfo: image.repository + image.tag',
    file: 'stefanprodan__podinfo__charts__podinfo__values.yaml',
    updates: [{ image: 'ghcr.io/stefanprodan/podinfo', tag: '6.15.0' }],
    expected: {
      diff: [{ removed: ['  tag: 6.14.1'] }, { added: ['  tag: 6.15.0'] }],
      edits: [
        {
          at: 'image.tag@11:8',
          before: '6.14.1',
          after: '6.15.0',
          previous: '6.14.1',
          image: 'ghcr.io/stefanprodan/podinfo'
        }
      ]
    }
  },
  {
    name: 'podinfo: the same through key image.tag',
    file: 'stefanprodan__podinfo__charts__podinfo__values.yaml',
    updates: [{ image: 'ghcr.io/stefanprodan/podinfo', tag: '6.15.0' }],
    options: { key: 'image.tag', createMissing: false },
    expected: {
      diff: [{ removed: ['  tag: 6.14.1'] }, { added: ['  tag: 6.15.0'] }],
      edits: [
        {
          at: 'image.tag@11:8',
          before: '6.14.1',
          after: '6.15.0',
          previous: '6.14.1',
          image: 'ghcr.io/stefanprodan/podinfo'
        }
      ]
    }
  },
  {
    name: 'podinfo: redis `docker.io/redis` is found as `redis`; podinfo is untouched',
    file: 'stefanprodan__podinfo__charts__podinfo__values.yaml',
    updates: [{ image: 'redis', tag: '8.8.1' }],
    expected: {
      diff: [{ removed: ['  tag: 8.8.0'] }, { added: ['  tag: 8.8.1'] }],
      edits: [
        {
          at: 'redis.tag@174:8',
          before: '8.8.0',
          after: '8.8.1',
          previous: '8.8.0',
          image: 'redis'
        }
      ]
    }
  },
  {
    name: 'bitnami: registry + repository joined; tag and digest set (digest "" was empty)',
    file: 'bitnami__charts__bitnami__nginx__values.yaml',
    updates: [{ image: 'docker.io/bitnami/nginx', tag: '1.29.2-debian-12-r0', digest: DIGEST }],
    expected: {
      diff: [
        { removed: ['  tag: 1.29.1-debian-12-r0', '  digest: ""'] },
        { added: ['  tag: 1.29.2-debian-12-r0', `  digest: "${DIGEST}"`] }
      ],
      edits: [
        {
          at: 'image.tag@89:8',
          before: '1.29.1-debian-12-r0',
          after: '1.29.2-debian-12-r0',
          previous: '1.29.1-debian-12-r0',
          image: 'docker.io/bitnami/nginx'
        },
        {
          at: 'image.digest@90:11',
          before: '',
          after: DIGEST,
          previous: '1.29.1-debian-12-r0',
          image: 'docker.io/bitnami/nginx'
        }
      ]
    }
  },
  {
    name: 'bitnami: the repository alone (bitnami/nginx) matches registry docker.io',
    file: 'bitnami__charts__bitnami__nginx__values.yaml',
    updates: [{ image: 'bitnami/nginx', tag: '1.29.2-debian-12-r0' }],
    expected: {
      diff: [
        { removed: ['  tag: 1.29.1-debian-12-r0'] },
        { added: ['  tag: 1.29.2-debian-12-r0'] }
      ],
      edits: [
        {
          at: 'image.tag@89:8',
          before: '1.29.1-debian-12-r0',
          after: '1.29.2-debian-12-r0',
          previous: '1.29.1-debian-12-r0',
          image: 'bitnami/nginx'
        }
      ]
    }
  },
  {
    name: 'helm-dependency: tag-only override through key wordpress.image.tag, comment kept',
    file: 'argoproj__argocd-example-apps__helm-dependency__values.yaml',
    updates: [{ image: 'bitnami/wordpress', tag: '6.5.0' }],
    options: { key: 'wordpress.image.tag', createMissing: false },
    expected: {
      diff: [
        {
          removed: [
            '    tag: invalid #break this app on purpose until a dedicated broken app is created'
          ]
        },
        {
          added: [
            '    tag: 6.5.0 #break this app on purpose until a dedicated broken app is created'
          ]
        }
      ],
      edits: [
        {
          at: 'wordpress.image.tag@3:10',
          before: 'invalid',
          after: '6.5.0',
          previous: 'invalid',
          image: 'bitnami/wordpress'
        }
      ]
    }
  },
  {
    name: 'helm-dependency: without key the tag-only override names no image',
    file: 'argoproj__argocd-example-apps__helm-dependency__values.yaml',
    updates: [{ image: 'bitnami/wordpress', tag: '6.5.0' }],
    expected: {
      error: 'IMAGE_NOT_FOUND',
      message:
        'No image setting for "bitnami/wordpress" found: the file has no image map (repository/tag) and no image value'
    }
  },
  {
    name: 'Online Boutique: an empty double-quoted tag is set, quotes kept',
    file: 'GoogleCloudPlatform__microservices-demo__helm-chart__values.yaml',
    updates: [
      { image: 'us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo', tag: 'v0.10.3' }
    ],
    expected: {
      diff: [{ removed: ['  tag: ""'] }, { added: ['  tag: "v0.10.3"'] }],
      edits: [
        {
          at: 'images.tag@22:8',
          before: '',
          after: 'v0.10.3',
          previous: '',
          image: 'us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo'
        }
      ]
    }
  },
  {
    name: 'Flux HelmRelease: spec.values.redis',
    file: 'fluxcd__flux2-kustomize-helm-example__apps__base__podinfo__release.yaml',
    updates: [{ image: 'public.ecr.aws/docker/library/redis', tag: '8.6.3' }],
    expected: {
      diff: [{ removed: ['      tag: 8.6.2'] }, { added: ['      tag: 8.6.3'] }],
      edits: [
        {
          at: 'spec.values.redis.tag@27:12',
          before: '8.6.2',
          after: '8.6.3',
          previous: '8.6.2',
          image: 'public.ecr.aws/docker/library/redis'
        }
      ]
    }
  },
  {
    name: 'ingress-nginx {image, tag, digest}: a new tag empties the old digest (digestChroot is another image)',
    file: 'kubernetes__ingress-nginx__charts__ingress-nginx__values.yaml',
    updates: [{ image: 'ingress-nginx/controller', tag: 'v1.16.0' }],
    expected: {
      diff: [
        {
          removed: [
            '    tag: "v1.15.1"',
            '    digest: sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1'
          ]
        },
        { added: ['    tag: "v1.16.0"', '    digest: ""'] }
      ],
      edits: [
        {
          at: 'controller.image.tag@33:10',
          before: 'v1.15.1',
          after: 'v1.16.0',
          previous: 'v1.15.1',
          image: 'ingress-nginx/controller'
        },
        {
          at: 'controller.image.digest@34:13',
          before: 'sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1',
          after: '',
          previous: 'v1.15.1',
          image: 'ingress-nginx/controller'
        }
      ]
    }
  },
  {
    name: 'kube-prometheus-stack: `sha` takes the hex digest alone',
    file: 'prometheus-community__helm-charts__charts__kube-prometheus-stack__values.yaml',
    updates: [{ image: 'quay.io/prometheus/alertmanager', tag: 'v0.35.0', digest: DIGEST }],
    expected: {
      diff: [
        { removed: ['      tag: v0.34.0', '      sha: ""'] },
        { added: ['      tag: v0.35.0', `      sha: "${'a'.repeat(64)}"`] }
      ],
      edits: [
        {
          at: 'alertmanager.alertmanagerSpec.image.tag@1021:12',
          before: 'v0.34.0',
          after: 'v0.35.0',
          previous: 'v0.34.0',
          image: 'quay.io/prometheus/alertmanager'
        },
        {
          at: 'alertmanager.alertmanagerSpec.image.sha@1022:12',
          before: '',
          after: 'a'.repeat(64),
          previous: 'v0.34.0',
          image: 'quay.io/prometheus/alertmanager'
        }
      ]
    }
  }
]

describe('editHelmValues on the corpus', () => {
  if (!haveCorpus) {
    reportMissingShared('the helm values corpus', corpusDir)
    return
  }
  it.each(corpusCases)('$name', ({ file, updates, options, expected }) => {
    const text = fs.readFileSync(path.join(corpusDir, file), 'utf8')
    expect(summary(editHelmValues(text, updates, options ?? NO_KEY), text)).toEqual(expected)
  })
})

interface TextCase {
  readonly name: string
  readonly text: string
  readonly updates: ImageUpdate[]
  readonly options?: EditOptions
  readonly expected: unknown
}

const keyed = (key: string, createMissing = false): EditOptions => ({ key, createMissing })

const textCases: TextCase[] = [
  {
    name: 'a literal dotted key `image.tag:` is found when there is no nested path',
    text: 'image.tag: 1.0.0\nimage.repository: ghcr.io/acme/app\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('image.tag'),
    expected: {
      text: 'image.tag: 1.1.0\nimage.repository: ghcr.io/acme/app\n',
      edits: [
        { at: 'image.tag@1:12', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP }
      ]
    }
  },
  {
    name: 'a mixed prefix: `server:` holding the dotted key `image.tag`',
    text: 'server:\n  image.tag: 1.0.0\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('server.image.tag'),
    expected: {
      text: 'server:\n  image.tag: 1.1.0\n',
      edits: [
        {
          at: 'server.image.tag@2:14',
          before: '1.0.0',
          after: '1.1.0',
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'images[1].tag indexes a list',
    text: 'images:\n  - name: a\n    tag: 1.0.0\n  - name: b\n    tag: 2.0.0\n',
    updates: [{ image: APP, tag: '2.1.0' }],
    options: keyed('images[1].tag'),
    expected: {
      text: 'images:\n  - name: a\n    tag: 1.0.0\n  - name: b\n    tag: 2.1.0\n',
      edits: [
        { at: 'images[1].tag@5:10', before: '2.0.0', after: '2.1.0', previous: '2.0.0', image: APP }
      ]
    }
  },
  {
    name: 'CRLF: the value changes, the line endings stay',
    text: 'image:\r\n  repository: ghcr.io/acme/app\r\n  tag: 1.0.0\r\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      text: 'image:\r\n  repository: ghcr.io/acme/app\r\n  tag: 1.1.0\r\n',
      edits: [
        { at: 'image.tag@3:8', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP }
      ]
    }
  },
  {
    name: 'CRLF: an added digest line gets CRLF',
    text: 'image:\r\n  repository: ghcr.io/acme/app\r\n  tag: 1.0.0\r\n  pullPolicy: Always\r\n',
    updates: [{ image: APP, tag: '1.1.0', digest: DIGEST }],
    expected: {
      text: `image:\r\n  repository: ghcr.io/acme/app\r\n  tag: 1.1.0\r\n  digest: ${DIGEST}\r\n  pullPolicy: Always\r\n`,
      edits: [
        { at: 'image.tag@3:8', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP },
        { at: 'image.digest@4:11', before: '', after: DIGEST, previous: '1.0.0', image: APP }
      ]
    }
  },
  {
    name: 'a BOM stays, and columns count it as the yaml library does',
    text: '\uFEFFimage: {repository: ghcr.io/acme/app, tag: 1.0.0}\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      text: '\uFEFFimage: {repository: ghcr.io/acme/app, tag: 1.1.0}\n',
      edits: [
        { at: 'image.tag@1:45', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP }
      ]
    }
  },
  {
    name: 'comments on the tag line and single quotes are kept',
    text: 'image:\n  repository: ghcr.io/acme/app # app\n  tag: \'1.0.0\'   # {"$imagepolicy": "flux:app:tag"}\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      text: 'image:\n  repository: ghcr.io/acme/app # app\n  tag: \'1.1.0\'   # {"$imagepolicy": "flux:app:tag"}\n',
      edits: [
        { at: 'image.tag@3:8', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP }
      ]
    }
  },
  ...(['1.20', '0755', 'true', 'null'] as const).map(tag => ({
    name: `a plain value YAML would not read as a string (${tag}) is written double-quoted`,
    text: 'image:\n  repository: ghcr.io/acme/app\n  tag: v1\n',
    updates: [{ image: APP, tag }],
    expected: {
      text: `image:\n  repository: ghcr.io/acme/app\n  tag: "${tag}"\n`,
      edits: [{ at: 'image.tag@3:8', before: 'v1', after: tag, previous: 'v1', image: APP }]
    }
  })),
  {
    name: 'a number written plain (tag: 1.20) is read by its source text',
    text: 'image:\n  repository: ghcr.io/acme/app\n  tag: 1.20\n',
    updates: [{ image: APP, tag: '1.21' }],
    expected: {
      text: 'image:\n  repository: ghcr.io/acme/app\n  tag: "1.21"\n',
      edits: [{ at: 'image.tag@3:8', before: '1.20', after: '1.21', previous: '1.20', image: APP }]
    }
  },
  {
    name: 'an empty `tag:` (null) gets a space and the value',
    text: 'image:\n  repository: ghcr.io/acme/app\n  tag:\n  pullPolicy: Always\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      text: 'image:\n  repository: ghcr.io/acme/app\n  tag: 1.1.0\n  pullPolicy: Always\n',
      edits: [{ at: 'image.tag@3:8', before: '', after: '1.1.0', previous: '', image: APP }]
    }
  },
  {
    name: 'a tag alone empties a non-empty digest (bitnami prefers the digest)',
    text: `image:\n  registry: ghcr.io\n  repository: acme/app\n  tag: 1.0.0\n  digest: "${OLD_DIGEST}"\n`,
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      text: 'image:\n  registry: ghcr.io\n  repository: acme/app\n  tag: 1.1.0\n  digest: ""\n',
      edits: [
        { at: 'image.tag@4:8', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP },
        { at: 'image.digest@5:11', before: OLD_DIGEST, after: '', previous: '1.0.0', image: APP }
      ]
    }
  },
  {
    name: 'a digest alone sets the digest and keeps the tag',
    text: `image:\n  repository: ghcr.io/acme/app\n  tag: 1.0.0\n  digest: ""\n`,
    updates: [{ image: APP, digest: DIGEST }],
    expected: {
      text: `image:\n  repository: ghcr.io/acme/app\n  tag: 1.0.0\n  digest: "${DIGEST}"\n`,
      edits: [{ at: 'image.digest@4:11', before: '', after: DIGEST, previous: '1.0.0', image: APP }]
    }
  },
  {
    name: '`image: repo:tag` strings are rewritten by the reference rules',
    text: `sidecar:\n  image: ghcr.io/acme/app:1.0.0@${OLD_DIGEST}\napp:\n  image: "ghcr.io/acme/app"\n`,
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      text: 'sidecar:\n  image: ghcr.io/acme/app:1.1.0\napp:\n  image: "ghcr.io/acme/app:1.1.0"\n',
      edits: [
        {
          at: 'sidecar.image@2:10',
          before: `${APP}:1.0.0@${OLD_DIGEST}`,
          after: `${APP}:1.1.0`,
          previous: '1.0.0',
          image: APP
        },
        { at: 'app.image@4:10', before: APP, after: `${APP}:1.1.0`, previous: '', image: APP }
      ]
    }
  },
  {
    name: 'several images in one run; another image stays',
    text: 'api:\n  image: {repository: ghcr.io/acme/api, tag: "1"}\nweb:\n  image: {repository: ghcr.io/acme/web, tag: "1"}\ndb:\n  image: {repository: postgres, tag: "16"}\n',
    updates: [
      { image: 'ghcr.io/acme/web', tag: '2' },
      { image: 'ghcr.io/acme/api', tag: '3' },
      { image: 'ghcr.io/acme/gone', tag: '4' }
    ],
    expected: {
      text: 'api:\n  image: {repository: ghcr.io/acme/api, tag: "3"}\nweb:\n  image: {repository: ghcr.io/acme/web, tag: "2"}\ndb:\n  image: {repository: postgres, tag: "16"}\n',
      edits: [
        {
          at: 'api.image.tag@2:46',
          before: '1',
          after: '3',
          previous: '1',
          image: 'ghcr.io/acme/api'
        },
        {
          at: 'web.image.tag@4:46',
          before: '1',
          after: '2',
          previous: '1',
          image: 'ghcr.io/acme/web'
        }
      ]
    }
  },
  {
    name: 'the desired value already: ok, nothing changes',
    text: 'image:\n  repository: ghcr.io/acme/app\n  tag: 1.1.0\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: { text: 'image:\n  repository: ghcr.io/acme/app\n  tag: 1.1.0\n', edits: [] }
  },
  {
    name: 'IMAGE_NOT_FOUND names the images the file has',
    text: 'image:\n  repository: ghcr.io/acme/other\n  tag: 1.0.0\nside:\n  image: busybox:1.36\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      error: 'IMAGE_NOT_FOUND',
      message:
        'No image setting for "ghcr.io/acme/app" found; the file references "ghcr.io/acme/other", "busybox"'
    }
  },
  {
    name: 'an image map without a tag key is an error without create-missing',
    text: 'image:\n  repository: ghcr.io/acme/app\n  pullPolicy: Always\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      error: 'KEY_NOT_FOUND',
      at: '2:3',
      message: 'The image map "image" for "ghcr.io/acme/app" (line 2) has no `tag` key'
    }
  },
  {
    name: 'create-missing adds the tag after the repository',
    text: 'image:\n  repository: ghcr.io/acme/app # where\n  pullPolicy: Always\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: { createMissing: true },
    expected: {
      text: 'image:\n  repository: ghcr.io/acme/app # where\n  tag: 1.1.0\n  pullPolicy: Always\n',
      edits: [{ at: 'image.tag@3:8', before: '', after: '1.1.0', previous: '', image: APP }]
    }
  },
  {
    name: 'anchors: the anchored map is edited once, its alias follows',
    text: 'base: &img\n  repository: ghcr.io/acme/app\n  tag: 1.0.0\nother:\n  image: *img\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      text: 'base: &img\n  repository: ghcr.io/acme/app\n  tag: 1.1.0\nother:\n  image: *img\n',
      edits: [
        { at: 'base.tag@3:8', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP }
      ]
    }
  },
  {
    name: 'anchors: a tag shared through an alias is edited once, at the anchor',
    text: 'a:\n  repository: ghcr.io/acme/app\n  tag: &v 1.0.0\nb:\n  repository: ghcr.io/acme/app\n  tag: *v\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      text: 'a:\n  repository: ghcr.io/acme/app\n  tag: &v 1.1.0\nb:\n  repository: ghcr.io/acme/app\n  tag: *v\n',
      edits: [{ at: 'a.tag@3:11', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP }]
    }
  },
  {
    name: 'anchors: a `<<` merge supplies the repository, the map keeps its own tag',
    text: 'base: &b\n  repository: ghcr.io/acme/app\n  tag: 1.0.0\nsidecar:\n  <<: *b\n  tag: 0.9.0\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: {
      text: 'base: &b\n  repository: ghcr.io/acme/app\n  tag: 1.1.0\nsidecar:\n  <<: *b\n  tag: 1.1.0\n',
      edits: [
        { at: 'base.tag@3:8', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP },
        { at: 'sidecar.tag@6:8', before: '0.9.0', after: '1.1.0', previous: '0.9.0', image: APP }
      ]
    }
  },
  {
    name: 'anchors: one tag shared by two images that get different tags is refused',
    text: 'a:\n  repository: ghcr.io/acme/a\n  tag: &v 1.0.0\nb:\n  repository: ghcr.io/acme/b\n  tag: *v\n',
    updates: [
      { image: 'ghcr.io/acme/a', tag: '2' },
      { image: 'ghcr.io/acme/b', tag: '3' }
    ],
    expected: {
      error: 'UNSUPPORTED_FILE',
      at: '3:11',
      message:
        'The value at line 3 would be set to two different values (for "ghcr.io/acme/a" and "ghcr.io/acme/b")'
    }
  },
  {
    name: 'key: a full reference at `image`',
    text: 'server:\n  image: ghcr.io/acme/app:1.0.0\n',
    updates: [{ image: APP, tag: '1.1.0', digest: DIGEST }],
    options: keyed('server.image'),
    expected: {
      text: `server:\n  image: ghcr.io/acme/app:1.1.0@${DIGEST}\n`,
      edits: [
        {
          at: 'server.image@2:10',
          before: `${APP}:1.0.0`,
          after: `${APP}:1.1.0@${DIGEST}`,
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'key: a reference to another image is refused',
    text: 'server:\n  image: nginx:1.27\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('server.image'),
    expected: {
      error: 'IMAGE_NOT_FOUND',
      at: '2:10',
      message:
        'The key "server.image" (line 2) holds "nginx:1.27", a reference to "nginx", not to "ghcr.io/acme/app"'
    }
  },
  {
    name: 'key: a tag whose map names another repository is refused',
    text: 'image:\n  repository: nginx\n  tag: 1.27\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('image.tag'),
    expected: {
      error: 'IMAGE_NOT_FOUND',
      at: '3:8',
      message: 'The key "image.tag" (line 3) sets the tag of "nginx", not of "ghcr.io/acme/app"'
    }
  },
  {
    name: 'key: a tag key sets the tag and the map`s digest follows',
    text: `image:\n  repository: ghcr.io/acme/app\n  tag: 1.0.0\n  digest: ${OLD_DIGEST}\n`,
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('image.tag'),
    expected: {
      text: 'image:\n  repository: ghcr.io/acme/app\n  tag: 1.1.0\n  digest: ""\n',
      edits: [
        { at: 'image.tag@3:8', before: '1.0.0', after: '1.1.0', previous: '1.0.0', image: APP },
        { at: 'image.digest@4:11', before: OLD_DIGEST, after: '', previous: '1.0.0', image: APP }
      ]
    }
  },
  {
    name: 'key: a tag written as tag@digest keeps that form with a new digest',
    text: `image:\n  tag: 1.0.0@${OLD_DIGEST}\n`,
    updates: [{ image: APP, tag: '1.1.0', digest: DIGEST }],
    options: keyed('image.tag'),
    expected: {
      text: `image:\n  tag: 1.1.0@${DIGEST}\n`,
      edits: [
        {
          at: 'image.tag@2:8',
          before: `1.0.0@${OLD_DIGEST}`,
          after: `1.1.0@${DIGEST}`,
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'key: a tag written as tag@digest loses the digest with a new tag alone',
    text: `image:\n  tag: 1.0.0@${OLD_DIGEST}\n`,
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('image.tag'),
    expected: {
      text: 'image:\n  tag: 1.1.0\n',
      edits: [
        {
          at: 'image.tag@2:8',
          before: `1.0.0@${OLD_DIGEST}`,
          after: '1.1.0',
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'key: a digest-only update for a tag key is refused',
    text: 'image:\n  tag: 1.0.0\n',
    updates: [{ image: APP, digest: DIGEST }],
    options: keyed('image.tag'),
    expected: {
      error: 'INVALID_INPUT',
      at: '2:8',
      message:
        'The key at "image.tag" (line 2) holds a tag, but the update of "ghcr.io/acme/app" has only a digest'
    }
  },
  {
    name: 'key: a digest-only update for a key ending in digest',
    text: 'image:\n  tag: 1.0.0\n  digest: ""\n',
    updates: [{ image: APP, digest: DIGEST }],
    options: keyed('image.digest'),
    expected: {
      text: `image:\n  tag: 1.0.0\n  digest: "${DIGEST}"\n`,
      edits: [{ at: 'image.digest@3:11', before: '', after: DIGEST, previous: '', image: APP }]
    }
  },
  {
    name: 'key: the repository is not a value we set',
    text: 'image:\n  repository: ghcr.io/acme/app\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('image.repository'),
    expected: {
      error: 'INVALID_INPUT',
      at: '2:15',
      message:
        'The key "image.repository" (line 2) names the repository; gitops-handoff sets tags and digests, not repositories'
    }
  },
  {
    name: 'KEY_NOT_FOUND names the deepest existing parent with its line and column',
    text: 'global: {}\nserver:\n  image:\n    repository: ghcr.io/acme/app\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('server.image.tag'),
    expected: {
      error: 'KEY_NOT_FOUND',
      at: '3:3',
      message:
        'The key "server.image.tag" was not found: "server.image" (line 3, column 3) has no key "tag"'
    }
  },
  {
    name: 'KEY_NOT_FOUND at the root',
    text: 'global: {}\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('server.image.tag'),
    expected: {
      error: 'KEY_NOT_FOUND',
      at: '1:1',
      message:
        'The key "server.image.tag" was not found: the document root (line 1, column 1) has no key "server"'
    }
  },
  {
    name: 'KEY_NOT_FOUND for an index past the end',
    text: 'images:\n  - tag: 1\n',
    updates: [{ image: APP, tag: '2' }],
    options: keyed('images[1].tag', true),
    expected: {
      error: 'KEY_NOT_FOUND',
      at: '1:1',
      message:
        'The key "images[1].tag" was not found: "images" (line 1, column 1) has 1 item(s), so there is no item [1]'
    }
  },
  {
    name: 'create-missing: the missing path under the deepest parent, 2 deeper each level',
    text: 'server:\n  replicas: 2 # two\nother: x\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('server.image.tag', true),
    expected: {
      text: 'server:\n  replicas: 2 # two\n  image:\n    tag: 1.1.0\nother: x\n',
      edits: [{ at: 'server.image.tag@4:10', before: '', after: '1.1.0', previous: '', image: APP }]
    }
  },
  {
    name: 'create-missing: at the end of a CRLF file without a final newline',
    text: 'server:\r\n  replicas: 2',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('server.image.tag', true),
    expected: {
      text: 'server:\r\n  replicas: 2\r\n  image:\r\n    tag: 1.1.0',
      edits: [{ at: 'server.image.tag@4:10', before: '', after: '1.1.0', previous: '', image: APP }]
    }
  },
  {
    name: 'create-missing: a key named image gets the whole reference; quoting as needed',
    text: '',
    updates: [{ image: APP, tag: '1.20' }],
    options: keyed('worker.image', true),
    expected: {
      text: 'worker:\n  image: ghcr.io/acme/app:1.20\n',
      edits: [
        { at: 'worker.image@2:10', before: '', after: `${APP}:1.20`, previous: '', image: APP }
      ]
    }
  },
  {
    name: 'create-missing: a tag that needs quotes is quoted',
    text: 'image: {}\n',
    updates: [{ image: APP, tag: '1.20' }],
    options: keyed('image.tag', true),
    expected: {
      text: 'image: {tag: "1.20"}\n',
      edits: [{ at: 'image.tag@1:14', before: '', after: '1.20', previous: '', image: APP }]
    }
  },
  {
    name: 'create-missing does not replace a scalar with a map',
    text: 'image: ghcr.io/acme/app\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('image.tag', true),
    expected: {
      error: 'KEY_NOT_FOUND',
      at: '1:1',
      message:
        'The key "image.tag" was not found: "image" (line 1, column 1) is the scalar "ghcr.io/acme/app", not a map with the key "tag"'
    }
  },
  {
    name: 'a malformed key is refused before the file is read',
    text: 'image: {}\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    options: keyed('images[x].tag'),
    expected: {
      error: 'INVALID_INPUT',
      message: 'The key "images[x].tag" has the list index "x", which is not a non-negative integer'
    }
  },
  {
    name: 'a YAML syntax error is PARSE_ERROR with its position',
    text: 'image:\n  tag: [1.0\n',
    updates: [{ image: APP, tag: '1.1.0' }],
    expected: expect.objectContaining({
      error: 'PARSE_ERROR',
      at: expect.stringMatching(/^\d+:\d+$/)
    })
  }
]

describe('editHelmValues', () => {
  it.each(textCases)('$name', ({ text, updates, options, expected }) => {
    expect(summary(editHelmValues(text, updates, options ?? NO_KEY))).toEqual(expected)
  })
})

const readCases: ReadCase[] = [
  {
    name: 'an image map: tag and digest',
    text: `image:\n  repository: ghcr.io/acme/app\n  tag: 1.0.0\n  digest: ${OLD_DIGEST}\n`,
    image: APP,
    expected: { image: APP, tag: '1.0.0', digest: OLD_DIGEST }
  },
  {
    name: 'an image string',
    text: 'image: ghcr.io/acme/app:1.0.0\n',
    image: APP,
    expected: { image: APP, tag: '1.0.0' }
  },
  {
    name: 'a key',
    text: 'wordpress:\n  image:\n    tag: "6.4"\n',
    image: 'bitnami/wordpress',
    options: keyed('wordpress.image.tag'),
    expected: { image: 'bitnami/wordpress', tag: '6.4' }
  },
  {
    name: 'a key holding tag@digest',
    text: `image:\n  tag: 1.0.0@${OLD_DIGEST}\n`,
    image: APP,
    options: keyed('image.tag'),
    expected: { image: APP, tag: '1.0.0', digest: OLD_DIGEST }
  },
  {
    name: 'two different versions of the image are ambiguous',
    text: 'a:\n  image: ghcr.io/acme/app:1.0.0\nb:\n  image: ghcr.io/acme/app:2.0.0\n',
    image: APP,
    expected: {
      error: 'UNSUPPORTED_FILE',
      message:
        'The file sets "ghcr.io/acme/app" to different versions: ":1.0.0" (line 2), ":2.0.0" (line 4)'
    }
  },
  {
    name: 'an image the file does not set',
    text: 'image: busybox:1.36\n',
    image: APP,
    expected: {
      error: 'IMAGE_NOT_FOUND',
      message: 'No image setting for "ghcr.io/acme/app" found; the file references "busybox"'
    }
  }
]

describe('readHelmValues', () => {
  it.each(readCases)('$name', ({ text, image, options, expected }) => {
    expect(readSummary(readHelmValues(text, image ?? APP, options ?? NO_KEY), true)).toEqual(
      expected
    )
  })
})
