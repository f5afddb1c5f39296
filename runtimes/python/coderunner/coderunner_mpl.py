"""CodeRunner's matplotlib backend: plt.show() sends every open figure to the run's console as a PNG.

Selected with MPLBACKEND=module://coderunner_mpl. Figures still open when the program ends are sent too. Each PNG
goes to the agent's image channel (the descriptor named by CODERUNNER_IMAGE_FD): a u32 length, little-endian, then
the bytes; the agent answers one byte once it has sent the image on, after the text written before it
(runtimes/agent/PROTOCOL.md, "Images"). Without the channel, figures are rendered nowhere, as with Agg.
"""
import atexit
import io
import os
import struct
import sys

from matplotlib._pylab_helpers import Gcf
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def _channel():
    try:
        return int(os.environ["CODERUNNER_IMAGE_FD"])
    except (KeyError, ValueError):
        return None


def _send(png):
    fd = _channel()
    if fd is None:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    try:
        data = struct.pack("<I", len(png)) + png
        while data:
            data = data[os.write(fd, data):]
        os.read(fd, 1)  # the agent sent it on: later text comes after it
    except OSError:
        pass


def _show_all():
    for manager in Gcf.get_all_fig_managers():
        buffer = io.BytesIO()
        manager.canvas.figure.savefig(buffer, format="png")
        _send(buffer.getvalue())
    Gcf.destroy_all()


def show(*args, **kwargs):
    """Sends every open figure, then closes them, as an inline backend does."""
    _show_all()


atexit.register(_show_all)
