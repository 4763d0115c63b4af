// Two real Yjs documents synchronised by y-websocket providers through ProxyHost relays.
// Usage: node converge.mjs <serverUrlA> <serverUrlB> <room> <token>
// Exits 0 and prints one JSON line when both documents hold the same text with every edit and each
// client saw the other's awareness state; exits 1 with a reason otherwise (bounded by a timeout).
import { startClients } from './clients.mjs'

const [urlA, urlB, room, token] = process.argv.slice(2)
const { a, b, sees, until, converged, stage, finish } = startClients(urlA, urlB, room, token)

await until(() => a.provider.synced && b.provider.synced)
stage('both synced')
a.doc.getText('t').insert(0, '[A online]')
b.doc.getText('t').insert(0, '[B online]')
await until(() => converged(['[A offline]', '[B offline]', '[A online]', '[B online]']) && sees(a, b) && sees(b, a))
stage('converged')
finish()
