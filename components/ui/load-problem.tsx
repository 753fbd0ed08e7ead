/** What a page shows while its first snapshot loads, or when it could not be loaded. */
export function LoadProblem({ error, what }: { error: { message: string } | null; what: string }) {
  if (!error) {
    return (
      <p className="min-h-24 text-sm text-slate-400" role="status">
        Loading {what}…
      </p>
    );
  }
  return (
    <p role="alert" className="rounded border border-red-800 bg-red-950/40 px-3 py-2 text-sm text-red-200">
      <span aria-hidden="true">✖ </span>
      Cannot load {what}: {error.message}
    </p>
  );
}
