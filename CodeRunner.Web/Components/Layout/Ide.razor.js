// Page-wide shortcuts, the console panel's splitter, and the phone layout's drawer and height for the Ide component.
const heightKey = "coderunner.v1.consoleHeight";
const phoneQuery = "(max-width: 767.98px)"; // the same width as app.css's phone layout

function isTyping(target) {
  return target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

// Tells the editor's module to send its edits now, before the run reaches .NET: both go over the circuit's one
// connection, in order, so the run starts with the text on screen without asking the browser for it.
const beforeRun = () => dispatchEvent(new Event("coderunner:before-run"));

export function attach(root, dotnet) {
  const onRunClick = e => {
    if (e.target.closest?.("[data-testid=run-button]")) {
      beforeRun(); // capture phase: before Blazor's own listener sends the click
    }
  };
  window.addEventListener("click", onRunClick, true);
  const onKeyDown = e => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key === "Enter" && e.target.closest?.("[data-testid=notebook]")) {
      // a notebook's own key: run the cell (its view handles it)
    } else if (mod && e.key === "Enter") {
      // Capture phase, before Monaco: Ctrl+Enter would otherwise insert a line.
      e.preventDefault();
      e.stopPropagation();
      beforeRun();
      dotnet.invokeMethodAsync("RunFromKeyboard");
    } else if (mod && (e.key === "s" || e.key === "S")) {
      e.preventDefault(); // never the browser's "save page" dialog
      e.stopPropagation();
      dotnet.invokeMethodAsync("SaveFromKeyboard");
    } else if (e.key === "Escape" && root.querySelector(".ide-main.explorer-open") &&
               e.target.closest?.(".ide-explorer, [data-testid=explorer-drawer-toggle]")) {
      // Not stopped: the explorer's own Escape (deselect, cancel a name) still happens.
      dotnet.invokeMethodAsync("CloseExplorerFromKeyboard");
      root.querySelector("[data-testid=explorer-drawer-toggle]")?.focus();
    } else if (e.key === "?" && !isTyping(e.target) && !e.target.closest?.(".monaco-editor")) {
      e.preventDefault();
      dotnet.invokeMethodAsync("ShowShortcutsFromKeyboard");
    }
  };
  window.addEventListener("keydown", onKeyDown, true);

  const splitter = root.querySelector("[data-splitter]");
  const setHeight = px => {
    const clamped = Math.max(80, Math.min(window.innerHeight - 160, px));
    root.style.setProperty("--console-height", `${clamped}px`);
    splitter?.setAttribute("aria-valuenow", String(Math.round(clamped)));
    localStorage.setItem(heightKey, String(clamped));
  };
  const saved = Number(localStorage.getItem(heightKey));
  if (saved > 0) {
    setHeight(saved); // clamped to this window, which may be smaller than the one it was saved in
  }
  const onPointerDown = e => {
    e.preventDefault();
    splitter.setPointerCapture(e.pointerId);
    const move = m => setHeight(window.innerHeight - m.clientY);
    const end = () => {
      splitter.removeEventListener("pointermove", move);
      splitter.removeEventListener("lostpointercapture", end);
    };
    splitter.addEventListener("pointermove", move);
    splitter.addEventListener("lostpointercapture", end); // after pointerup, and after pointercancel (touch)
  };
  const onSplitterKey = e => {
    const current = root.querySelector(".ide-consoles")?.getBoundingClientRect().height ?? 240;
    if (e.key === "ArrowUp") { setHeight(current + 24); e.preventDefault(); }
    if (e.key === "ArrowDown") { setHeight(current - 24); e.preventDefault(); }
  };
  splitter?.addEventListener("pointerdown", onPointerDown);
  splitter?.addEventListener("keydown", onSplitterKey);

  // On a phone the page is as tall as what the on-screen keyboard leaves visible (browsers that ignore the viewport's
  // interactive-widget=resizes-content only shrink the visual viewport), so the console's input line stays in view.
  const phone = window.matchMedia(phoneQuery);
  const viewport = window.visualViewport;
  const fitHeight = () => {
    if (viewport && phone.matches) {
      root.style.setProperty("--ide-height", `${Math.round(viewport.height)}px`);
    } else {
      root.style.removeProperty("--ide-height");
    }
  };
  fitHeight();
  viewport?.addEventListener("resize", fitHeight);
  phone.addEventListener("change", fitHeight);

  return {
    dispose() {
      window.removeEventListener("keydown", onKeyDown, true);
      window.removeEventListener("click", onRunClick, true);
      splitter?.removeEventListener("pointerdown", onPointerDown);
      splitter?.removeEventListener("keydown", onSplitterKey);
      viewport?.removeEventListener("resize", fitHeight);
      phone.removeEventListener("change", fitHeight);
    },
  };
}

// The phone's drawer just opened: the focus goes to the active file's row, or else to the first of its buttons.
export function focusExplorer(root) {
  const explorer = root.querySelector(".ide-explorer");
  (explorer?.querySelector(".explorer-row.active") ?? explorer?.querySelector("button"))?.focus();
}
