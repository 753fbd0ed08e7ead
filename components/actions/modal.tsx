"use client";

import { useEffect, useRef, type ReactNode } from "react";

/** A modal dialog (native <dialog>: focus is kept inside, Escape closes it). */
export function Modal({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="modal-title"
      className="m-auto w-[min(42rem,calc(100vw-2rem))] rounded-lg border border-slate-700 bg-slate-900 p-0 text-slate-100 backdrop:bg-black/70"
      data-testid={testId}
    >
      <div className="max-h-[85vh] overflow-y-auto p-5">
        <div className="mb-4 flex items-start justify-between gap-4">
          <h2 id="modal-title" className="text-lg font-semibold">
            {title}
          </h2>
          <button type="button" onClick={onClose} className="rounded px-2 text-slate-400 hover:text-slate-100" aria-label="Close">
            ✕
          </button>
        </div>
        {children}
      </div>
    </dialog>
  );
}

export const buttonClass = "rounded px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50";
export const primaryButton = `${buttonClass} bg-sky-700 text-white hover:bg-sky-600`;
export const dangerButton = `${buttonClass} bg-red-700 text-white hover:bg-red-600`;
export const quietButton = `${buttonClass} border border-slate-600 text-slate-200 hover:bg-slate-800`;
export const inputClass = "mt-1 w-full rounded border border-slate-700 bg-slate-950 px-2 py-1.5 text-slate-100";
