/** An error the citizen can act on: what happened, a retry button, and who can help. */
export function ErrorNote({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="note note-error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="btn btn-primary" onClick={onRetry}>
          Thử lại
        </button>
      )}
      <p className="hint">Nếu vẫn chưa được, bác nhờ Tổ công nghệ số cộng đồng ở khu phố giúp.</p>
    </div>
  );
}
