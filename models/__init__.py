"""Model files shipped with vision (installed as ``vision._models``), their training code and
model cards. Only the ``*.onnx`` and ``*.json`` files of this folder are installed."""
