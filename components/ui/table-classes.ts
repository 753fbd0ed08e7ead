/** Shared table styling for the detail tables. */
export const tableClass = "w-full text-left text-sm";
export const theadClass = "text-xs text-slate-400 uppercase";
export const thClass = "py-1 pr-4 font-medium";
export const tdClass = "py-1 pr-4 align-top";
export const rowClass = "border-t border-slate-800";
