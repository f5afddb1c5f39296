// The workspace in localStorage: a manifest and one key per file, so that a save writes only what changed.
// The editor also keeps a draft of each file it has sent to the server, so that text typed just before a reload, or
// while the connection was down, is not lost: a draft is dropped once the server has saved the same text.
// A student of a class has a scope of their own (their files live on the server; only the tabs, the theme and the
// drafts are kept here), which leaving the class removes whole, so that nothing stays behind on a shared computer.
const root = "coderunner.v1.";
let prefix = root;
const fileKey = path => `${prefix}file:${path}`;
const draftKey = path => `${prefix}draft:${path}`;
// A binary file's bytes, as the base64 they arrive in: about 4 characters for every 3 bytes.
const binaryKey = path => `${prefix}bin:${path}`;

export function useScope(scope) {
  prefix = scope ? `${root}${scope}.` : root;
}

export function clearScope(scope) {
  const scoped = `${root}${scope}.`;
  Object.keys(localStorage).filter(k => k.startsWith(scoped)).forEach(k => localStorage.removeItem(k));
}

// Solo work of this browser (files kept in localStorage outside any class): null when there is none.
export function loadSolo(maxFileBytes) {
  const current = prefix;
  prefix = root;
  try {
    const solo = load(maxFileBytes);
    return solo && solo.manifest.files && solo.manifest.files.length > 0 ? solo : null;
  } finally {
    prefix = current;
  }
}

export function saveDraft(path, text) {
  try {
    localStorage.setItem(draftKey(path), text);
  } catch {
    // Storage is full: the server's own save reports that.
  }
}

export function dropDraft(path) {
  localStorage.removeItem(draftKey(path));
}

export function load(maxFileBytes) {
  const raw = localStorage.getItem(`${prefix}manifest`);
  if (!raw) {
    return null;
  }
  const manifest = JSON.parse(raw);
  const files = {};
  const binaries = {};
  for (const path of manifest.files ?? []) {
    const bytes = localStorage.getItem(binaryKey(path));
    if (bytes !== null) {
      binaries[path] = bytes;
    } else {
      files[path] = localStorage.getItem(fileKey(path)) ?? "";
    }
  }
  const drafts = {};
  const draftPrefix = draftKey("");
  for (const key of Object.keys(localStorage).filter(k => k.startsWith(draftPrefix))) {
    const path = key.slice(draftPrefix.length);
    const text = localStorage.getItem(key);
    if (path in files && new TextEncoder().encode(text).length <= maxFileBytes) {
      drafts[path] = text;
    } else {
      localStorage.removeItem(key); // a file that is gone, or text the server refused
    }
  }
  return { manifest, files, drafts, binaries };
}

// Files first, then the manifest, then what was removed: storage that fills up half-way leaves the last saved
// workspace whole.
export function save(manifest, changed, binaries, removed) {
  try {
    for (const [path, text] of Object.entries(changed)) {
      localStorage.setItem(fileKey(path), text);
      localStorage.removeItem(binaryKey(path));
      if (localStorage.getItem(draftKey(path)) === text) {
        dropDraft(path);
      }
    }
    for (const [path, base64] of Object.entries(binaries ?? {})) {
      localStorage.setItem(binaryKey(path), base64);
      localStorage.removeItem(fileKey(path));
      dropDraft(path);
    }
    localStorage.setItem(`${prefix}manifest`, JSON.stringify(manifest));
    for (const path of removed) {
      localStorage.removeItem(fileKey(path));
      localStorage.removeItem(binaryKey(path));
      dropDraft(path);
    }
    return null;
  } catch (e) {
    return e && e.name === "QuotaExceededError"
      ? "The browser's storage for this site is full, so the latest changes are not saved. Download a zip and delete some files."
      : `Saving in the browser failed: ${e}`;
  }
}

// For a class's project, whose files the server keeps: the tabs and theme, and drafts the server has now saved.
export function saveLocalState(manifest, saved) {
  try {
    localStorage.setItem(`${prefix}manifest`, JSON.stringify(manifest));
    for (const [path, text] of Object.entries(saved)) {
      if (localStorage.getItem(draftKey(path)) === text) {
        dropDraft(path);
      }
    }
  } catch {
    // Full: the tabs are only a convenience; the files are on the server.
  }
}

export function loadLocalState(maxFileBytes, paths) {
  const raw = localStorage.getItem(`${prefix}manifest`);
  const manifest = raw ? JSON.parse(raw) : null;
  const drafts = {};
  const draftPrefix = draftKey("");
  for (const key of Object.keys(localStorage).filter(k => k.startsWith(draftPrefix))) {
    const path = key.slice(draftPrefix.length);
    const text = localStorage.getItem(key);
    if (paths.includes(path) && new TextEncoder().encode(text).length <= maxFileBytes) {
      drafts[path] = text;
    }
  }
  return { manifest, drafts };
}

// Removes this browser's solo workspace (its manifest, files and drafts), once it moved into a class project.
export function clearSolo() {
  const keys = [`${root}manifest`];
  Object.keys(localStorage)
    .filter(k => k.startsWith(`${root}file:`) || k.startsWith(`${root}bin:`) || k.startsWith(`${root}draft:`))
    .forEach(k => keys.push(k));
  keys.forEach(k => localStorage.removeItem(k));
}
