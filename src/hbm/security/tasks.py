from django_tasks import task

from hbm.security.services import rescreen


@task()
def rescreen_all(run_id: int) -> int:
    """Screen every registration against the active lists, or resume a rescreen from where it
    stopped; returns the number of new hits (a pair already known — a false positive included —
    is not raised again). A failure is recorded on the run in words."""
    return rescreen.rescreen_run(run_id=run_id).hits_found
