from django_tasks import task

from hbm.security import rescreen


@task()
def rescreen_all(run_id: int) -> int:
    """Screen every registration against the active lists; returns the number of new hits
    (a pair already known — a false positive included — is not raised again)."""
    try:
        return rescreen.rescreen_run(run_id=run_id).hits_found
    except Exception as error:
        rescreen.rescreen_failed(run_id=run_id, error=f"{type(error).__name__}: {error}")
        raise
