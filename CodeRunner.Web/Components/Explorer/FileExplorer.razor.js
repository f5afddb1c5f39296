// The explorer's file pickers, folder paths and zip download.
export function attach(inputs) {
  const root = inputs.closest(".explorer");
  const onClick = e => {
    const button = e.target.closest?.("[data-pick]");
    if (button && root.contains(button)) {
      inputs.querySelector(`[data-input="${button.dataset.pick}"]`)?.click();
    }
  };
  const onChange = e => { inputs.lastChanged = e.target; };
  root.addEventListener("click", onClick);
  inputs.addEventListener("change", onChange, true);
  return {
    dispose() {
      root.removeEventListener("click", onClick);
      inputs.removeEventListener("change", onChange, true);
    },
  };
}

// Each chosen file's path inside an uploaded folder ("" for single files), in the order Blazor lists them.
export function relativePaths(inputs, count) {
  const input = inputs.lastChanged;
  return input?.files?.length === count ? Array.from(input.files, f => f.webkitRelativePath || "") : [];
}

// Saves bytes streamed from the circuit as a file named `name`; the console's output files use it too.
export async function download(name, streamRef, type = "application/zip") {
  const buffer = await streamRef.arrayBuffer();
  const url = URL.createObjectURL(new Blob([buffer], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
