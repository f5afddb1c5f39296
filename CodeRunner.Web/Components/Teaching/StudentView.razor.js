// A read-only Monaco editor for the teacher's view of a student's file.
import { editorLanguage } from "../../js/editor-language.js";

export function create(host, dark) {
  const editor = monaco.editor.create(host, {
    model: null,
    readOnly: true,
    automaticLayout: true,
    theme: dark ? "vs-dark" : "vs",
    fontSize: 14,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    ariaLabel: "The student's file, read-only",
  });
  let model = null;
  return {
    show(path, text, language) {
      const old = model;
      model = monaco.editor.createModel(text ?? "", editorLanguage(path, language));
      editor.setModel(model);
      old?.dispose();
    },
    dispose() {
      editor.dispose();
      model?.dispose();
    },
  };
}
