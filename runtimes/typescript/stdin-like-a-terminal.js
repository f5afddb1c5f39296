// Preloaded into every Node.js run (NODE_OPTIONS=--require). In a terminal, a program that stops reading stdin
// (readline's close(), stdin.pause()) can exit; with stdin on a pipe, as here, Node keeps waiting for end-of-input,
// so a finished program would hang until the timeout. Unreferencing stdin while paused gives the terminal's behaviour.
'use strict';
const descriptor = Object.getOwnPropertyDescriptor(process, 'stdin');
if (descriptor && descriptor.get) {
  Object.defineProperty(process, 'stdin', {
    configurable: true,
    enumerable: descriptor.enumerable,
    get() {
      const stdin = descriptor.get.call(process);
      if (!stdin.__coderunnerTerminalLike && typeof stdin.unref === 'function') {
        stdin.__coderunnerTerminalLike = true;
        stdin.on('pause', () => stdin.unref());
        stdin.on('resume', () => stdin.ref());
      }
      return stdin;
    },
  });
}
