// A console's auto-scroll (follows new output until the user scrolls up, resumes at the bottom) and Ctrl+D.
export function attach(output, stdin) {
  let following = true;
  let lastTop = output.scrollTop;
  const atBottom = () => output.scrollHeight - output.scrollTop - output.clientHeight < 8;
  const setFollowing = value => {
    following = value;
    output.dataset.following = String(value);
  };
  const onScroll = () => {
    // Only a move up turns following off: growing content (or our own jump to the end) must not.
    const top = output.scrollTop;
    if (atBottom()) {
      setFollowing(true);
    } else if (top < lastTop - 2) {
      setFollowing(false);
    }
    lastTop = top;
  };
  const follow = () => {
    if (following) {
      output.scrollTop = output.scrollHeight;
      lastTop = output.scrollTop;
    }
  };
  // Virtualize resizes its spacers through their style attribute, so attributes are watched too.
  const observer = new MutationObserver(follow);
  observer.observe(output, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["style"] });
  const resize = new ResizeObserver(follow);
  resize.observe(output);
  output.addEventListener("scroll", onScroll, { passive: true });
  setFollowing(true);

  const onKeyDown = e => {
    if ((e.ctrlKey || e.metaKey) && (e.key === "d" || e.key === "D")) {
      e.preventDefault(); // not the browser's bookmark dialog: Blazor sends end-of-input
    }
  };
  stdin.addEventListener("keydown", onKeyDown);

  return {
    dispose() {
      observer.disconnect();
      resize.disconnect();
      output.removeEventListener("scroll", onScroll);
      stdin.removeEventListener("keydown", onKeyDown);
    },
  };
}
