"""CodeRunner's notebook kernel: an IPython shell that runs cells sent by the engine, one JSON object per line.

Started by the engine as a run with no timeout (docs/ide.md, "Notebooks"). The run's stdin and stdout carry the
protocol, and nothing else: at start the kernel keeps them on private descriptors, gives user code /dev/null as fd 0
and pipes as fd 1 and 2, and turns what arrives on those pipes into `stream` messages, so that even os.system's
output, or a fake protocol line a cell prints, reaches the notebook as plain text.

Engine to kernel:  {"type": "execute", "id": N, "code": "..."}  and  {"type": "input_reply", "value": "..."}
Kernel to engine:  {"type": "ready"}; then for cell N: "stream" (name, text), "display" (data, execution_count or
null), "error" (ename, evalue, traceback), "input_request" (prompt, password), and last "done" (status,
execution_count). SIGINT during a cell is a KeyboardInterrupt in it; between cells it is ignored.
"""
import argparse
import base64
import builtins
import codecs
import json
import os
import select
import signal
import sys
import threading
import time

# Before anything imports matplotlib: figures show as display_data when a cell ends, as `%matplotlib inline` does.
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
os.environ.pop("CODERUNNER_IMAGE_FD", None)
os.environ.setdefault("IPYTHONDIR", "/tmp/ipython")


def writable_matplotlib_config():
    """Matplotlib wants a writable config folder, or it warns in the first cell that imports it and rebuilds its font
    cache each time: the image's (read-only) font cache is copied to one in /tmp."""
    source = os.environ.get("MPLCONFIGDIR", "/opt/matplotlib")
    target = "/tmp/matplotlib"
    try:
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(source):
            if name.endswith(".json"):
                with open(os.path.join(source, name), "rb") as src, open(os.path.join(target, name), "wb") as dst:
                    dst.write(src.read())
        os.environ["MPLCONFIGDIR"] = target
    except OSError:
        pass

IMAGE_MAX_BYTES = 4 * 1024 * 1024
IMAGE_CELL_MAX_BYTES = 16 * 1024 * 1024
IMAGE_CELL_MAX_COUNT = 50


