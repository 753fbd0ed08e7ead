/** Shown instead of the dashboard when the topology config cannot be loaded. */
export function ConfigProblems({ file, problems }: { file: string; problems: string[] }) {
  return (
    <section role="alert" className="rounded-lg border border-red-800 bg-red-950/40 p-5" data-testid="config-problems">
      <h1 className="flex items-center gap-2 text-lg font-semibold text-red-200">
        <span aria-hidden="true">✖</span> The configuration cannot be used
      </h1>
      <p className="mt-2 text-sm text-slate-300">
        File: <code className="text-slate-100">{file}</code>
      </p>
      <ul className="mt-3 list-disc space-y-1 pl-6 text-sm text-red-100">
        {problems.map((p) => (
          <li key={p}>
            <code>{p}</code>
          </li>
        ))}
      </ul>
      <p className="mt-4 text-sm text-slate-400">
        Fix the file (or point <code>HA_CONFIG</code> at another one) and restart the dashboard.
      </p>
    </section>
  );
}
