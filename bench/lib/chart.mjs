/**
 * A grouped bar chart as a hand-written SVG string (no chart library): one group per
 * repository size, one bar per approach, the median in seconds above each bar.
 */

const WIDTH = 760
const HEIGHT = 420
const MARGIN = { top: 56, right: 24, bottom: 84, left: 64 }
const LEGEND_CHAR_W = 6.6

const escape = text =>
  String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

/** A round axis maximum and tick step (1, 2 or 5 × 10^n) for values up to `max`. */
function axis(max) {
  const rough = Math.max(max, 1e-9) / 5
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= rough) ?? 10 * power
  return { top: Math.ceil(max / step) * step, step }
}

/**
 * @param {{ title: string, subtitle: string, yLabel: string,
 *   series: { key: string, label: string, color: string }[],
 *   groups: { label: string, values: Record<string, number | undefined> }[] }} chart
 *   values in seconds; a missing value leaves its slot empty
 */
export function barChart(chart) {
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const all = chart.groups.flatMap(g => Object.values(g.values).filter(v => v !== undefined))
  const { top, step } = axis(Math.max(...all) * 1.08)
  const y = v => MARGIN.top + plotH - (v / top) * plotH
  const groupW = plotW / chart.groups.length
  const barW = Math.min(56, (groupW * 0.8) / chart.series.length)
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="600" fill="#1f2328">${escape(chart.title)}</text>`,
    `<text x="${MARGIN.left}" y="40" fill="#59636e">${escape(chart.subtitle)}</text>`
  ]
  for (let v = 0; v <= top + step / 2; v += step) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d1d9e0" stroke-width="${v === 0 ? 1.5 : 0.75}"/>`,
      `<text x="${MARGIN.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#59636e">${Number(v.toFixed(6))}</text>`
    )
  }
  out.push(
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#59636e">${escape(chart.yLabel)}</text>`
  )
  chart.groups.forEach((group, gi) => {
    const center = MARGIN.left + groupW * (gi + 0.5)
    const start = center - (barW * chart.series.length) / 2
    chart.series.forEach((series, si) => {
      const value = group.values[series.key]
      if (value === undefined) return
      const x = start + si * barW
      out.push(
        `<rect x="${(x + 2).toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${(y(0) - y(value)).toFixed(1)}" fill="${series.color}"><title>${escape(series.label)}: ${value.toFixed(2)} s</title></rect>`,
        `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(value) - 4).toFixed(1)}" text-anchor="middle" font-size="11" fill="#1f2328">${value < 10 ? value.toFixed(2) : value.toFixed(1)}</text>`
      )
    })
    out.push(
      `<text x="${center.toFixed(1)}" y="${MARGIN.top + plotH + 20}" text-anchor="middle" fill="#1f2328">${escape(group.label)}</text>`
    )
  })
  let lx = MARGIN.left
  let ly = HEIGHT - 38
  for (const series of chart.series) {
    const w = 28 + series.label.length * LEGEND_CHAR_W
    if (lx + w > WIDTH - MARGIN.right) {
      lx = MARGIN.left
      ly += 20
    }
    out.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${series.color}"/>`,
      `<text x="${lx + 18}" y="${ly}" fill="#1f2328">${escape(series.label)}</text>`
    )
    lx += w
  }
  out.push('</svg>')
  return out.join('\n') + '\n'
}
