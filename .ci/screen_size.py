"""The screen size a screenshot script shoots at: `--size WxH` (default 1366x768, the shop
laptop). Pictures at the default size keep their plain names; other sizes add "-WxH"."""

from __future__ import annotations

import sys

DEFAULT = (1366, 768)


def screen_size(argv: list[str] | None = None) -> tuple[int, int]:
    args = sys.argv[1:] if argv is None else argv
    if "--size" not in args:
        return DEFAULT
    width, height = args[args.index("--size") + 1].lower().split("x")
    return int(width), int(height)


def size_suffix(size: tuple[int, int]) -> str:
    return "" if size == DEFAULT else f"-{size[0]}x{size[1]}"
