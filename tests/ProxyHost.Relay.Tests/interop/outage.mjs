// Convergence across an upstream outage. A is on the local relay, B on the upstream relay.
// Usage: node outage.mjs <serverUrlA> <serverUrlB> <room> <token>; driven over stdin/stdout:
//   prints "ready" once both converged; on the stdin line "down" (the test has cut the relays apart)
//   edits both documents and prints "edited"; then, once the test restored the link, prints the
//   converged JSON line and exits 0.
import readline from 'node:readline'
import { startClients, fail } from './clients.mjs'

const [urlA, urlB, room, token] = process.argv.slice(2)
const { a, b, until, converged, stage, finish } = startClients(urlA, urlB, room, token)
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]()
const expect = async (word) => {
  const { value } = await lines.next()
  if (value !== word) fail(`expected "${word}" on stdin, got ${JSON.stringify(value)}`)
}

await until(() => a.provider.synced && b.provider.synced && converged(['[A offline]', '[B offline]']))
stage('ready')
console.log('ready')
await expect('down')
a.doc.getText('t').insert(0, '[A during outage]')
b.doc.getText('t').insert(0, '[B during outage]')
stage('edited')
console.log('edited')
await until(() => converged(['[A offline]', '[B offline]', '[A during outage]', '[B during outage]']))
stage('converged')
finish()
