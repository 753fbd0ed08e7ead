"use client";

import { useState } from "react";
import type { ActionTarget } from "@/lib/actions";
import { quietButton } from "./modal";
import { RequestDialog } from "./request-dialog";
import { useActionRights } from "./use-action-rights";

/** A guarded action: shown only to people who may request it; opens the confirm dialog with the preflight. */
export function ActionButton({ target, label, testId }: { target: ActionTarget; label: string; testId?: string }) {
  const rights = useActionRights();
  const [open, setOpen] = useState(false);
  if (!rights.mayRequest) return null;
  return (
    <>
      <button type="button" className={quietButton} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </button>
      {open && <RequestDialog target={target} onClose={() => setOpen(false)} />}
    </>
  );
}
