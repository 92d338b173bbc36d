#!/usr/bin/env node
// Runs the Good-Enough Golfers solver (lib/geneticSolver.js, MIT) headless, once, for g-p-w with a seed.
// Our own driver: the peer's code is not copied here; it is read from the folder given on the command line.
//
//   node benchmarks/peer/run_peer.js PEER_DIR GROUPS SIZE ROUNDS SEED
//
// PEER_DIR is a checkout of github.com/islemaster/good-enough-golfers with lodash 4.17.4 installed in it
// (`npm install --no-save --omit=dev lodash@4.17.4`), the version its web worker loads. The solver runs at its
// own default effort (its constants), without group leaders or pair constraints, as the web page runs it
// by default. Its only randomness is lodash's _.shuffle; the seed drives a lodash context whose Math.random is
// a small seeded generator (mulberry32), so a run is reproducible.
//
// Prints one JSON line on stdout: {groups, size, rounds_asked, rounds_produced, seed, time_s, rounds,
// round_scores, lodash}. time_s is the solver call alone (Node start and loading excluded). The rounds are
// lists of groups of 0-based player numbers; the caller counts repeats itself. Errors: a message on stderr, exit 2.
'use strict'

const fs = require('fs')
const path = require('path')

function fail(message) {
  process.stderr.write(`run_peer.js: ${message}\n`)
  process.exit(2)
}

function mulberry32(seed) {
  let a = seed >>> 0
  return function () {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const args = process.argv.slice(2)
if (args.length !== 5) fail('usage: run_peer.js PEER_DIR GROUPS SIZE ROUNDS SEED')
const peerDir = path.resolve(args[0])
const [groups, size, rounds, seed] = args.slice(1).map(Number)
if (![groups, size, rounds, seed].every(n => Number.isInteger(n) && n >= 0) || groups < 1 || size < 2 || rounds < 1) {
  fail(`GROUPS, SIZE, ROUNDS and SEED must be whole numbers (groups >= 1, size >= 2, rounds >= 1): ${args.slice(1)}`)
}
const solverFile = path.join(peerDir, 'lib', 'geneticSolver.js')
if (!fs.existsSync(solverFile)) fail(`no lib/geneticSolver.js in ${peerDir}`)
let lodashPath
try {
  lodashPath = require.resolve('lodash', { paths: [peerDir] })
} catch (error) {
  fail(`lodash is not installed in ${peerDir}: run \`npm install --no-save --omit=dev lodash@4.17.4\` there`)
}

// A lodash of its own whose Math.random is seeded: _.shuffle draws from it (lodash reads context.Math.random).
const seededMath = Object.create(Math)
seededMath.random = mulberry32(seed)
const _ = require(lodashPath).runInContext({ Math: seededMath })

// The solver file is a browser script declaring a global function over a global `_`: evaluate it with `_` bound.
const source = fs.readFileSync(solverFile, 'utf8')
const geneticSolver = new Function('_', `${source}\nreturn geneticSolver`)(_)

let result = null
const started = process.hrtime.bigint()
geneticSolver(groups, size, rounds, false, [], [], progress => {
  if (progress.done) result = progress
})
const seconds = Number(process.hrtime.bigint() - started) / 1e9
if (result === null) fail('the solver returned without a final result')

process.stdout.write(
  JSON.stringify({
    groups,
    size,
    rounds_asked: rounds,
    rounds_produced: result.rounds.length,
    seed,
    time_s: Math.round(seconds * 1000) / 1000,
    rounds: result.rounds,
    round_scores: result.roundScores,
    lodash: _.VERSION,
  }) + '\n',
)
