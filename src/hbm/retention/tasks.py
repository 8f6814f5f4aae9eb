from django_tasks import task


@task()
def retention_daily() -> int:
    """The daily retention run (RETENTION_DAILY: a purge or a dry run); queues the next one a
    day later. Returns the run's id (0 when RETENTION_DAILY is off)."""
    from hbm.retention.services import retention_daily_run

    run = retention_daily_run()
    return run.pk if run else 0
