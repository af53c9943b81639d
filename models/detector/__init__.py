"""Training, export and evaluation of the UI-element detector shipped as ``models/ui_detector.onnx``."""
