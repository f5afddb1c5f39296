// Saves the previewed file, streamed from the circuit when asked, through the explorer's download.
import { download } from "../Explorer/FileExplorer.razor.js";

export function attach() {
  return {
    download: (name, type, streamRef) => download(name, streamRef, type),
    dispose() {},
  };
}
