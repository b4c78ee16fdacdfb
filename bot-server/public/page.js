// The minimal chat page: plain DOM, text only (textContent, never innerHTML), so nothing the server or the
// citizen types can run as HTML.
const KIND_LABELS = {
  answer: 'Trả lời',
  clarify: 'Bác muốn hỏi việc nào?',
  out_of_scope: 'Ngoài phạm vi',
  safety: '⚠ CẢNH BÁO AN TOÀN',
};

const form = document.getElementById('ask');
const input = document.getElementById('message');
const status = document.getElementById('status');
const reply = document.getElementById('reply');

function el(tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}

function show(data) {
  reply.hidden = false;
  reply.className = data.kind;
  document.getElementById('kind').textContent = KIND_LABELS[data.kind] || '';
  const answer = document.getElementById('answer');
  answer.replaceChildren(...data.answer.split('\n').map((line) => el('p', line)));
  const choices = document.getElementById('choices');
  choices.replaceChildren(
    ...(data.choices || []).map((c) => {
      const b = el('button', c.label);
      b.type = 'button';
      b.addEventListener('click', () => ask(c.message));
      return b;
    }),
  );
  document.getElementById('lessons').textContent = data.lessons.length
    ? 'Bài học: ' + data.lessons.map((l) => l.title).join(' · ')
    : '';
  document.getElementById('next').textContent = data.next ? 'Bài nên học tiếp: ' + data.next.title : '';
}

const send = document.getElementById('send');

async function ask(message) {
  input.value = message;
  status.textContent = 'Đang tìm câu trả lời…';
  // One question at a time, so a slow reply can never replace the answer to a later question.
  send.disabled = true;
  try {
    const res = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
    });
    const data = await res.json();
    if (!res.ok) {
      status.textContent = data.error || 'Có lỗi, bác thử lại sau.';
      return;
    }
    status.textContent = '';
    // A safety reply may be about a code or password the citizen typed: do not leave it on screen.
    if (data.kind === 'safety') input.value = '';
    show(data);
  } catch {
    status.textContent = 'Không kết nối được. Bác kiểm tra mạng rồi thử lại.';
  } finally {
    send.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  ask(input.value);
});
