"""Browser tests write screenshots into docs/screenshots only when asked to."""

from tests.e2e.conftest import DOCS_SCREENSHOTS


def test_screenshots_stay_out_of_the_work_tree_by_default(request, monkeypatch, tmp_path):
    monkeypatch.delenv("HBM_UPDATE_SCREENSHOTS", raising=False)
    path = request.getfixturevalue("screenshot_path")("desk.png")
    assert path.parent.is_dir() and path.is_relative_to(tmp_path)


def test_make_screenshots_writes_them_into_the_docs(request, monkeypatch):
    monkeypatch.setenv("HBM_UPDATE_SCREENSHOTS", "1")
    path = request.getfixturevalue("screenshot_path")("desk.png")
    assert path == DOCS_SCREENSHOTS / "desk.png"
    assert not path.exists(), "asking for the path writes nothing"
