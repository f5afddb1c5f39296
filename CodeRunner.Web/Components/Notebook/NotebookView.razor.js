// Jupyter's keys in a notebook's cells, and cells that grow with their text.
export function attach(root, dotnet) {
  const sourceOf = (target) => target.closest("[data-testid=notebook-cell]");
  const indexOf = (cell) => Number(cell.getAttribute("data-index"));

  function grow(area) {
    area.style.height = "auto";
    area.style.height = area.scrollHeight + 2 + "px";
  }

  async function focusCell(index) {
    for (let tries = 0; tries < 60; tries++) { // the new cell appears after the next render
      const area = root.querySelector(`[data-testid=notebook-cell][data-index="${index}"] textarea`);
      if (area) {
        area.focus();
        area.scrollIntoView({ block: "nearest" });
        return;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  async function onKeyDown(event) {
    const area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !sourceOf(area)) {
      return;
    }
    const index = indexOf(sourceOf(area));
    if (event.key === "Enter" && (event.shiftKey || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      const next = await dotnet.invokeMethodAsync("RunFromKeys", index, area.value, event.shiftKey);
      if (next >= 0 && event.shiftKey) {
        await focusCell(next);
      }
    } else if (event.key === "Escape") {
      await dotnet.invokeMethodAsync("LeaveEditing", index, area.value);
    }
  }

  const onInput = (event) => {
    if (event.target instanceof HTMLTextAreaElement) {
      grow(event.target);
    }
  };
  const growAll = () => root.querySelectorAll("textarea.notebook-source").forEach(grow);
  const observer = new MutationObserver(growAll);
  observer.observe(root, { childList: true, subtree: true });
  root.addEventListener("keydown", onKeyDown);
  root.addEventListener("input", onInput);
  growAll();

  return {
    focusCell,
    dispose() {
      observer.disconnect();
      root.removeEventListener("keydown", onKeyDown);
      root.removeEventListener("input", onInput);
    },
  };
}
