import type { ReactNode } from 'react';

/**
 * A form the app checks itself (noValidate: the browser's own messages are not in the citizen's words). Sending it
 * runs `onSubmit` instead of loading another page.
 */
export function Form({ onSubmit, className, children }: { onSubmit: () => unknown; className?: string; children: ReactNode }) {
  return (
    <form
      className={className}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** What came of what was just tried: the problem (the form's own check, or the server's refusal), read out at once, or what was done. */
export function FormNotes({ problem = '', done = '' }: { problem?: string; done?: string }) {
  return (
    <>
      {problem && (
        <p className="note note-error" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="note note-ok" role="status">
          {done}
        </p>
      )}
    </>
  );
}

/**
 * A form's submit button on a row of its own (`stacked`: full width, as on the citizen's screens). While `busy` it
 * is disabled, and says `busyText` when there is one.
 */
export function SubmitRow({ text, busy, busyText, stacked = false }: { text: string; busy: boolean; busyText?: string; stacked?: boolean }) {
  return (
    <div className={stacked ? 'choice-stack' : 'nav-row'}>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy && busyText ? busyText : text}
      </button>
    </div>
  );
}
