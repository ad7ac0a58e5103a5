#!/usr/bin/env node
// Front-end build for the Medway Local Area SEND Strategy site.
//
//   npm run build   (node static/build.mjs)
//
// static/scss/main.scss  -> static/build/css/main.css  (sass, compressed; includes @media print)
// static/js/main.mjs     -> static/build/js/main.js    (esbuild, bundled, minified ESM)
// static/images/*        -> static/build/images/
//
// static/build/ is served by Django via STATICFILES_DIRS, so every url() in the
// CSS must be relative (../images/x.svg) for ManifestStaticFilesStorage.
// The build fails (exit 1) on any error, or if GOV.UK-only assets (Crown,
// crest, GDS Transport font, /assets/ URLs) leak into the CSS.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'

import * as esbuild from 'esbuild'
import * as sass from 'sass'

const staticDir = dirname(fileURLToPath(import.meta.url))
const rootDir = dirname(staticDir)
const buildDir = join(staticDir, 'build')

const paths = {
  scss: join(staticDir, 'scss', 'main.scss'),
  css: join(buildDir, 'css', 'main.css'),
  js: join(staticDir, 'js', 'main.mjs'),
  jsOut: join(buildDir, 'js', 'main.js'),
  images: join(staticDir, 'images'),
  imagesOut: join(buildDir, 'images')
}

/** Selectors for GOV.UK-only imagery that we never use (Crown, Royal Arms crest). */
const FORBIDDEN_SELECTOR = /crown|crest|copyright-logo/i

/** Strings that must not appear anywhere in the built CSS. */
const FORBIDDEN_IN_CSS = [
  /GDS Transport/i,
  /crown/i,
  /crest/i,
  /\/assets\//i,
  /\.woff2?\b/i,
  /favicon/i
]

function fail(message) {
  console.error(`build failed: ${message}`)
  process.exit(1)
}

// ---------------------------------------------------------------------------
// Minimal CSS tree walker for Sass's compressed output: removes style rules
// (or individual selectors) matching FORBIDDEN_SELECTOR and any at-rule
// blocks left empty. Quote- and comment-aware, handles nested at-rules.
// ---------------------------------------------------------------------------
function skipString(css, i) {
  const quote = css[i]
  for (i++; i < css.length; i++) {
    if (css[i] === '\\') i++
    else if (css[i] === quote) return i + 1
  }
  throw new Error('Unterminated string in CSS')
}

/** Index just past the block whose opening brace is at css[open]. */
function blockEnd(css, open) {
  let depth = 0
  for (let i = open; i < css.length; ) {
    const c = css[i]
    if (c === '"' || c === "'") { i = skipString(css, i); continue }
    if (c === '/' && css[i + 1] === '*') { i = css.indexOf('*/', i + 2) + 2; continue }
    if (c === '{') depth++
    else if (c === '}' && --depth === 0) return i + 1
    i++
  }
  throw new Error('Unbalanced braces in CSS')
}

/** Split a selector list on top-level commas. */
function splitSelectors(prelude) {
  const parts = []
  let depth = 0
  let start = 0
  for (let i = 0; i < prelude.length; i++) {
    const c = prelude[i]
    if (c === '"' || c === "'") { i = skipString(prelude, i) - 1; continue }
    if (c === '(' || c === '[') depth++
    else if (c === ')' || c === ']') depth--
    else if (c === ',' && depth === 0) { parts.push(prelude.slice(start, i)); start = i + 1 }
  }
  parts.push(prelude.slice(start))
  return parts
}

const GROUPING_AT_RULE = /^@(media|supports|layer|container|document|scope|starting-style)\b/i

