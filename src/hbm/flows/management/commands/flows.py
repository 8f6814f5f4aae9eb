import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from hbm.flows.models import FlowDaily, FlowRebuild
from hbm.flows.services import rebuilds

POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = (
        "`hbm flows rebuild` recomputes the daily flow series from every crossing and tally, a "
        "month at a time, while the application stays in use (after an upgrade or a restore; "
        "day-to-day it is kept up to date as data arrives). It resumes a rebuild that stopped, "
        "or follows one already running, printing its progress. `hbm flows status` shows the "
        "series' size and the last rebuild."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["rebuild", "status"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "rebuild":
            self._rebuild()
        else:
            self.stdout.write(f"{FlowDaily.objects.count():,} rows in the daily series")
            last = FlowRebuild.objects.order_by("-queued_at", "-pk").first()
            if last is not None:
                self.stdout.write(self._line(last))

    def _rebuild(self) -> None:
        try:
            run = rebuilds.flow_rebuild_request(actor=None, enqueue=False)
            self.stderr.write(
                "Resuming the rebuild from where it stopped."
                if run.started_at
                else f"Rebuilding {run.months.count():,} months of the flow series."
            )
        except rebuilds.RebuildRunning as running:
            run = running.run
            self.stderr.write(f"{running} Following it.")
        worker = threading.Thread(target=self._run_here, args=(run.pk,), daemon=True)
        worker.start()
        shown = ""
        while True:
            run.refresh_from_db()
            line = self._line(run)
            if line != shown:
                self.stderr.write(line)
                shown = line
            if not worker.is_alive() and not (run.status in run.ACTIVE and not run.is_stale):
                break
            time.sleep(POLL_SECONDS)
        if run.is_stale:
            raise CommandError(
                f"{self._line(run)}: its worker stopped. Run `hbm flows rebuild` again to go on "
                "from the month where it stopped."
            )
        if run.status != run.Status.DONE:
            raise CommandError(run.error or self._line(run))
        self.stdout.write(f"Daily series rebuilt: {run.rows_written:,} rows")

    @staticmethod
    def _run_here(run_id: int) -> None:
        """Run the rebuild in this process (a run a live worker holds is left to it)."""
        try:
            rebuilds.flow_rebuild_run(run_id=run_id)
        except Exception:  # recorded on the run in words; the command says it
            pass
        finally:
            connections.close_all()

    @staticmethod
    def _line(run: FlowRebuild) -> str:
        return (
            f"Rebuild {run.pk}: {run.get_status_display().lower()}, "
            f"{run.done:,} of {run.total:,} months ({run.percent}%)"
        )
