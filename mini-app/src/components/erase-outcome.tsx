/** What an erase that involves the server did, said plainly: never that the server's copy is gone when it is not. */
export type EraseState =
  | { state: 'idle' }
  | { state: 'confirming' }
  | { state: 'working' }
  | { state: 'failed'; problem: string }
  | { state: 'done'; where: 'device' | 'everywhere' | 'device-only' };

/**
 * The progress, failure or result of an erase: while working, "Đang xóa…"; when the server could not be reached,
 * what is still kept and where, with "Thử lại" and "Chỉ xóa trên máy này"; when done, where it was erased.
 */
export function EraseOutcome({
  erase,
  stillKept,
  done,
  onRetry,
  onDeviceOnly,
}: {
  erase: EraseState;
  /** After "Chưa xóa được.": what is still on the server and on this phone. */
  stillKept: string;
  done: Record<'everywhere' | 'device' | 'device-only', string>;
  onRetry: () => void;
  onDeviceOnly: () => void;
}) {
  if (erase.state === 'working') return <p role="status">Đang xóa…</p>;
  if (erase.state === 'failed') {
    return (
      <div className="note note-error" role="alert">
        <p>
          <strong>Chưa xóa được.</strong> {stillKept}
        </p>
        <p>{erase.problem}</p>
        <div className="nav-row">
          <button type="button" className="btn btn-primary" onClick={onRetry}>
            Thử lại
          </button>
          <button type="button" className="btn btn-secondary" onClick={onDeviceOnly}>
            Chỉ xóa trên máy này
          </button>
        </div>
      </div>
    );
  }
  if (erase.state === 'done') {
    return (
      <p className="note note-ok" role="status">
        {done[erase.where]}
      </p>
    );
  }
  return null;
}
