// Saves a file a run wrote, streamed from the circuit when asked, so that the page never holds it as a data: URL.
export function attach() {
  return {
    async download(name, type, streamRef) {
      const buffer = await streamRef.arrayBuffer();
      const url = URL.createObjectURL(new Blob([buffer], { type }));
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    },
    dispose() {},
  };
}
