import { quietButton } from "./modal";

/** A dialog's submit and cancel row; the submit says what it is doing while the request runs. */
export function DialogButtons(props: { submitClass: string; disabled: boolean; pending: boolean; label: string; pendingLabel: string; testId: string; onCancel: () => void }) {
  return (
    <div className="flex gap-2">
      <button type="submit" className={props.submitClass} disabled={props.disabled} data-testid={props.testId}>
        {props.pending ? props.pendingLabel : props.label}
      </button>
      <button type="button" className={quietButton} onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
