/** An instant as UTC to the second, or a dash when there is none. */
export const when = (ms: number | null) => (ms === null ? "—" : new Date(ms).toISOString().replace("T", " ").slice(0, 19) + " UTC");
