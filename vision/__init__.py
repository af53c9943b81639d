"""vision: typed user events from remote-desktop and canvas screen frames.

>>> import vision
>>> sorted(vision.EVENT_TYPES)
['click', 'input_text', 'screen_change', 'scroll', 'select', 'validation_error']
"""

from .errors import VisionError
from .events import (EVENT_TYPES, Click, Event, InputText, Payload, ScreenChange, Scroll, Select,
                     Target, TrueEvent, ValidationError, read_events, read_truth, upload_bodies,
                     write_events)
from .extractor import Extractor, ExtractorConfig, extract_session, iter_session_events
from .frames import Frame
from .sessions import StoredSession, read_session

__version__ = "0.1.0"

__all__ = [
    "VisionError", "EVENT_TYPES", "Click", "Event", "InputText", "Payload", "ScreenChange",
    "Scroll", "Select", "Target", "TrueEvent", "ValidationError", "read_events", "read_truth",
    "upload_bodies", "write_events", "Extractor", "ExtractorConfig", "extract_session",
    "iter_session_events", "Frame", "StoredSession", "read_session", "__version__",
]
