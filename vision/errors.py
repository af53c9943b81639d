"""The one exception type of the library, with the platform's stable error codes."""

from __future__ import annotations

__all__ = ["VisionError", "ERROR_CODES"]

#: Every code the library raises, with its HTTP status in the platform's error table.
ERROR_CODES: dict[str, int] = {
    "frame_too_large": 413,
    "unsupported_image": 400,
    "invalid_frame_size": 400,
    "frame_out_of_order": 400,
    "duplicate_frame_id": 400,
    "invalid_request": 400,
    "session_empty": 422,
    "payload_too_large": 413,
    "internal_error": 500,
}


class VisionError(Exception):
    """Bad input or a broken promise, with a stable ``code`` to branch on.

    Parameters
    ----------
    code : str
        One of :data:`ERROR_CODES`; callers pivot off this, never off ``message``.
    message : str
        Human-readable explanation, naming what to fix.
    param : str, optional
        The offending field or parameter, when there is one.

    Examples
    --------
    >>> err = VisionError("frame_out_of_order", "t_ms 5 is before 10", param="t_ms")
    >>> err.code, err.param
    ('frame_out_of_order', 't_ms')
    >>> err.to_dict()["error"]["code"]
    'frame_out_of_order'
    """

    def __init__(self, code: str, message: str, param: str | None = None) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code!r}; expected one of {sorted(ERROR_CODES)}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.param = param

    @property
    def status(self) -> int:
        """The HTTP status the platform pairs with this code."""
        return ERROR_CODES[self.code]

    def to_dict(self) -> dict:
        """The platform's error envelope (without ``request_id``, which only the server has)."""
        body = {"code": self.code, "message": self.message}
        if self.param is not None:
            body["param"] = self.param
        return {"error": body}

    def __str__(self) -> str:
        where = f" ({self.param})" if self.param else ""
        return f"{self.code}{where}: {self.message}"

    def __reduce__(self):  # keep code and param across process boundaries (batch workers)
        return (type(self), (self.code, self.message, self.param))
