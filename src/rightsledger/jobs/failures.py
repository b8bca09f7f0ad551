"""What a failed job's record says: our own error messages, made safe to keep.

A job's record outlives the terminal and is shown on a web page, to the user who
started it and to admins. It must not hold an identity, so a failure is kept as:

* an input problem (an import): the row and the field of each problem and its
  message, without the file name (an upload's name may name a person) and with
  every quoted value replaced by ``'…'`` (a bad value may be a name);
* a refusal: a fixed sentence (the façade's message names the target, which may
  be a file name);
* any other error of ours: its message, quoted values hidden the same way;
* anything else: that an unexpected error stopped the job, and nothing of it (no
  traceback, no message): the server log has its type and place.
"""

from __future__ import annotations

import re

from ..errors import Forbidden, InputError, InputErrors, RightsLedgerError

#: A value quoted in one of our messages: ``'...'`` or ``"..."``.
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
#: How many input problems a job's record keeps.
MAX_PROBLEMS = 20

INTERRUPTED = "interrupted"
UNEXPECTED = "stopped on an unexpected error; the server log has where"
STOPPED = "interrupted: stopped by the user"
REFUSED = "refused: your role may not do this (the attempt is logged)"


def hide_values(message: str) -> str:
    """``message`` with every quoted value replaced by ``'…'``."""
    return _QUOTED.sub("'…'", message)


def _problem(error: InputError) -> str:
    _file, row, field = error.location
    where = ", ".join(p for p in (f"row {row}" if row is not None else "", field) if p)
    text = hide_values(error.message)
    return f"{where}: {text}" if where else text


def describe_failure(error: BaseException) -> str:
    """The message a failed job keeps (see the module's docstring)."""
    if isinstance(error, KeyboardInterrupt):
        return STOPPED
    if isinstance(error, InputErrors):
        problems = error.errors or [error]
        n = len(problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the input:"]
        lines += [f"- {_problem(p)}" for p in problems[:MAX_PROBLEMS]]
        if n > MAX_PROBLEMS:
            lines.append(f"- and {n - MAX_PROBLEMS} more")
        return "\n".join(lines)
    if isinstance(error, InputError):
        return _problem(error)
    if isinstance(error, Forbidden):
        return REFUSED
    if isinstance(error, RightsLedgerError):
        return hide_values(str(error))
    return UNEXPECTED
