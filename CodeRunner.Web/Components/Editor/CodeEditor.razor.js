// Monaco (loaded by BlazorMonaco's scripts) for the CodeEditor component: one model per open file, edits sent to
// .NET shortly after typing stops.
const sendDelayMs = 400;

export function create(host, dotnet, dark) {
  const editor = monaco.editor.create(host, {
    model: null,
    automaticLayout: true,
    theme: dark ? "vs-dark" : "vs",
    fontSize: 14,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    tabSize: 4,
    insertSpaces: true,
    ariaLabel: "Code editor",
  });
  const models = new Map();
  const changed = new Set();
  let timer = 0;

  const takeChanges = () => {
    clearTimeout(timer);
    const texts = {};
    for (const path of changed) {
      const model = models.get(path);
      if (model) {
        texts[path] = model.getValue();
      }
    }
    changed.clear();
    return texts;
  };

  editor.onDidChangeModelContent(() => {
    const model = editor.getModel();
    if (!model) {
      return;
    }
    changed.add(model.coderunnerPath);
    clearTimeout(timer);
    timer = setTimeout(() => dotnet.invokeMethodAsync("OnTextChanged", takeChanges()), sendDelayMs);
  });
  host.dataset.ready = "true";

  return {
    show(path, text, language) {
      let model = models.get(path);
      if (!model) {
        model = monaco.editor.createModel(text ?? "", language, monaco.Uri.file(`/${path}`));
        model.coderunnerPath = path;
        models.set(path, model);
      }
      editor.setModel(model);
    },
    hide() {
      editor.setModel(null);
    },
    drop(path) {
      const model = models.get(path);
      if (model) {
        if (editor.getModel() === model) {
          editor.setModel(null);
        }
        changed.delete(path);
        models.delete(path);
        model.dispose();
      }
    },
    takeChanges,
    setTheme(isDark) {
      monaco.editor.setTheme(isDark ? "vs-dark" : "vs");
    },
    dispose() {
      clearTimeout(timer);
      editor.dispose();
      for (const model of models.values()) {
        model.dispose();
      }
      models.clear();
    },
  };
}
