/*
 * Typed-message websocket client for ProxyHost's messaging web server, compatible with the
 * NanoLLM/jetson websocket.js (same globals and calls), plus reconnect with backoff.
 *
 * Frame: 32-byte big-endian header (u64 id, u64 timestamp ms, u16 magic 42, u16 type,
 * u32 payload size, 8 bytes metadata) followed by the payload.
 *
 *   connectWebsocket(callback)              same-origin websocket at "ws" next to the page
 *   connectWebsocket(callback, 49000)       the seed's form: ws(s)://host:49000/
 *   connectWebsocket(callback, null, {url, onOpen, onClose, maxDelayMs})
 *   sendWebsocket(payload, type=MESSAGE_JSON, metadata='')
 *   websocketUpload(dataTransfer)           images as MESSAGE_IMAGE, other files as MESSAGE_FILE
 *
 * callback(payload, msg_type, header): JSON is parsed, TEXT is a string, other types an ArrayBuffer.
 */
const MESSAGE_JSON = 0;
const MESSAGE_TEXT = 1;
const MESSAGE_BINARY = 2;
const MESSAGE_FILE = 3;
const MESSAGE_AUDIO = 4;
const MESSAGE_IMAGE = 5;

const WEBSOCKET_HEADER_SIZE = 32;
const WEBSOCKET_MAGIC = 42;
const WEBSOCKET_IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'tiff', 'bmp', 'gif', 'webm', 'webp'];
const WEBSOCKET_MAX_PENDING = 100;

var websocket = null;
var msg_count_tx = 0;

var websocketState = {
  callback: null,
  url: null,
  options: {},
  attempts: 0,
  timer: null,
  pending: [],
};

function websocketUrl(port, options) {
  if (options && options.url) {
    return new URL(options.url, document.baseURI).href.replace(/^http/, 'ws');
  }
  const secure = window.location.protocol === 'https:';
  if (port) {
    return `${secure ? 'wss' : 'ws'}://${window.location.hostname}:${port}/`;
  }
  return new URL('ws', document.baseURI).href.replace(/^http/, 'ws');
}

function connectWebsocket(callback, port = null, options = {}) {
  websocketState.callback = callback;
  websocketState.options = options || {};
  websocketState.url = websocketUrl(port, websocketState.options);
  websocketOpen();
  return websocketState;
}

function websocketOpen() {
  clearTimeout(websocketState.timer);
  const socket = new WebSocket(websocketState.url);
  socket.binaryType = 'arraybuffer';
  websocket = socket;
  socket.addEventListener('open', () => {
    websocketState.attempts = 0;
    msg_count_tx = 0;
    const pending = websocketState.pending.splice(0);
    for (const frame of pending) {
      socket.send(frame);
    }
    if (websocketState.options.onOpen) websocketState.options.onOpen(socket);
  });
  socket.addEventListener('message', websocketListener);
  socket.addEventListener('close', (event) => {
    if (websocket !== socket) return;
    if (websocketState.options.onClose) websocketState.options.onClose(event);
    // Exponential backoff with jitter, capped, so a restarting server is not hammered.
    const maxDelay = websocketState.options.maxDelayMs || 30000;
    const delay = Math.min(maxDelay, 500 * 2 ** websocketState.attempts) * (0.5 + Math.random() / 2);
    websocketState.attempts = Math.min(websocketState.attempts + 1, 16);
    websocketState.timer = setTimeout(websocketOpen, delay);
  });
}

function websocketEncode(payload, type) {
  if (payload instanceof ArrayBuffer || ArrayBuffer.isView(payload) || payload instanceof Blob) {
    return payload;
  }
  if (type === MESSAGE_TEXT && typeof payload === 'string') {
    return new TextEncoder().encode(payload);
  }
  return new TextEncoder().encode(JSON.stringify(payload));
}

function sendWebsocket(payload, type = MESSAGE_JSON, metadata = '') {
  const body = websocketEncode(payload, type);
  const size = body instanceof Blob ? body.size : body.byteLength;
  const header = new ArrayBuffer(WEBSOCKET_HEADER_SIZE);
  const view = new DataView(header);
  view.setBigUint64(0, BigInt(msg_count_tx++));
  view.setBigUint64(8, BigInt(Date.now()));
  view.setUint16(16, WEBSOCKET_MAGIC);
  view.setUint16(18, type);
  view.setUint32(20, size);
  const meta = new TextEncoder().encode(metadata || '').slice(0, 8);
  new Uint8Array(header, 24, 8).set(meta);
  const frame = new Blob([header, body]);
  if (websocket && websocket.readyState === WebSocket.OPEN) {
    websocket.send(frame);
    return true;
  }
  if (websocketState.pending.length < WEBSOCKET_MAX_PENDING) {
    websocketState.pending.push(frame);
    return true;
  }
  console.warn('websocket: not connected and the pending queue is full; message dropped');
  return false;
}

function websocketUpload(dataTransfer) {
  const files = dataTransfer.files || dataTransfer;
  for (const file of files) {
    const extension = file.name.split('.').pop().toLowerCase();
    const type = WEBSOCKET_IMAGE_EXTENSIONS.includes(extension) ? MESSAGE_IMAGE : MESSAGE_FILE;
    sendWebsocket(file, type, extension);
  }
}

function websocketListener(event) {
  const data = event.data;
  if (!(data instanceof ArrayBuffer) || data.byteLength <= WEBSOCKET_HEADER_SIZE) {
    return;
  }
  const view = new DataView(data);
  const header = {
    msg_id: Number(view.getBigUint64(0)),
    timestamp: Number(view.getBigUint64(8)),
    magic: view.getUint16(16),
    msg_type: view.getUint16(18),
    size: view.getUint32(20),
    metadata: new TextDecoder().decode(new Uint8Array(data, 24, 8)).replace(/\0+$/, ''),
  };
  if (header.magic !== WEBSOCKET_MAGIC) {
    console.warn(`websocket: bad magic ${header.magic}; frame dropped`);
    return;
  }
  if (header.size !== data.byteLength - WEBSOCKET_HEADER_SIZE) {
    console.warn(`websocket: header says ${header.size} bytes, got ${data.byteLength - WEBSOCKET_HEADER_SIZE}; frame dropped`);
    return;
  }
  const body = data.slice(WEBSOCKET_HEADER_SIZE);
  let payload = body;
  if (header.msg_type === MESSAGE_JSON) {
    payload = JSON.parse(new TextDecoder().decode(body));
  } else if (header.msg_type === MESSAGE_TEXT) {
    payload = new TextDecoder().decode(body);
  }
  if (websocketState.callback) websocketState.callback(payload, header.msg_type, header);
}
