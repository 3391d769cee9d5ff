import { editHelmValues } from '../../../src/edit/helm-values.js'
import { readFileSync } from 'node:fs'
it('smoke', () => {
  const t = readFileSync('../shared/corpus/helm-values/bitnami__charts__bitnami__nginx__values.yaml', 'utf8')
  const r = editHelmValues(t, [{ image: 'bitnami/nginx', tag: '1.30.0', digest: 'sha256:' + 'a'.repeat(64) }], { createMissing: false })
  console.log(JSON.stringify(r.ok ? r.edits : r.error))
  const r2 = editHelmValues('{}', [{ image: 'x', tag: 'v2.0.0' }], { createMissing: true, key: 'image.attributes.tag' })
  console.log(JSON.stringify(r2))
  const r3 = editHelmValues('\nimage:\n  attributes:\n    name: repo-name\n', [{ image: 'x', tag: 'v2.0.0' }], { createMissing: true, key: 'image.attributes.tag' })
  console.log(JSON.stringify(r3))
  const r4 = editHelmValues('\nimage:\n  attributes: v1\n', [{ image: 'x', tag: 'v2.0.0' }], { createMissing: true, key: 'image.attributes.tag' })
  console.log(JSON.stringify(r4.ok ? r4 : {...r4.error, message: r4.error.message}))
})
