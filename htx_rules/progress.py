"""A one-line progress report for long runs (``htx-rules batch``).

Plain text, redrawn in place with a carriage return: the rows done, the share
of the file read when it is known, and the rows per second.  It appears only
once a run has lasted :data:`SHOW_AFTER` seconds, so that short runs print
nothing, and is redrawn at most every :data:`REDRAW_EVERY` seconds.  It writes
through the function it is given (the command line gives standard error's
``write``, and only when standard error is a terminal), and reads the time
from the clock it is given.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Final

from htx_rules.decimals import Lang, format_number
from htx_rules.messages import render_message

#: seconds a run lasts before the report appears
SHOW_AFTER: Final = 1.0
#: seconds between two drawings of the report
REDRAW_EVERY: Final = 0.25


class Progress:
    """Rows done so far, drawn on one line of a terminal."""

    def __init__(
        self,
        write: Callable[[str], object],
        lang: Lang,
        *,
        clock: Callable[[], float] = time.monotonic,
        show_after: float | None = None,
    ) -> None:
        self._write = write
        self._lang: Lang = lang
        self._clock = clock
        self._start = clock()
        self._next = self._start + (SHOW_AFTER if show_after is None else show_after)
        self._width = 0
        #: whether the report has been drawn
        self.shown = False

    def update(self, rows: int, share: float | None = None) -> None:
        """Say that ``rows`` rows are done (``share``: of the file read, 0 to 1)."""
        now = self._clock()
        if now < self._next:
            return
        self._next = now + REDRAW_EVERY
        args: dict[str, object] = {
            "rows": _whole(rows, self._lang),
            "rate": _whole(self._rate(rows, now), self._lang),
        }
        code = "batch-progress"
        if share is not None:
            code = "batch-progress-share"
            args["share"] = min(99, int(share * 100))
        self._draw(render_message(code, args, self._lang))

    def clear(self) -> None:
        """Take the report off its line, so that other text can be written."""
        if self.shown and self._width:
            self._write("\r" + " " * self._width + "\r")
            self._width = 0

    def finish(self, rows: int) -> None:
        """End the report with the totals, when it was shown at all."""
        if not self.shown:
            return
        now = self._clock()
        seconds = Decimal(f"{now - self._start:.1f}")
        words = render_message(
            "batch-progress-done",
            {
                "rows": _whole(rows, self._lang),
                "seconds": format_number(seconds, self._lang),
                "rate": _whole(self._rate(rows, now), self._lang),
            },
            self._lang,
        )
        self._draw(words)
        self._write("\n")

    def _rate(self, rows: int, now: float) -> int:
        elapsed = now - self._start
        return int(rows / elapsed) if elapsed > 0 else 0

    def _draw(self, words: str) -> None:
        padding = " " * max(0, self._width - len(words))
        self._write("\r" + words + padding)
        self._width = len(words)
        self.shown = True


def _whole(number: int, lang: Lang) -> str:
    return format_number(Decimal(number), lang)


__all__ = ["REDRAW_EVERY", "SHOW_AFTER", "Progress"]