function stripRules(css) {
  let out = ''
  let i = 0
  while (i < css.length) {
    const c = css[i]
    // Loud comments (/*! ... */) and whitespace pass through
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2) + 2
      out += css.slice(i, end)
      i = end
      continue
    }
    // Find the end of the prelude: '{' (block) or ';' (statement at-rule)
    let j = i
    while (j < css.length && css[j] !== '{' && css[j] !== ';' && css[j] !== '}') {
      if (css[j] === '"' || css[j] === "'") j = skipString(css, j)
      else j++
    }
    if (j >= css.length || css[j] === '}') { out += css.slice(i, j); i = j + 1; continue }
    const prelude = css.slice(i, j)
    if (css[j] === ';') { out += css.slice(i, j + 1); i = j + 1; continue }

    const end = blockEnd(css, j)
    const body = css.slice(j + 1, end - 1)
    const trimmed = prelude.trim()

    if (GROUPING_AT_RULE.test(trimmed)) {
      const inner = stripRules(body)
      if (inner.trim() !== '') out += `${prelude}{${inner}}`
    } else if (trimmed.startsWith('@')) {
      out += css.slice(i, end) // @font-face, @keyframes, @page … kept as-is
    } else {
      const kept = splitSelectors(prelude).filter((sel) => !FORBIDDEN_SELECTOR.test(sel))
      if (kept.length) out += `${kept.join(',')}{${body}}`
    }
    i = end
  }
  return out
}

// ---------------------------------------------------------------------------

function size(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`
}

function sizes(buf) {
  const gz = gzipSync(buf, { level: 9 }).length
  const br = brotliCompressSync(buf, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 }
  }).length
  return `${size(buf.length)} (gzip ${size(gz)}, br ${size(br)})`
}

function buildCss() {
  const warnings = []
  const result = sass.compile(paths.scss, {
    loadPaths: [join(rootDir, 'node_modules')],
    style: 'compressed',
    sourceMap: false,
    quietDeps: true,
    logger: {
      warn(message, { deprecation, span }) {
        // Deprecations from dependencies are already silenced by quietDeps
        const where = span?.url ? ` (${relative(rootDir, fileURLToPath(span.url))}:${span.start.line + 1})` : ''
        warnings.push(`${deprecation ? 'Deprecation' : 'Warning'}: ${message}${where}`)
      }
    }
  })
  for (const w of warnings) console.warn(`sass ${w}`)

  const css = stripRules(result.css)

  for (const pattern of FORBIDDEN_IN_CSS) {
    const match = css.match(pattern)
    if (match) {
      const at = match.index
      fail(`main.css contains forbidden ${pattern}: …${css.slice(Math.max(0, at - 60), at + 60)}…`)
    }
  }
  for (const [, url] of css.matchAll(/url\(\s*['"]?([^'")]*)/g)) {
    if (!url.startsWith('../images/') && !url.startsWith('data:')) {
      fail(`main.css has a non-relative or unexpected url(${url}); use ../images/…`)
    }
    const file = join(paths.images, url.slice('../images/'.length).split(/[?#]/)[0])
    if (url.startsWith('../images/') && !existsSync(file)) {
      fail(`main.css references missing image ${url}`)
    }
  }

  mkdirSync(dirname(paths.css), { recursive: true })
  const buf = Buffer.from(css)
  writeFileSync(paths.css, buf)
  return buf
}

async function buildJs() {
  const result = await esbuild.build({
    entryPoints: [paths.js],
    outfile: paths.jsOut,
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    target: ['es2018'],
    platform: 'browser',
    legalComments: 'none',
    sourcemap: false,
    write: false,
    logLevel: 'silent'
  })
  for (const w of result.warnings) console.warn(`esbuild warning: ${w.text}`)
  mkdirSync(dirname(paths.jsOut), { recursive: true })
  const buf = Buffer.from(result.outputFiles[0].contents)
  writeFileSync(paths.jsOut, buf)
  return buf
}

// Tiny classic scripts that must run before the page is drawn, copied as they are.
function copyEarlyScripts() {
  const source = join(staticDir, 'js', 'supported.js')
  mkdirSync(dirname(paths.jsOut), { recursive: true })
  cpSync(source, join(dirname(paths.jsOut), 'supported.js'))
}

function copyImages() {
  if (!existsSync(paths.images)) return 0
  cpSync(paths.images, paths.imagesOut, { recursive: true })
  return readdirSync(paths.imagesOut, { recursive: true }).length
}

async function main() {
  const started = Date.now()
  rmSync(buildDir, { recursive: true, force: true })
  const images = copyImages() // first, so the CSS url() check can see them
  const css = buildCss()
  const js = await buildJs()
  copyEarlyScripts()
  console.log(
    `build ok: css/main.css ${sizes(css)}; js/main.js ${sizes(js)}; ` +
      `images ${images} file(s); ${Date.now() - started} ms`
  )
}

main().catch((error) => {
  fail(error?.message?.split('\n')[0] ? error.message : String(error))
})
