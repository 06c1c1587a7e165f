/** An error as the server sent it: its code, then its message. */
export interface CodedError {
  code: string;
  message: string;
}

/** One line that shows a coded error (announced to screen readers), or nothing. */
export function ErrorLine({ error }: { error: CodedError | null }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid="queue-error" data-code={error.code}>
      <code>{error.code}</code> {error.message}
    </p>
  );
}
