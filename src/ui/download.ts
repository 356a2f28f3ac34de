/** Hands the browser a file to save. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked later, not at once: the browser reads the URL after click() returns (large exports take a while).
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Hands the browser a text file to save. */
export function downloadText(name: string, text: string, type: string): void {
  downloadBlob(name, new Blob([text], { type }));
}
