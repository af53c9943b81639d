"""A self-contained HTML page showing a session's events on the frames they are anchored to.

Each event gets a card: its anchor frame (scaled down, JPEG, inlined) with the event's point and
box drawn on it, then its time, type, payload and confidence. Where the session has true events
(a benchmark session), they are listed beside the timeline for comparison.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import cv2
import numpy as np

from .events import Event, read_events
from .frames import decode_image
from .sessions import read_session

__all__ = ["write_report"]

_COLOURS = {  # BGR for OpenCV drawing
    "click": (40, 40, 230), "input_text": (200, 120, 0), "select": (160, 40, 160),
    "scroll": (0, 150, 0), "screen_change": (0, 140, 230), "validation_error": (0, 0, 180),
}
_THUMB_WIDTH = 720


def _boxes(event: Event) -> list[tuple[int, int, int, int]]:
    p = event.payload
    out = []
    target = getattr(p, "target", None)
    if target is not None:
        out.append(target.bbox)
    for name in ("region", "bbox"):
        box = getattr(p, name, None)
        if box is not None:
            out.append(box)
    return out


def _thumbnail(rgb: np.ndarray, event: Event) -> str:
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    colour = _COLOURS.get(event.type, (0, 0, 0))
    for x, y, w, h in _boxes(event):
        cv2.rectangle(bgr, (x, y), (x + w, y + h), colour, 3)
    if event.type == "click":
        cv2.circle(bgr, (event.payload.x, event.payload.y), 9, colour, 3)
    scale = min(1.0, _THUMB_WIDTH / bgr.shape[1])
    if scale < 1.0:
        bgr = cv2.resize(bgr, (round(bgr.shape[1] * scale), round(bgr.shape[0] * scale)),
                         interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return base64.b64encode(data.tobytes()).decode("ascii")


def _card(event: Event, thumb: str | None) -> str:
    payload = json.dumps(event.to_dict()["payload"], ensure_ascii=False, indent=1)
    img = f'<img src="data:image/jpeg;base64,{thumb}">' if thumb else "<p>(frame not found)</p>"
    return (f'<section class="ev {event.type}"><h2>{event.t_ms / 1000:.2f} s · {event.type}'
            f' · {event.confidence:.2f}</h2>{img}<pre>{html.escape(payload)}</pre>'
            f'<p class="id">{event.id} · {event.frame_id}</p></section>')


def write_report(session_path: str | Path, events_path: str | Path,
                 out_path: str | Path) -> Path:
    """Write the HTML report of a stored session and its events file; return its path."""
    session = read_session(session_path)
    events = sorted(read_events(events_path))
    wanted = {e.frame_id for e in events}
    frames: dict[str, np.ndarray] = {}
    for frame in session.frames():
        if frame.frame_id in wanted:
            frames[frame.frame_id] = decode_image(frame.image, channels=frame.channels)
    cards = [_card(e, _thumbnail(frames[e.frame_id], e) if e.frame_id in frames else None)
             for e in events]
    truth = session.truth() or []
    truth_rows = "".join(
        f"<tr><td>{t.t_ms / 1000:.2f}</td><td>{t.type}</td><td><code>"
        f"{html.escape(json.dumps(t.to_dict()['payload'], ensure_ascii=False))}</code></td></tr>"
        for t in truth)
    truth_html = (f"<h1>True events ({len(truth)})</h1><table>{truth_rows}</table>"
                  if truth else "")
    page = f"""<!doctype html><html><head><meta charset="utf-8">
<title>{html.escape(session.session_id)}: {len(events)} events</title>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 24px; color: #222; }}
section.ev {{ border-left: 6px solid #888; padding: 4px 12px; margin: 18px 0; }}
section.click {{ border-color: #e62828; }} section.input_text {{ border-color: #0078c8; }}
section.select {{ border-color: #a028a0; }} section.scroll {{ border-color: #009600; }}
section.screen_change {{ border-color: #e68c00; }}
section.validation_error {{ border-color: #b40000; }}
h2 {{ font-size: 15px; margin: 6px 0; }} img {{ max-width: 100%; border: 1px solid #ccc; }}
pre {{ background: #f6f6f6; padding: 6px; white-space: pre-wrap; }}
.id {{ color: #888; font-size: 12px; }} td {{ padding: 2px 8px; vertical-align: top; }}
</style></head><body>
<h1>{html.escape(session.session_id)}</h1>
<p>{len(events)} events · source {html.escape(str(session.meta.get('source', '?')))}
· profile {html.escape(str(session.meta.get('profile', '-')))}</p>
{''.join(cards)}
{truth_html}
</body></html>"""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
