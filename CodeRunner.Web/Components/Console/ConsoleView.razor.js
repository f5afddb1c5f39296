// A console's auto-scroll (follows new output until the user scrolls up, resumes at the bottom), Ctrl+D, and its
// input line kept in view above an on-screen keyboard.
export function attach(output, stdin) {
  let following = true;
  let lastTop = output.scrollTop;
  let heights = []; // [time, scrollHeight] of the last moments, to tell how much output arrived during a scroll
  const atBottom = () => output.scrollHeight - output.scrollTop - output.clientHeight < 8;
  const forget = () => {
    const since = performance.now() - 300;
    heights = heights.filter(([time]) => time >= since);
  };
  const grownRecently = () => {
    forget();
    return heights.length === 0 ? 0 : Math.max(0, output.scrollHeight - Math.min(...heights.map(([, height]) => height)));
  };
  const setFollowing = value => {
    following = value;
    output.dataset.following = String(value);
  };
  const onScroll = () => {
    // Only a move up turns following off: growing content (or our own jump to the end) must not.
    // A move down to what was the end a moment ago counts too: output keeps coming while the student scrolls down.
    const top = output.scrollTop;
    if (atBottom() || (top > lastTop && output.scrollHeight - top - output.clientHeight < 8 + grownRecently())) {
      setFollowing(true);
    } else if (top < lastTop - 2) {
      setFollowing(false);
    }
    lastTop = top;
  };
  const follow = () => {
    forget();
    heights.push([performance.now(), output.scrollHeight]);
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

  // An on-screen keyboard opens after the focus and shrinks the viewport: keep the input line above it.
  const viewport = window.visualViewport;
  const reveal = () => {
    if (document.activeElement === stdin) {
      stdin.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  };
  stdin.addEventListener("focus", reveal);
  viewport?.addEventListener("resize", reveal);

  return {
    dispose() {
      observer.disconnect();
      resize.disconnect();
      output.removeEventListener("scroll", onScroll);
      stdin.removeEventListener("keydown", onKeyDown);
      stdin.removeEventListener("focus", reveal);
      viewport?.removeEventListener("resize", reveal);
    },
  };
}
