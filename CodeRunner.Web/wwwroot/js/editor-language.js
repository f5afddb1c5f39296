// Monaco's language for a file: the one the server chose (from the languages it runs), else Monaco's own registry by
// extension or file name (json, markdown, html, css, Dockerfile…), else plain text.
export function editorLanguage(path, chosen) {
  if (chosen) {
    return chosen;
  }
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const known = monaco.languages.getLanguages().find(language =>
    (language.extensions ?? []).some(extension => name.endsWith(extension.toLowerCase()) && name.length > extension.length)
    || (language.filenames ?? []).some(file => file.toLowerCase() === name));
  return known?.id ?? "plaintext";
}
