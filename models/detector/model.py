"""The network: a small anchor-free detector with one stride-4 output (TTFNet / CenterNet style).

A plain convolutional encoder goes down to stride 64. Dense 3 x 3 convolutions do most of the
work: on this CPU they run at several times the speed per multiply of depthwise ones, both in
training and in onnxruntime, so a network with six times the weights of a depthwise one costs
about the same per pixel. Dilated blocks at strides 16, 32 and 64 give each location context
the width of a screen (a title bar's far end, the list a row belongs to, a tab among tabs, a
link's colour beside plain text); a top-down path brings it back to stride 4, where a 13 px
check box still spans three cells. Per class, a heat map peaks at element centres; four
distances (left, top, right, bottom, in pixels) place the box edges from each cell's centre.

No batch normalisation: on CPU its backward pass more than tripled a training step. Residual
blocks add before their activation, as in ResNet, which trains this depth without it.

The exported graph takes ``(N, 3, H, W)`` RGB in 0..255 with ``H`` and ``W`` multiples of 64 and
returns ``peaks`` (sigmoid scores, zero except at 3 x 3 local maxima) and ``ltrb``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .targets import STRIDE

__all__ = ["Detector", "Exported", "STRIDE", "MULTIPLE", "BOX_SCALE"]

MULTIPLE = 64
"""Input sides must be multiples of the encoder's total stride."""
BOX_SCALE = 16.0
"""Distances are ``BOX_SCALE * exp(raw)``: a raw 0 means 16 px."""


def _down(c_in: int, c_out: int) -> nn.Sequential:
    """Halve the resolution: a stride-2 3 x 3 convolution and ReLU."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, 2, 1), nn.ReLU(inplace=True))


class _Residual(nn.Module):
    """``relu(x + conv3x3(x))``, optionally dilated."""

    def __init__(self, channels: int, dilation: int = 1):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, 1, dilation, dilation=dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x + self.conv(x))


class _Separable(nn.Module):
    """``relu(x + pointwise(depthwise(x)))``: cheap mixing at stride 4, where dense 3 x 3
    convolutions would cost the most."""

    def __init__(self, channels: int):
        super().__init__()
        self.depthwise = nn.Conv2d(channels, channels, 3, 1, 1, groups=channels)
        self.pointwise = nn.Conv2d(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x + self.pointwise(self.depthwise(x)))


def _stage(c_in: int, c_out: int, dilations: tuple[int, ...]) -> nn.Sequential:
    return nn.Sequential(_down(c_in, c_out), *(_Residual(c_out, d) for d in dilations))


class Detector(nn.Module):
    """Heat maps and box distances at stride 4 for ``num_classes`` element classes."""

    def __init__(self, num_classes: int, neck: int = 32):
        super().__init__()
        self.stem = _down(3, 16)                                   # stride 2
        self.encoder = nn.ModuleList([
            nn.Sequential(_down(16, 32), _Separable(32)),          # 4
            _stage(32, 48, (1,)),                                  # 8
            _stage(48, 80, (1, 2, 3)),                             # 16
            _stage(80, 128, (1, 2, 4)),                            # 32
            _stage(128, 128, (1, 2)),                              # 64
        ])
        widths = (32, 48, 80, 128, 128)
        self.lateral = nn.ModuleList(nn.Conv2d(c, neck, 1) for c in widths)
        self.smooth = nn.ModuleList(_Separable(neck) for _ in widths[:-1])
        self.head = _Separable(neck)
        self.heat = nn.Conv2d(neck, num_classes, 1)
        self.box = nn.Conv2d(neck, 4, 1)
        nn.init.constant_(self.heat.bias, -4.6)   # start from p = 0.01, as focal loss wants
        nn.init.zeros_(self.box.bias)

    def features(self, image: torch.Tensor) -> torch.Tensor:
        """Stride-4 features ``(N, neck, H/4, W/4)`` of ``(N, 3, H, W)`` RGB in 0..255."""
        x = self.stem(image * (1 / 255) - 0.5)
        levels = []
        for stage in self.encoder:
            x = stage(x)
            levels.append(x)
        top = self.lateral[-1](levels[-1])
        for level, lateral, smooth in zip(levels[-2::-1], self.lateral[-2::-1],
                                          self.smooth[::-1]):
            top = smooth(lateral(level) + F.interpolate(top, scale_factor=2, mode="nearest"))
        return self.head(top)

    def predict(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Raw heat-map logits ``(N, C, h, w)`` and distances in pixels ``(N, 4, h, w)``."""
        return self.heat(features), BOX_SCALE * torch.exp(self.box(features).clamp(-6, 6))

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.predict(self.features(image))


class Exported(nn.Module):
    """The inference graph: sigmoid scores kept only at 3 x 3 local maxima, and distances."""

    def __init__(self, detector: Detector):
        super().__init__()
        self.detector = detector

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits, ltrb = self.detector(image)
        scores = torch.sigmoid(logits)
        peaks = scores * (F.max_pool2d(scores, 3, 1, 1) == scores).to(scores.dtype)
        return peaks, ltrb
