"""What every background job shares: retries with back-off, recovering the jobs of a worker
that was stopped mid-job, and the queue's backlog (shown by /healthz).

Jobs are Django tasks (the django-tasks backport) kept in the database by django-tasks-db,
so a job enqueued in a transaction exists only if the transaction commits, and survives any
restart. `manage.py run_worker` runs them.
"""

import functools
import logging
import sys
from datetime import timedelta

from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds to wait before each new attempt; after the last, the job fails for good.
RETRY_DELAYS = [10, 60, 5 * 60, 30 * 60]
# A job running longer than this was left behind by a worker that is gone.
STALE_AFTER = timedelta(minutes=10)
# A backlog whose oldest job waited longer than this makes /healthz say "degraded".
BACKLOG_AGE = timedelta(minutes=5)
# Finished jobs are kept this long (their arguments may name a person), then deleted.
KEEP_FINISHED = timedelta(days=1)


def retried(function):
    """Run a task function; if it raises, enqueue it again later, up to len(RETRY_DELAYS)
    more times. Put it under @task(): the retry enqueues that task."""

    @functools.wraps(function)
    def wrapper(*args, attempt: int = 1, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:
            if attempt > len(RETRY_DELAYS):
                raise
            delay = RETRY_DELAYS[attempt - 1]
            task = getattr(sys.modules[function.__module__], function.__name__)
            if task.get_backend().supports_defer:
                task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
            task.enqueue(*args, attempt=attempt + 1, **kwargs)
            logger.warning(
                "Job %s failed (attempt %s); trying again in %s s",
                function.__name__,
                attempt,
                delay,
                exc_info=True,
            )
            return f"failed; attempt {attempt + 1} in {delay} s"

    return wrapper


def orphans_requeue(worker_id: str) -> int:
    """Put back in the queue the jobs this worker (by its id) or a long-gone one left running."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stale = timezone.now() - STALE_AFTER
    count = 0
    for job in DBTaskResult.objects.running():
        claimed_by_me = bool(job.worker_ids) and job.worker_ids[-1] == worker_id
        if claimed_by_me or job.started_at < stale:
            job.status = TaskResultStatus.READY
            job.save(update_fields=["status"])
            count += 1
    return count


def backlog() -> tuple[int, timedelta]:
    """How many jobs wait to run now, and how long the oldest has waited."""
    from django.db.models import Case, Count, F, Min, When
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A job waits from when it was enqueued, or from the later time it was asked to run at.
    since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    state = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min(since))
    if not state["count"]:
        return 0, timedelta()
    return state["count"], timezone.now() - state["oldest"]


def finished_prune() -> int:
    """Delete jobs that finished more than KEEP_FINISHED ago."""
    from django_tasks_db.models import DBTaskResult

    old = DBTaskResult.objects.finished().filter(finished_at__lt=timezone.now() - KEEP_FINISHED)
    return old.delete()[0]
