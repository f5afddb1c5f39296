// Saves a file a run wrote, streamed from the circuit when asked, so that the page never holds it as a data: URL.
import { download } from "../Explorer/FileExplorer.razor.js";

export function attach() {
  return {
    download: (name, type, streamRef) => download(name, streamRef, type),
    dispose() {},
  };
}