class Channel:
    """The protocol's two ends, and what the cell running now has sent: its id and its output, against the caps."""

    def __init__(self, out_fd, in_fd, output_limit):
        self._out = out_fd
        self._in = os.fdopen(in_fd, "rb", buffering=0)
        self._pending = b""
        self._lock = threading.Lock()
        self.output_limit = output_limit
        self.cell = None
        self.text_bytes = 0
        self.image_bytes = 0
        self.images = 0
        self.said_text_cap = False
        self.said_image_cap = False

    def start_cell(self, cell):
        self.cell = cell
        self.text_bytes = self.image_bytes = self.images = 0
        self.said_text_cap = self.said_image_cap = False

    def send(self, message):
        if self.cell is not None and "id" not in message and message["type"] != "ready":
            message["id"] = self.cell
        data = (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8", "replace")
        with self._lock:
            while data:
                data = data[os.write(self._out, data):]

    def read(self):
        """The next message from the engine; None at end of input."""
        while b"\n" not in self._pending:
            chunk = self._in.read(65536)
            if not chunk:
                return None
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            return {}

    def count_text(self, size):
        """Whether text of this size may still go out in this cell; past the cap, says so once and interrupts the cell."""
        self.text_bytes += size
        if self.text_bytes <= self.output_limit:
            return True
        if not self.said_text_cap:
            self.said_text_cap = True
            self.send({"type": "stream", "name": "stderr",
                       "text": f"\ncoderunner: the cell's output passed {self.output_limit // 1024} KiB; the rest is not shown "
                               "and the cell was interrupted\n"})
            os.kill(os.getpid(), signal.SIGINT)
        return False

    def allow_image(self, size):
        """Whether an image of this size may go out in this cell, saying why not when it may not."""
        if size > IMAGE_MAX_BYTES:
            self.send({"type": "stream", "name": "stderr",
                       "text": f"coderunner: an image of {size} bytes was dropped: over the cap of 4 MiB per image\n"})
            return False
        if self.images + 1 > IMAGE_CELL_MAX_COUNT or self.image_bytes + size > IMAGE_CELL_MAX_BYTES:
            if not self.said_image_cap:
                self.said_image_cap = True
                self.send({"type": "stream", "name": "stderr",
                           "text": "coderunner: images past 50 images or 16 MiB in one cell are not shown\n"})
            return False
        self.images += 1
        self.image_bytes += size
        return True


class Capture:
    """Fd 1 and 2 of the kernel are pipes; what arrives on them becomes stream messages, in order with the rest."""

    def __init__(self, channel):
        self._channel = channel
        self._lock = threading.Lock()
        self._streams = []
        for fd, name in ((1, "stdout"), (2, "stderr")):
            read_end, write_end = os.pipe()
            os.set_blocking(read_end, False)
            os.dup2(write_end, fd)
            os.close(write_end)
            self._streams.append((read_end, name, codecs.getincrementaldecoder("utf-8")("replace")))
        threading.Thread(target=self._pump, daemon=True).start()

    def _read(self, fd, name, decoder):
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return False
        if not data:
            return False
        text = decoder.decode(data)
        if text and self._channel.count_text(len(data)):
            self._channel.send({"type": "stream", "name": name, "text": text})
        return True

    def _pump(self):
        fds = [s[0] for s in self._streams]
        while True:
            ready, _, _ = select.select(fds, [], [])
            time.sleep(0.005)  # a print is several writes: one message for them, not one each
            with self._lock:
                for fd, name, decoder in self._streams:
                    if fd in ready:
                        self._read(fd, name, decoder)

    def sync(self):
        """Sends everything written to fd 1 and 2 so far, before whatever the caller sends next."""
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except Exception:
                pass
        with self._lock:
            for fd, name, decoder in self._streams:
                while self._read(fd, name, decoder):
                    pass


def load_ipython():
    """Imports IPython's core without its package's __init__, which loads the terminal front end (prompt_toolkit,
    half the start-up time) that a kernel never uses. `import IPython` then gives this lighter package, with
    get_ipython, the version and every submodule (IPython.display, IPython.core, ...)."""
    import importlib
    import importlib.util
    import types

    # Jedi serves only tab completion, which this kernel does not offer, and costs a quarter of the start-up: IPython's
    # completer is told it is missing, and a cell can still import it (make_shell forgets the stand-in).
    sys.modules.setdefault("jedi", None)
    spec = importlib.util.find_spec("IPython")
    package = types.ModuleType("IPython")
    package.__path__ = list(spec.submodule_search_locations)
    package.__file__ = spec.origin
    package.__spec__ = spec

    def lazy(name):
        try:
            return importlib.import_module("IPython." + name)
        except ImportError:
            raise AttributeError(f"module 'IPython' has no attribute '{name}'") from None

    package.__getattr__ = lazy
    sys.modules["IPython"] = package
    from IPython.core.getipython import get_ipython
    from IPython.core import release
    package.get_ipython = get_ipython
    package.__version__ = release.version
    package.version_info = release.version_info


def make_shell(channel, capture):
    load_ipython()
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    def publish_data(data):
        out = {}
        for mime, value in data.items():
            if isinstance(value, (bytes, bytearray)):
                value = base64.b64encode(value).decode("ascii")
            elif not isinstance(value, str):
                value = json.dumps(value) if mime.endswith("json") else str(value)
            if mime.startswith("image/") and not mime.endswith("svg+xml"):
                if not channel.allow_image(len(value) * 3 // 4):
                    continue
            elif not channel.count_text(len(value)):
                continue
            out[mime] = value
        return out

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            capture.sync()
            data = publish_data(data)
            if data:
                channel.send({"type": "display", "data": data, "execution_count": None})

        def clear_output(self, wait=False):
            pass

    class Hook(DisplayHook):
        def start_displayhook(self):
            capture.sync()

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            data = publish_data(format_dict)
            if data:
                channel.send({"type": "display", "data": data, "execution_count": self.shell.execution_count})

        def finish_displayhook(self):
            pass

    class Shell(InteractiveShell):
        displayhook_class = Hook
        display_pub_class = Publisher

        def _showtraceback(self, etype, evalue, stb):
            capture.sync()
            channel.send({"type": "error", "ename": getattr(etype, "__name__", str(etype)), "evalue": str(evalue),
                          "traceback": list(stb)})

        def enable_gui(self, gui=None):
            pass

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "Linux"
    config.InteractiveShell.autoindent = False
    shell = Shell.instance(config=config)
    if "jedi" in sys.modules and sys.modules["jedi"] is None:
        del sys.modules["jedi"]
    return shell


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cwd", default=".")
    parser.add_argument("--output-limit", type=int, default=1024 * 1024)
    args = parser.parse_args()
    writable_matplotlib_config()

    # The protocol keeps the real stdin and stdout on descriptors of its own; user code gets /dev/null and pipes.
    proto_out = os.dup(1)
    proto_in = os.dup(0)
    for fd in (proto_out, proto_in):
        os.set_inheritable(fd, False)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    channel = Channel(proto_out, proto_in, args.output_limit)
    capture = Capture(channel)
    sys.stdin = open(os.devnull, "r")

    running = {"cell": False}

    def on_sigint(signum, frame):
        if running["cell"]:
            raise KeyboardInterrupt
    signal.signal(signal.SIGINT, on_sigint)

    os.makedirs(args.cwd, exist_ok=True)
    os.chdir(args.cwd)
    sys.path.insert(0, "")
    shell = make_shell(channel, capture)

    def ask(prompt="", password=False):
        capture.sync()
        channel.send({"type": "input_request", "prompt": str(prompt), "password": password})
        while True:
            message = channel.read()
            if message is None:
                raise EOFError("the notebook closed")
            if message.get("type") == "input_reply":
                return str(message.get("value", ""))

    import getpass
    builtins.input = lambda prompt="": ask(prompt)
    getpass.getpass = lambda prompt="Password: ", stream=None: ask(prompt, True)
    channel.send({"type": "ready"})

    while True:
        message = channel.read()
        if message is None:
            return
        if message.get("type") != "execute":
            continue
        cell = message.get("id")
        channel.start_cell(cell)
        count = shell.execution_count
        status = "ok"
        try:
            try:
                running["cell"] = True
                result = shell.run_cell(str(message.get("code", "")), store_history=True)
            finally:
                running["cell"] = False
            if not result.success:
                status = "error"
        except KeyboardInterrupt:
            # Interrupted outside the user's code (in IPython's own machinery): the cell still ends with the error.
            status = "error"
            shell.showtraceback()
        capture.sync()
        channel.send({"type": "done", "status": status, "execution_count": count})
        channel.cell = None


if __name__ == "__main__":
    main()
