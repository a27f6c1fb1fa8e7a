"""Named process exit codes, shared by the CLI and documented in the README."""

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
    #: Interrupted by SIGINT or SIGTERM.
    INTERRUPTED = 130
