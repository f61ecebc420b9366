"""The results of a batch run, kept on disk instead of in memory (issue 17: flat memory).

A run of thousands of files reports on every file at the end (the summary table, the
warnings, the failures, the overview). Held in memory that grew with every plan; here each
result is written to an anonymous file in the run's `.zelfscan/` folder as it arrives and
read back when the report is made. The file has no name (on Linux it never appears in the
folder; elsewhere it is removed at once), so an interrupted run leaves nothing behind, and it
sits next to the plans it describes, not in a shared temp folder (only when the output
folder cannot hold such a file: the user's own temp folder): it holds the same organisational
findings as those plans.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from wizard.batch.model import FileResult
from wizard.errors import WriteError

WHAT = "de tussenresultaten van deze batch (een tijdelijk bestand in deze map)"


class ResultLog(Sequence[FileResult]):
    """A list of FileResults on disk: append in order, then read by index or in order.
    Only the offsets (8 bytes per result) stay in memory."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # Open for the life of the log, closed by close() or with the log (finalize).
        self._file: Any = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115
        except OSError as e:
            # A share that cannot remove an open file, say: then the user's temp folder
            # (the file is readable by the user only and has no name there either).
            try:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115
            except OSError:
                raise WriteError(e, folder, WHAT) from None
        self._offsets = array("Q", [0])
        # Closed with the log (the caller may keep the results after the run).
        self._close = weakref.finalize(self, self._file.close)

    def append(self, result: FileResult) -> None:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._file.seek(self._offsets[-1])
            self._file.write(data)
        except OSError as e:  # a full disk, say: the plans written so far stay
            raise WriteError(e, self.folder, WHAT) from None
        self._offsets.append(self._offsets[-1] + len(data))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> FileResult: ...

    @overload
    def __getitem__(self, i: slice) -> list[FileResult]: ...

    def __getitem__(self, i: int | slice) -> FileResult | list[FileResult]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        i %= n
        start, end = self._offsets[i], self._offsets[i + 1]
        self._file.seek(start)
        result: FileResult = pickle.loads(self._file.read(end - start))
        return result

    def __iter__(self) -> Iterator[FileResult]:
        for i in range(len(self)):
            yield self[i]

    def close(self) -> None:
        self._close()
