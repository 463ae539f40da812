"""Background jobs of the site-wide app: processing a page's or a campaign's picture (and the
save that queues it), and tidying the queue itself."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from django_tasks import task

from iecmh_site.images import HeroPicture, hero_picture_process
from iecmh_site.jobs import finished_prune, retried
from iecmh_site.ratelimits import expired_prune

PRUNE_EVERY = timedelta(hours=1)


@task()
@retried
def hero_picture_process_job(model: str, pk: int) -> None:
    obj = apps.get_model(model).objects.filter(pk=pk).first()
    if obj is not None:
        hero_picture_process(obj)


@task()
def finished_prune_job() -> int:
    """Delete old finished jobs and rate-limit windows that are over, then come back in an
    hour (queued by run_worker)."""
    expired_prune()
    deleted = finished_prune()
    finished_prune_job.using(run_after=timezone.now() + PRUNE_EVERY).enqueue()
    return deleted


def hero_picture_save(obj: HeroPicture, *, changed: bool) -> None:
    """Save an object; when its picture changed, hide the picture until a background job has
    processed it (the job is enqueued in the same transaction)."""
    if changed:
        obj.hero_ready, obj.hero_problem = False, ""
        obj.hero_width = obj.hero_height = None
    obj.save()
    if changed and obj.hero_image:
        hero_picture_process_job.enqueue(obj._meta.label, obj.pk)
