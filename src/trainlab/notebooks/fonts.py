"""Korean labels in matplotlib figures: use a CJK font when one is installed.

Debian's ``fonts-noto-cjk`` ships Noto Sans CJK as ``.ttc`` collections; a
matplotlib font cache built before they were installed does not list them, so
:func:`use_korean_font` adds the files it finds before choosing the family.
"""

from __future__ import annotations

#: families tried in order; the KR face draws Hangul in its Korean forms
CJK_FAMILIES = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Noto Sans CJK JP",
    "NanumGothic",
    "Malgun Gothic",
    "AppleGothic",
)


def _known(font_manager) -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def find_korean_family() -> str | None:
    """The first of :data:`CJK_FAMILIES` that matplotlib can use, or None."""
    from matplotlib import font_manager

    known = _known(font_manager)
    if not any(name in known for name in CJK_FAMILIES):
        for path in font_manager.findSystemFonts():
            if "CJK" in path or "Nanum" in path:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        known = _known(font_manager)
    return next((name for name in CJK_FAMILIES if name in known), None)


def use_korean_font() -> str | None:
    """Make matplotlib draw Hangul: put a CJK family first in ``font.sans-serif``.

    Returns the family used, or None when no CJK font is installed (labels then
    show empty boxes; on Debian ``apt-get install fonts-noto-cjk`` fixes it).
    """
    import matplotlib

    family = find_korean_family()
    if family is None:
        return None
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f != family]
    matplotlib.rcParams["font.sans-serif"] = [family, *rest]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False  # the hyphen, which every font has
    return family
