"""Background jobs of the mailing list: every email leaves from here, and every imported file
is read here, never in a request."""

from django.utils import translation
from django_tasks import task

from iecmh_site.jobs import retried
from newsletter import services
from newsletter.models import ListImport, Subscriber


@task()
@retried
def signup_process_job(**details) -> None:
    services.subscription_request(**details)


@task()
@retried
def resend_request_job(email: str) -> None:
    services.confirmation_resend_request(email=email)


@task()
@retried
def confirmation_send_job(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None:
        # In the subscriber's language: the words, and links to the pages in that language.
        with translation.override(subscriber.language):
            services.confirmation_send(subscriber=subscriber)


@task()
@retried
def welcome_send_job(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None:
        with translation.override(subscriber.language):
            services.welcome_send(subscriber=subscriber)


@task()
@retried
def list_import_preview_job(list_import_id: int) -> None:
    list_import = ListImport.objects.filter(pk=list_import_id).first()
    if list_import is not None:
        services.list_import_preview(list_import=list_import)


@task()
@retried
def list_import_apply_job(list_import_id: int) -> None:
    list_import = ListImport.objects.filter(pk=list_import_id).first()
    if list_import is not None:
        services.list_import_apply(list_import=list_import)
