"""Charts as PNG and SVG files: Plotly's drawn by Kaleido in Chromium, Vega-Lite's by vl-convert.

Kaleido (≥ 1) renders a figure in a headless Chrome or Chromium found by
choreographer: the path in ``$BROWSER_PATH`` if set, else ``chromium``,
``google-chrome`` and the like on ``PATH`` (Debian's ``chromium`` package).
Nothing is downloaded at run time: MathJax (fetched from a CDN by default) is
turned off and plotly.js comes from the installed plotly package. One browser
is started on the first export and kept for the next ones (the first takes a
few seconds, later ones half a second); exports are made one at a time.

A Vega-Lite chart (a spec with its data written in) is drawn by vl-convert,
which carries Vega and its fonts' layout in the package: no browser, nothing
downloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

__all__ = ["FORMATS", "ExportUnavailableError", "figure_bytes"]

#: File formats a chart is offered in, and their MIME types.
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}

_lock = threading.Lock()
_started = False


class ExportUnavailableError(RuntimeError):
    """No browser to draw the figure with (Kaleido or Chromium missing)."""


def _kaleido() -> Any:
    global _started
    try:
        import kaleido
    except ImportError as err:
        raise ExportUnavailableError("Kaleido is not installed (pip install 'kaleido>=1')") from err
    if not _started:
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        _started = True
    return kaleido


def figure_bytes(
    figure: go.Figure | Mapping[str, Any], file_format: str, *, scale: float = 2.0
) -> bytes:
    """``figure`` (a Plotly figure or a Vega-Lite spec) as a PNG (``scale`` times its pixel
    size) or SVG file.

    Raises
    ------
    ValueError
        If ``file_format`` is not one of :data:`FORMATS`.
    ExportUnavailableError
        If Kaleido or a Chrome/Chromium cannot be found.
    """
    if file_format not in FORMATS:
        raise ValueError(f"file_format must be one of {tuple(FORMATS)}, got {file_format!r}")
    if not isinstance(figure, go.Figure):
        return _vega_bytes(figure, file_format, scale=scale)
    layout = figure.layout
    options = {
        "format": file_format,
        "width": layout.width or 1200,
        "height": layout.height or 500,
        "scale": scale if file_format == "png" else 1,
    }
    with _lock:
        kaleido = _kaleido()
        try:
            found = kaleido.calc_fig_sync(figure.to_dict(), opts=options)
        except Exception as err:
            if type(err).__name__ == "ChromeNotFoundError":
                raise ExportUnavailableError(
                    "No Chrome or Chromium found for the export: install Debian's chromium "
                    "package or set BROWSER_PATH to a Chrome/Chromium executable."
                ) from err
            raise
    return bytes(found)


def _vega_bytes(spec: Mapping[str, Any], file_format: str, *, scale: float) -> bytes:
    """The Vega-Lite ``spec`` drawn by vl-convert as PNG or SVG."""
    try:
        import vl_convert
    except ImportError as err:
        raise ExportUnavailableError(
            "vl-convert is not installed (pip install 'vl-convert-python>=1.7')"
        ) from err
    if file_format == "svg":
        return str(vl_convert.vegalite_to_svg(dict(spec))).encode("utf-8")
    return bytes(vl_convert.vegalite_to_png(dict(spec), scale=scale))
