/** What to add to ha.config.yaml when there is no `alerting:` section: nobody is told about anything yet. */
export function AlertingNotConfigured() {
  return (
    <section role="note" className="space-y-2 rounded-lg border border-amber-800 bg-amber-950/30 p-4 text-sm" data-testid="alerting-not-configured">
      <h2 className="font-semibold text-amber-200">
        <span aria-hidden="true">▲ </span>No one is notified: ha.config.yaml has no <code>alerting:</code> section
      </h2>
      <p className="text-slate-300">
        Alerts are still raised and listed here. To send them, add receivers (Prometheus Alertmanager or a signed webhook) and a route, then restart the
        dashboard. Secrets are never written inline:
      </p>
      <pre className="overflow-x-auto rounded bg-slate-950 p-3 font-mono text-xs text-slate-200">{`alerting:
  receivers:
    - name: alertmanager
      type: alertmanager
      url: http://127.0.0.1:9093
    - name: oncall
      type: webhook
      url: https://hooks.example.com/ha
      secrets: [{ file: secrets/webhook-secret }]   # whsec_…
  route:
    receiver: alertmanager
    routes:
      - receiver: oncall
        match: { severity: critical }`}</pre>
      <p className="text-slate-400">See the README&apos;s alerting section for grouping, retries and the Watchdog.</p>
    </section>
  );
}
