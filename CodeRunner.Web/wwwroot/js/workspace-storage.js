// The workspace in localStorage: a manifest and one key per file, so that a save writes only what changed.
// The editor also keeps a draft of each file it has sent to the server, so that text typed just before a reload, or
// while the connection was down, is not lost: a draft is dropped once the server has saved the same text.
const prefix = "coderunner.v1.";
const fileKey = path => `${prefix}file:${path}`;
const draftPrefix = `${prefix}draft:`;

export function saveDraft(path, text) {
  try {
    localStorage.setItem(draftPrefix + path, text);
  } catch {
    // Storage is full: the server's own save reports that.
  }
}

export function dropDraft(path) {
  localStorage.removeItem(draftPrefix + path);
}

export function load(maxFileBytes) {
  const raw = localStorage.getItem(`${prefix}manifest`);
  if (!raw) {
    return null;
  }
  const manifest = JSON.parse(raw);
  const files = {};
  for (const path of manifest.files ?? []) {
    files[path] = localStorage.getItem(fileKey(path)) ?? "";
  }
  const drafts = {};
  for (const key of Object.keys(localStorage).filter(k => k.startsWith(draftPrefix))) {
    const path = key.slice(draftPrefix.length);
    const text = localStorage.getItem(key);
    if (path in files && new TextEncoder().encode(text).length <= maxFileBytes) {
      drafts[path] = text;
    } else {
      localStorage.removeItem(key); // a file that is gone, or text the server refused
    }
  }
  return { manifest, files, drafts };
}

// Files first, then the manifest, then what was removed: storage that fills up half-way leaves the last saved
// workspace whole.
export function save(manifest, changed, removed) {
  try {
    for (const [path, text] of Object.entries(changed)) {
      localStorage.setItem(fileKey(path), text);
      if (localStorage.getItem(draftPrefix + path) === text) {
        dropDraft(path);
      }
    }
    localStorage.setItem(`${prefix}manifest`, JSON.stringify(manifest));
    for (const path of removed) {
      localStorage.removeItem(fileKey(path));
      dropDraft(path);
    }
    return null;
  } catch (e) {
    return e && e.name === "QuotaExceededError"
      ? "The browser's storage for this site is full, so the latest changes are not saved. Download a zip and delete some files."
      : `Saving in the browser failed: ${e}`;
  }
}
