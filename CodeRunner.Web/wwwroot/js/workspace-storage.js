// The workspace in localStorage: a manifest and one key per file, so that a save writes only what changed.
const prefix = "coderunner.v1.";
const fileKey = path => `${prefix}file:${path}`;

export function load() {
  const raw = localStorage.getItem(`${prefix}manifest`);
  if (!raw) {
    return null;
  }
  const manifest = JSON.parse(raw);
  const files = {};
  for (const path of manifest.files ?? []) {
    files[path] = localStorage.getItem(fileKey(path)) ?? "";
  }
  return { manifest, files };
}

export function save(manifest, changed, removed) {
  try {
    for (const path of removed) {
      localStorage.removeItem(fileKey(path));
    }
    for (const [path, text] of Object.entries(changed)) {
      localStorage.setItem(fileKey(path), text);
    }
    localStorage.setItem(`${prefix}manifest`, JSON.stringify(manifest));
    return null;
  } catch (e) {
    return e && e.name === "QuotaExceededError"
      ? "The browser's storage for this site is full, so the latest changes are not saved. Download a zip and delete some files."
      : `Saving in the browser failed: ${e}`;
  }
}
