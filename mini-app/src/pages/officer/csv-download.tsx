import { useState } from 'react';
import { ErrorNote } from '../../components/error-note';
import { ApiError, type Download } from '../../services/api';
import { parseCsv, saveDownload } from '../../services/download';
import { isInsideZalo } from '../../services/zalo';

/**
 * A CSV file behind the session (the quarterly report, the leaderboard): fetched and handed to the browser as a
 * Blob; inside Zalo, where a web view may not save files, the table is shown on screen as well, with a copy
 * button, so the figures can always be read and passed on.
 */
export function CsvDownload({ fetchFile, button, tableLabel }: { fetchFile: () => Promise<Download>; button: string; tableLabel: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [file, setFile] = useState<(Download & { saved: boolean; label: string }) | null>(null);
  const [copied, setCopied] = useState('');

  async function download() {
    setBusy(true);
    setError('');
    setCopied('');
    try {
      const f = await fetchFile();
      setFile({ ...f, label: tableLabel, saved: saveDownload(f) });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Chưa tải được tệp.');
    } finally {
      setBusy(false);
    }
  }

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text.replace(/^\uFEFF/, ''));
      setCopied('Đã sao chép. Bác dán vào Excel hoặc tin nhắn Zalo.');
    } catch {
      setCopied('Máy này chưa cho sao chép. Bác xem bảng bên dưới.');
    }
  }

  const rows = file ? parseCsv(file.text) : [];
  const [head, ...body] = rows;
  return (
    <>
      <div className="nav-row">
        <button type="button" className="btn btn-primary" onClick={() => void download()} disabled={busy}>
          {busy ? 'Đang tải…' : button}
        </button>
      </div>
      {error && <ErrorNote message={error} onRetry={() => void download()} />}
      {file && (
        <div className="report-file">
          <p className="note note-ok" role="status">
            {file.saved ? `Đã tải tệp ${file.filename}.` : `Chưa lưu được tệp trên máy này.`}
            {isInsideZalo() || !file.saved ? ' Trong Zalo có thể không lưu được tệp: bác xem bảng dưới đây hoặc sao chép.' : ''}
          </p>
          <div className="nav-row">
            <button type="button" className="btn btn-secondary" onClick={() => void copy(file.text)}>
              Sao chép số liệu
            </button>
          </div>
          {copied && <p role="status">{copied}</p>}
          {head && (
            <div className="table-scroll" tabIndex={0} role="region" aria-label={file.label}>
              <table className="data-table">
                <thead>
                  <tr>
                    {head.map((h, i) => (
                      <th key={i} scope="col">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {body.map((r, i) => (
                    <tr key={i}>
                      {r.map((c, j) => (
                        <td key={j}>{c}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </>
  );
}
