"""Uploads kept between preview and import go to a temporary folder, not the instance one."""

import pytest


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_DIR", str(tmp_path / "instance"))
    return tmp_path / "instance" / "import-uploads"
