from django_tasks import task

from hbm.flows.services import rebuilds


@task()
def rebuild_flows(run_id: int) -> int:
    """Rebuild the flow series month by month, or resume a rebuild from the month where it
    stopped; returns the daily rows written. A failure is recorded on the run in words."""
    return rebuilds.flow_rebuild_run(run_id=run_id).rows_written
