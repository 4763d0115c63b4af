// Shared by the interop scripts: two real Yjs documents, each with a y-websocket provider.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

export const fail = (reason) => { console.error(reason); process.exit(1) }

/** Connects client A to urlA and B to urlB (same room); each starts with an edit made offline. */
export const startClients = (urlA, urlB, room, token) => {
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
  const state = () => clients.map((c) => ({ name: c.name, synced: c.provider.synced, connected: c.provider.wsconnected, text: text(c) }))
  /** Resolves once predicate() holds, re-checked on every document, sync, status and awareness event. */
  const until = (predicate) => new Promise((resolve) => {
    const events = (c) => [[c.doc, 'update'], [c.provider, 'sync'], [c.provider, 'status'], [c.provider.awareness, 'change']]
    const check = () => {
      if (predicate()) {
        clients.forEach((c) => events(c).forEach(([emitter, name]) => emitter.off(name, check)))
        resolve()
      }
    }
    clients.forEach((c) => events(c).forEach(([emitter, name]) => emitter.on(name, check)))
    check()
  })
  const converged = (pieces) => text(a) === text(b) && pieces.every((p) => text(a).includes(p))
  const started = Date.now()
  const stage = (name) => console.error(`${name} after ${Date.now() - started} ms`)
  const timeoutMs = Number(process.env.INTEROP_TIMEOUT_MS ?? 60000)
  const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms: ${JSON.stringify(state())}`), timeoutMs)
  const finish = () => {
    clearTimeout(timer)
    console.log(JSON.stringify({ converged: true, text: text(a), length: text(a).length }))
    clients.forEach((c) => c.provider.destroy())
    process.exit(0)
  }
  return { a, b, text, sees, until, converged, stage, finish }
}
