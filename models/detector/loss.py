"""The training loss (TTFNet): focal loss on the heat maps, weighted GIoU on the boxes."""

from __future__ import annotations

import numpy as np
import torch

from .targets import STRIDE

__all__ = ["detection_loss", "to_tensors"]


def _cell_centres(h: int, w: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Pixel x and y of every output cell's centre, each (h, w)."""
    xs = (torch.arange(w, dtype=torch.float32) + 0.5) * STRIDE
    ys = (torch.arange(h, dtype=torch.float32) + 0.5) * STRIDE
    return xs[None, :].expand(h, w), ys[:, None].expand(h, w)


def _giou_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """1 - generalised IoU of (n, 4) ``x0 y0 x1 y1`` boxes."""
    area_p = (pred[:, 2] - pred[:, 0]) * (pred[:, 3] - pred[:, 1])
    area_t = (target[:, 2] - target[:, 0]) * (target[:, 3] - target[:, 1])
    lt = torch.maximum(pred[:, :2], target[:, :2])
    rb = torch.minimum(pred[:, 2:], target[:, 2:])
    inter = (rb - lt).clamp(min=0).prod(dim=1)
    union = area_p + area_t - inter
    hull = (torch.maximum(pred[:, 2:], target[:, 2:]) -
            torch.minimum(pred[:, :2], target[:, :2])).prod(dim=1)
    iou = inter / union.clamp(min=1e-6)
    return 1 - iou + (hull - union) / hull.clamp(min=1e-6)


def detection_loss(logits: torch.Tensor, ltrb: torch.Tensor,
                   targets: dict[str, torch.Tensor]) -> tuple[torch.Tensor, dict[str, float]]:
    """Focal loss on the heat maps plus 5 x weighted GIoU on the boxes (TTFNet's balance)."""
    heat, heat_weight = targets["heat"], targets["heat_weight"][:, None]
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    positive = heat.eq(1).float()
    pos_loss = -torch.log(p) * (1 - p) ** 2 * positive
    neg_loss = -torch.log(1 - p) * p ** 2 * (1 - heat) ** 4 * (1 - positive)
    num_pos = positive.sum().clamp(min=1)
    focal = ((pos_loss + neg_loss) * heat_weight).sum() / num_pos

    cx, cy = _cell_centres(*logits.shape[-2:])
    pred = torch.stack([cx - ltrb[:, 0], cy - ltrb[:, 1], cx + ltrb[:, 2], cy + ltrb[:, 3]], 1)
    weight = targets["box_weight"]
    mask = weight > 0
    if mask.any():
        pb = pred.permute(0, 2, 3, 1)[mask]
        tb = targets["box"].permute(0, 2, 3, 1)[mask]
        giou = (_giou_loss(pb, tb) * weight[mask]).sum() / weight[mask].sum().clamp(min=1e-6)
    else:
        giou = logits.sum() * 0
    total = focal + 5 * giou
    return total, {"focal": focal.item(), "giou": giou.item()}


def to_tensors(batch: list[dict[str, np.ndarray]]) -> dict[str, torch.Tensor]:
    """Stack per-crop targets into batch tensors."""
    return {k: torch.from_numpy(np.stack([t[k] for t in batch])) for k in batch[0]}

