// The example page: sends each message type with websocket.js and lists what the server replies.
const TYPE_NAMES = ['json', 'text', 'binary', 'file', 'audio', 'image'];

function show(kind, text) {
  const item = document.createElement('li');
  item.dataset.type = kind;
  item.textContent = `${kind}: ${text}`;
  document.getElementById('replies').appendChild(item);
  return item;
}

function onMessage(payload, type) {
  if (type === MESSAGE_JSON && payload.upload) {
    const item = show('upload', `${payload.upload} of ${payload.size} bytes saved as ${payload.url}`);
    const link = document.createElement('a');
    link.className = 'upload';
    link.href = payload.url;
    link.textContent = ' open';
    item.appendChild(link);
    if (payload.upload === 'image') {
      document.getElementById('uploaded-image').src = payload.url;
    }
  } else {
    show(TYPE_NAMES[type], type === MESSAGE_JSON ? JSON.stringify(payload) : String(payload));
  }
}

// A 16x16 PNG drawn on a canvas, so the example needs no image file.
function drawImage() {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 16;
  const context = canvas.getContext('2d');
  context.fillStyle = '#e8590c';
  context.fillRect(0, 0, 16, 16);
  context.fillStyle = '#fff';
  context.fillRect(4, 4, 8, 8);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

connectWebsocket(onMessage, null, {
  onOpen: () => { const s = document.getElementById('status'); s.textContent = 'open'; s.className = 'open'; },
  onClose: () => { const s = document.getElementById('status'); s.textContent = 'reconnecting…'; s.className = ''; },
});

document.getElementById('send-text').onclick = () => sendWebsocket(document.getElementById('text').value, MESSAGE_TEXT);
document.getElementById('send-json').onclick = () => sendWebsocket({ command: 'ping', at: new Date().toISOString() });
document.getElementById('send-file').onclick = () => websocketUpload(document.getElementById('file').files);
document.getElementById('send-image').onclick = async () => sendWebsocket(await drawImage(), MESSAGE_IMAGE, 'png');
