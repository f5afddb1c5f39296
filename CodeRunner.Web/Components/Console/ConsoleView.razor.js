// A console's auto-scroll (follows new output until the user scrolls up, resumes at the bottom) and Ctrl+D.
export function attach(output, stdin) {
  let following = true;
  const atBottom = () => output.scrollHeight - output.scrollTop - output.clientHeight < 8;
  const onScroll = () => {
    following = atBottom();
    output.dataset.following = String(following);
  };
  const observer = new MutationObserver(() => {
    if (following) {
      output.scrollTop = output.scrollHeight;
    }
  });
  observer.observe(output, { childList: true, subtree: true, characterData: true });
  output.addEventListener("scroll", onScroll, { passive: true });
  output.dataset.following = "true";

  const onKeyDown = e => {
    if ((e.ctrlKey || e.metaKey) && (e.key === "d" || e.key === "D")) {
      e.preventDefault(); // not the browser's bookmark dialog: Blazor sends end-of-input
    }
  };
  stdin.addEventListener("keydown", onKeyDown);

  return {
    dispose() {
      observer.disconnect();
      output.removeEventListener("scroll", onScroll);
      stdin.removeEventListener("keydown", onKeyDown);
    },
  };
}
