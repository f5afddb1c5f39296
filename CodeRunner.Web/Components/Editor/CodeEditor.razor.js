// Monaco (loaded by BlazorMonaco's scripts) for the CodeEditor component: one model per open file, edits sent to
// .NET shortly after typing stops, and kept as drafts in this browser until the server has saved them.
// Each edit bumps a version. The first edit after a send tells .NET (OnEditing) that the browser holds text it lacks,
// so that a run asks for it only then; and just before a run (the "coderunner:before-run" event of the Ide's module,
// dispatched before the click or Ctrl+Enter reaches .NET) the edits are sent, ahead of the run on the same connection.
import { saveDraft, dropDraft } from "../../js/workspace-storage.js";
import { editorLanguage } from "../../js/editor-language.js";

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
  let version = 0; // bumped by every edit
  let announced = false; // .NET was told, since the last send, that edits are waiting

  const takeChanges = () => {
    clearTimeout(timer);
    const texts = {};
    for (const path of changed) {
      const model = models.get(path);
      if (model) {
        texts[path] = model.getValue();
        saveDraft(path, texts[path]);
      }
    }
    changed.clear();
    announced = false;
    return { texts, version };
  };

  // When the server does not get the text (the connection is down), it is sent again with the next change.
  const send = () => {
    const { texts } = takeChanges();
    if (Object.keys(texts).length > 0) {
      dotnet.invokeMethodAsync("OnTextChanged", texts, version).catch(() => {
        Object.keys(texts).filter(path => models.has(path)).forEach(path => changed.add(path));
      });
    }
  };

  editor.onDidChangeModelContent(() => {
    const model = editor.getModel();
    if (!model) {
      return;
    }
    changed.add(model.coderunnerPath);
    version++;
    if (!announced) {
      announced = true;
      dotnet.invokeMethodAsync("OnEditing", version).catch(() => { announced = false; });
    }
    clearTimeout(timer);
    timer = setTimeout(send, sendDelayMs);
  });
  addEventListener("pagehide", send);
  addEventListener("coderunner:before-run", send);
  host.dataset.ready = "true";

  return {
    // Returns the language Monaco shows the file in.
    show(path, text, language) {
      let model = models.get(path);
      if (!model) {
        model = monaco.editor.createModel(text ?? "", editorLanguage(path, language), monaco.Uri.file(`/${path}`));
        model.coderunnerPath = path;
        models.set(path, model);
      }
      editor.setModel(model);
      return model.getLanguageId();
    },
    hide() {
      editor.setModel(null);
    },
    drop(path, replaced) {
      if (replaced) {
        dropDraft(path); // an upload or a zip replaced the file: older typing must not come back on a reload
      }
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
      removeEventListener("pagehide", send);
      removeEventListener("coderunner:before-run", send);
      editor.dispose();
      for (const model of models.values()) {
        model.dispose();
      }
      models.clear();
    },
  };
}
