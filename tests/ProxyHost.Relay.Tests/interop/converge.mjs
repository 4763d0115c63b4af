// Two real Yjs documents synchronised by y-websocket providers through ProxyHost relays.
// Usage: node converge.mjs <serverUrlA> <serverUrlB> <room> <token>
// Exits 0 and prints one JSON line when both documents hold the same text with every edit and each
// client saw the other's awareness state; exits 1 with a reason otherwise (bounded by a timeout).
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const [urlA, urlB, room, token] = process.argv.slice(2)
const timeoutMs = Number(process.env.INTEROP_TIMEOUT_MS ?? 60000)
const fail = (reason) => { console.error(reason); process.exit(1) }
const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms: ${JSON.stringify(state())}`), timeoutMs)

const client = (name, url) => {
  const doc = new Y.Doc()
  // Made while offline: the relay has to carry it to the other side after connecting.
  doc.getText('t').insert(0, `[${name} offline]`)
  // disableBc: both clients live in this process; they must meet through the relay, not a BroadcastChannel.
  const provider = new WebsocketProvider(url, room, doc, { WebSocketPolyfill: WebSocket, params: { token }, disableBc: true })
  provider.awareness.setLocalStateField('user', name)
  return { name, doc, provider }
}

const a = client('A', urlA)
const b = client('B', urlB)
const clients = [a, b]
const text = (c) => c.doc.getText('t').toString()
const sees = (c, other) => [...c.provider.awareness.getStates().values()].some((s) => s.user === other.name)
const state = () => clients.map((c) => ({ name: c.name, synced: c.provider.synced, text: text(c), sees: [...c.provider.awareness.getStates().values()] }))

const until = (predicate) => new Promise((resolve) => {
  const check = () => {
    if (predicate()) {
      clients.forEach((c) => { c.doc.off('update', check); c.provider.off('sync', check); c.provider.awareness.off('change', check) })
      resolve()
    }
  }
  clients.forEach((c) => { c.doc.on('update', check); c.provider.on('sync', check); c.provider.awareness.on('change', check) })
  check()
})

const started = Date.now()
const stage = (name) => console.error(`${name} after ${Date.now() - started} ms`)
await until(() => a.provider.synced && b.provider.synced)
stage('both synced')
a.doc.getText('t').insert(0, '[A online]')
b.doc.getText('t').insert(0, '[B online]')
const pieces = ['[A offline]', '[B offline]', '[A online]', '[B online]']
await until(() => text(a) === text(b) && pieces.every((p) => text(a).includes(p)) && sees(a, b) && sees(b, a))

stage('converged')
clearTimeout(timer)
console.log(JSON.stringify({ converged: true, text: text(a), length: text(a).length }))
clients.forEach((c) => c.provider.destroy())
process.exit(0)
