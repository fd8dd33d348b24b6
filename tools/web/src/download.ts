// Offers a file made in the browser to the browser's downloads (the
// privacy export, the monitor's CSV): nothing of it goes to a server.
export function downloadFile(fileName: string, parts: BlobPart[], type: string) {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Released once the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
