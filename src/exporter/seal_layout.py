"""Where the seals of a joint sealed sign-off go: decided once, in pt, for both writers [S5, S6].

GB/T 9704-2012 7.3.5.1 asks for one seal per issuer, each upright and centred over its own 署名,
the last one over the last 署名 and the 成文日期; seals in neat rows that neither intersect nor
touch, each row inside the 版心, the first within one line of the 正文. The standard does not
draw the rows; this module does, and the profile sizes it (`[seal]`):

* at most `seals_per_row` seals a row (three 42 mm seals fit the 156 mm 版心, four do not);
* rows balanced, fuller first (4 → 2+2, 5 → 3+2, 7 → 3+2+2), in issuer order, the host top left;
* every row right-aligned on the date's centre, so the last seal presses on the date (右空四字)
  and the columns line up from row to row;
* neighbouring centres `diameter + joint_gap_mm` apart, or more when a 署名 is wider than a
  seal, so no two 署名 touch either; fewer seals a row when a row would leave the 版心;
* rows `ceil((seal height + gap) / line pitch)` grid lines apart, so no seal touches the next row's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .reader.format_fields import png_size


@dataclass(frozen=True)
class SealGrid:
    rows: tuple[tuple[int, ...], ...]       # issuer indices of each row, left to right
    centres: tuple[float, ...]              # each issuer's seal centre, pt from the 版心's left edge
    lines_between_rows: int                 # grid lines from one row's 署名 line to the next row's


def seal_grid(name_widths: list[float], diameter: float, height: float, gap: float, per_row: int,
              date_centre: float, text_width: float, line_pitch: float, name_gap: float) -> SealGrid:
    """The rows of a joint sealed sign-off. `name_widths` are the 署名 widths in issuer order;
    `height` the tallest seal image; `name_gap` the least room between two 署名 on one line."""
    count = len(name_widths)
    pitch = max(diameter + gap, max(name_widths) + name_gap)
    half = max(diameter, max(name_widths)) / 2
    across = max(1, min(per_row, count))
    while across > 1 and date_centre - (across - 1) * pitch - half < 0:
        across -= 1
    row_count = math.ceil(count / across)
    sizes = [count // row_count + (1 if k < count % row_count else 0) for k in range(row_count)]
    rows: list[tuple[int, ...]] = []
    centres: list[float] = []
    first = 0
    for size in sizes:
        rows.append(tuple(range(first, first + size)))
        centres += [date_centre - (size - 1 - j) * pitch for j in range(size)]
        first += size
    return SealGrid(tuple(rows), tuple(centres), math.ceil((height + gap) / line_pitch))


def image_height(png: bytes, width: float) -> float:
    """The height a PNG is drawn at when `width` wide (its pixel ratio kept)."""
    pixels = png_size(png)
    return width * pixels[1] / pixels[0] if pixels else width


def overhang_lines(height: float, line_pitch: float) -> int:
    """Grid lines a picture `height` tall, centred on a line, reaches above (and below) it: a
    签名章 centred on its 职务 line keeps that many more blank lines from the 正文 and the date [S9]."""
    return math.ceil(max(0.0, height - line_pitch) / 2 / line_pitch)
