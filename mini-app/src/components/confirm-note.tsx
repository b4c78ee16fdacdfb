import type { ReactNode } from 'react';

/**
 * "Are you sure?" in place of the button that asked: the question, a button that keeps things as they are (focused
 * first, so that a stray tap changes nothing) and the red one that goes ahead. The dialog is named by its question
 * when it has a `questionId`, else by `label`. While `busy` the red button is disabled and says `busyText` when
 * there is one; `cancelDisabled` holds the other button too. `children` come between the question and the buttons.
 */
export function ConfirmNote({
  question,
  questionId,
  label,
  cancelText,
  confirmText,
  busyText,
  busy = false,
  cancelDisabled = false,
  onCancel,
  onConfirm,
  children,
}: {
  question: ReactNode;
  questionId?: string;
  label?: string;
  cancelText: string;
  confirmText: string;
  busyText?: string;
  busy?: boolean;
  cancelDisabled?: boolean;
  onCancel: () => void;
  onConfirm: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="note note-error" role="alertdialog" aria-labelledby={questionId} aria-label={label}>
      <p id={questionId}>{question}</p>
      {children}
      <div className="nav-row">
        <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={cancelDisabled} autoFocus>
          {cancelText}
        </button>
        <button type="button" className="btn btn-danger" onClick={onConfirm} disabled={busy}>
          {busy && busyText ? busyText : confirmText}
        </button>
      </div>
    </div>
  );
}
