"""Named process exit codes, shared by the CLI and documented in the README."""

from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit status of every ``creator`` command."""

    OK = 0
    #: A generic failure that fits no other code (an internal bug).
    ERROR = 1
    #: Bad command-line usage: unknown option, missing argument, missing optional extra.
    USAGE = 2
    #: Bad input: a media file, data file or plan that cannot be used.
    BAD_INPUT = 3
    #: Rendering or processing failed on an input that looked valid.
    PROCESSING = 4
    #: An output exists and would be overwritten: nothing was written (``--force`` replaces it).
    OUTPUT_EXISTS = 5
    #: Interrupted by SIGINT or SIGTERM.
    INTERRUPTED = 130


#: With several inputs, the status of the failure that tells most: a bad input first.
_PRECEDENCE = (ExitCode.BAD_INPUT, ExitCode.OUTPUT_EXISTS, ExitCode.PROCESSING,
               ExitCode.USAGE, ExitCode.ERROR)


def combined(codes: Iterable[int]) -> ExitCode:
    """The exit status of a command over several inputs: ``OK`` when none failed, else the
    first of bad input (3), output exists (5), processing (4), usage (2), bug (1) among them."""
    seen = {ExitCode(c) for c in codes} - {ExitCode.OK}
    return next((c for c in _PRECEDENCE if c in seen), ExitCode.OK)
