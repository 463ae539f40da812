import os
import socket

from django_tasks_db.management.commands.db_worker import Command as DBWorker

from iecmh_site.jobs import orphans_requeue


class Command(DBWorker):
    help = (
        "Run the background worker (django-tasks-db's db_worker), after putting back in the "
        "queue the jobs a stopped worker left running, and making sure old finished jobs are "
        "pruned every hour. WORKER_ID (default: the host name) names this worker across "
        "restarts."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=os.environ.get("WORKER_ID") or socket.gethostname())

    def handle(self, *args, **options):
        from django_tasks_db.models import DBTaskResult

        from iecmh_site.tasks import finished_prune_job

        requeued = orphans_requeue(options["worker_id"])
        if requeued:
            self.stdout.write(f"Put {requeued} interrupted job(s) back in the queue.")
        pruning = DBTaskResult.objects.filter(
            task_path=finished_prune_job.module_path, status__in=["READY", "RUNNING"]
        )
        if not pruning.exists():
            finished_prune_job.enqueue()
        return super().handle(*args, **options)
