from django_tasks import task

from hbm.registry import duplicates
from hbm.registry.services import CANDIDATES_PER_PERSON, REVIEW_THRESHOLD


@task()
def rescan_duplicates(scan_id: int) -> int:
    """Rescan the registry for duplicate candidates; returns how many new pairs were found."""
    try:
        scan = duplicates.duplicate_scan_run(
            scan_id=scan_id, threshold=REVIEW_THRESHOLD, limit=CANDIDATES_PER_PERSON + 1
        )
    except Exception as error:
        duplicates.duplicate_scan_failed(scan_id=scan_id, error=f"{type(error).__name__}: {error}")
        raise
    return scan.found
