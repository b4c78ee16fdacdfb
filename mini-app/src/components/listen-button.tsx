import { useEffect, useState } from 'react';
import { NO_SPEECH_MESSAGE, NO_VOICE_MESSAGE, speak, stopSpeaking } from '../services/speech';
import { settingsStore } from '../stores/settings';
import { useStore } from '../stores/store';
import { Icon } from './icons';

/** "Nghe": reads the text aloud in Vietnamese; says so visibly when the phone cannot. */
export function ListenButton({ text, label = 'Nghe' }: { text: string; label?: string }) {
  const { speechRate } = useStore(settingsStore);
  const [speaking, setSpeaking] = useState(false);
  const [problem, setProblem] = useState('');

  useEffect(() => () => stopSpeaking(), []);

  async function toggle() {
    if (speaking) {
      stopSpeaking();
      setSpeaking(false);
      return;
    }
    const result = await speak(text, speechRate, () => setSpeaking(false));
    if (result === 'speaking') {
      setProblem('');
      setSpeaking(true);
    } else {
      setProblem(result === 'no-voice' ? NO_VOICE_MESSAGE : NO_SPEECH_MESSAGE);
    }
  }

  return (
    <div className="listen">
      <button type="button" className="btn btn-secondary" onClick={toggle} aria-pressed={speaking}>
        <Icon name={speaking ? 'stop' : 'speaker'} />
        <span>{speaking ? 'Dừng đọc' : label}</span>
      </button>
      {problem && (
        <p className="note note-info" role="status">
          {problem}
        </p>
      )}
    </div>
  );
}
