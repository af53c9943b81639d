"""The network: a small anchor-free detector with one stride-4 output (TTFNet / CenterNet style).

A depthwise-separable encoder goes down to stride 32, so a location sees a few hundred pixels
of context (a tab among tabs, a menu item inside its popup, a link's colour beside plain text);
a top-down path brings that context back to stride 4, where a 13 px check box still spans three
cells. Per class, a heat map peaks at element centres; four distances (left, top, right, bottom,
in pixels) place the box edges from each cell's centre.

The exported graph takes ``(N, 3, H, W)`` RGB in 0..255 with ``H`` and ``W`` multiples of 32 and
returns ``peaks`` (sigmoid scores, zero except at 3 x 3 local maxima) and ``ltrb``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["Detector", "Exported", "STRIDE", "BOX_SCALE"]

STRIDE = 4
BOX_SCALE = 16.0
"""Distances are ``BOX_SCALE * exp(raw)``: a raw 0 means 16 px."""


def _conv(c_in: int, c_out: int, k: int = 3, stride: int = 1, groups: int = 1,
          dilation: int = 1, act: bool = True) -> nn.Sequential:
    """A convolution with bias and no normalisation: on CPU, batch norm's backward pass took a
    training step on 16 crops of 384 px from 1.3 s to 4.2 s, and blocks this few train
    without it."""
    pad = dilation * (k // 2)
    layers = [nn.Conv2d(c_in, c_out, k, stride, pad, dilation=dilation, groups=groups)]
    if act:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class _Separable(nn.Module):
    """Depthwise 3 x 3 then pointwise 1 x 1; residual when the shape is kept."""

    def __init__(self, c_in: int, c_out: int, stride: int = 1, dilation: int = 1):
        super().__init__()
        self.depthwise = _conv(c_in, c_in, 3, stride, groups=c_in, dilation=dilation,
                                  act=False)
        self.pointwise = _conv(c_in, c_out, 1)
        self.residual = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.pointwise(self.depthwise(x))
        return x + y if self.residual else y


def _stage(c_in: int, c_out: int, blocks: int, dilations: tuple[int, ...] = ()) -> nn.Sequential:
    dil = dilations or (1,) * blocks
    return nn.Sequential(_Separable(c_in, c_out, stride=2),
                         *(_Separable(c_out, c_out, dilation=d) for d in dil[:blocks]))


class Detector(nn.Module):
    """Heat maps and box distances at stride 4 for ``num_classes`` element classes."""

    def __init__(self, num_classes: int, width: tuple[int, ...] = (16, 32, 48, 64, 96),
                 neck: int = 32):
        super().__init__()
        c1, c2, c3, c4, c5 = width
        self.stem = _conv(3, c1, 3, stride=2)
        self.s4 = _stage(c1, c2, 1)
        self.s8 = _stage(c2, c3, 2)
        self.s16 = _stage(c3, c4, 3, (1, 2, 3))
        self.s32 = _stage(c4, c5, 3, (1, 2, 3))
        self.lateral = nn.ModuleList(nn.Conv2d(c, neck, 1) for c in (c2, c3, c4, c5))
        self.smooth = nn.ModuleList(_Separable(neck, neck) for _ in range(3))
        self.head = _Separable(neck, neck)
        self.heat = nn.Conv2d(neck, num_classes, 1)
        self.box = nn.Conv2d(neck, 4, 1)
        nn.init.constant_(self.heat.bias, -4.6)   # start from p = 0.01, as focal loss wants
        nn.init.zeros_(self.box.bias)

    def features(self, image: torch.Tensor) -> torch.Tensor:
        x = self.stem(image * (1 / 255) - 0.5)
        f4 = self.s4(x)
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        top = self.lateral[3](f32)
        for feat, lateral, smooth in zip((f16, f8, f4), self.lateral[2::-1], self.smooth):
            top = smooth(lateral(feat) + F.interpolate(top, scale_factor=2, mode="nearest"))
        return self.head(top)

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Raw heat-map logits ``(N, C, H/4, W/4)`` and distances in pixels ``(N, 4, H/4, W/4)``."""
        f = self.features(image)
        return self.heat(f), BOX_SCALE * torch.exp(self.box(f).clamp(-6, 6))


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
