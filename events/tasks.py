"""Background jobs of the events app."""

from django_tasks import task

from events.models import CampaignFile
from events.services import campaign_file_process
from iecmh_site.jobs import retried


@task()
@retried
def campaign_file_process_job(item_id: int) -> None:
    item = CampaignFile.objects.filter(pk=item_id).first()
    if item is not None:
        campaign_file_process(item=item)
