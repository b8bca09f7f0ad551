"""Long operations (import, link, estimate) as recorded jobs with progress.

See :mod:`rightsledger.jobs.core` for what a job records and the rule that marks
a job interrupted; :class:`Jobs` starts and reads them.
"""

from .core import KINDS, Job, JobRun, JobWorker, ProgressFn
from .failures import describe_failure
from .runner import Jobs

__all__ = [
    "KINDS",
    "Job",
    "JobRun",
    "JobWorker",
    "Jobs",
    "ProgressFn",
    "describe_failure",
]
