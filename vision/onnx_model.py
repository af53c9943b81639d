"""A generic onnxruntime session wrapper; knows nothing of what the model does.

One session per process and model file, created on first use and shared by threads (an
onnxruntime session's ``run`` is thread-safe). The wrapper pickles as its path alone, so it can
be sent to worker processes, where it opens its own session.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

import numpy as np

from .errors import VisionError

__all__ = ["OnnxModel", "bundled_model", "bundled_path"]

_SESSIONS: dict[tuple[str, int], object] = {}
_LOCK = threading.Lock()


def bundled_path(name: str) -> Path:
    """Where a model file shipped in the package lives (``models/`` in the source tree),
    whether or not it is there."""
    try:
        return Path(str(resources.files("vision._models").joinpath(name)))
    except ModuleNotFoundError:  # running from a source tree that was not installed
        return Path(__file__).resolve().parents[1] / "models" / name


def bundled_model(name: str) -> Path:
    """Path of a model file shipped in the package, checked to exist.

    Raises
    ------
    VisionError
        ``internal_error`` when the file is missing: the install is broken (nothing is ever
        downloaded in its place).
    """
    path = bundled_path(name)
    if not path.is_file():
        raise VisionError("internal_error", f"model file {name} is missing from the "
                          f"installation ({path}); reinstall nusomi-vision", param="model")
    return path


class OnnxModel:
    """Run an ONNX model: ``model(x)`` returns the first output, ``model.run(...)`` all.

    Parameters
    ----------
    path : str or Path
        The ``.onnx`` file.
    threads : int
        Intra-op threads of the session; 1 keeps a batch worker on its own core.
    """

    def __init__(self, path: str | Path, *, threads: int = 1) -> None:
        self.path = Path(path)
        self.threads = threads

    def __getstate__(self):
        return {"path": self.path, "threads": self.threads}

    def __setstate__(self, state):
        self.__init__(state["path"], threads=state["threads"])

    @property
    def session(self):
        key = (str(self.path), self.threads)
        session = _SESSIONS.get(key)
        if session is None:
            with _LOCK:
                session = _SESSIONS.get(key)
                if session is None:
                    import onnxruntime as ort

                    options = ort.SessionOptions()
                    options.intra_op_num_threads = self.threads
                    options.inter_op_num_threads = 1
                    options.log_severity_level = 3
                    session = ort.InferenceSession(str(self.path), options,
                                                   providers=["CPUExecutionProvider"])
                    _SESSIONS[key] = session
        return session

    @property
    def input_names(self) -> list[str]:
        return [i.name for i in self.session.get_inputs()]

    @property
    def metadata(self) -> dict[str, str]:
        return dict(self.session.get_modelmeta().custom_metadata_map)

    def run(self, *inputs: np.ndarray) -> list[np.ndarray]:
        feeds = dict(zip(self.input_names, inputs))
        return self.session.run(None, feeds)

    def __call__(self, *inputs: np.ndarray) -> np.ndarray:
        return self.run(*inputs)[0]
