"""Export the trained network to ONNX (opset 17), with what the runtime needs as metadata.

    python -m models.detector.export   # an int8 copy of models/ui_detector.onnx, to compare

The metadata names the classes, the output stride and the multiple the input sides must be
padded to, so :mod:`vision.detect` needs nothing from this folder.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import onnx
import torch

from .classes import CLASSES
from .model import MULTIPLE, STRIDE, Detector, Exported

__all__ = ["export_onnx", "quantise"]


def export_onnx(model: Detector, path: Path, *, metadata: dict[str, str]) -> None:
    """Write ``model`` (eval mode) as an ONNX graph taking any batch and any padded size."""
    torch.onnx.export(Exported(model.eval()), torch.zeros(1, 3, 256, 256), str(path),
                      opset_version=17, input_names=["image"], output_names=["peaks", "ltrb"],
                      dynamic_axes={"image": {0: "n", 2: "h", 3: "w"},
                                    "peaks": {0: "n", 2: "gh", 3: "gw"},
                                    "ltrb": {0: "n", 2: "gh", 3: "gw"}}, dynamo=False)
    graph = onnx.load(str(path))
    meta = {"classes": json.dumps(list(CLASSES)), "stride": str(STRIDE),
            "multiple": str(MULTIPLE), **metadata}
    for key, value in meta.items():
        graph.metadata_props.add(key=key, value=value)
    onnx.save(graph, str(path))


def quantise(source: Path, target: Path) -> None:
    """Static int8 quantisation (QDQ, per channel) calibrated on training crops."""
    import numpy as np
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                          quantize_static)

    from .augment import random_crop
    from .data import load_split

    samples = load_split(Path("data/detector/train"))
    rng = np.random.default_rng(0)

    class Crops(CalibrationDataReader):
        def __init__(self):
            self._left = 32

        def get_next(self):
            if not self._left:
                return None
            self._left -= 1
            sample = samples[int(rng.integers(len(samples)))]
            crop = random_crop(sample.image(), sample.boxes, sample.labels, (192, 1280), rng,
                               None)
            return {"image": crop.image.transpose(2, 0, 1)[None].astype(np.float32)}

    quantize_static(str(source), str(target), Crops(), quant_format=QuantFormat.QDQ,
                    per_channel=True, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8)
    graph = onnx.load(str(target))
    graph.metadata_props.extend(onnx.load(str(source)).metadata_props)
    onnx.save(graph, str(target))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("models/ui_detector.onnx"))
    parser.add_argument("--out", type=Path, default=Path("data/detector/ui_detector.int8.onnx"))
    args = parser.parse_args(argv)
    quantise(args.model, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
