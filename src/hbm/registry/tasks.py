from django_tasks import task

from hbm.registry.services import CANDIDATES_PER_PERSON, REVIEW_THRESHOLD, duplicates


@task()
def rescan_duplicates(scan_id: int) -> int:
    """Rescan the registry for duplicate candidates, or resume a rescan from where it stopped;
    returns how many new pairs were found. A failure is recorded on the scan in words."""
    scan = duplicates.duplicate_scan_run(
        scan_id=scan_id, threshold=REVIEW_THRESHOLD, limit=CANDIDATES_PER_PERSON + 1
    )
    return scan.found


@task()
def export_crossings(export_id: int) -> int:
    """Write a large export's file (or go on writing it); returns its size in bytes. Files
    past their retention are purged on the way."""
    from hbm.registry.services import exports

    run = exports.export_file_run(export_id=export_id)
    exports.export_files_purge()
    return run.size
