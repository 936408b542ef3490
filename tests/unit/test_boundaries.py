"""The API and the workers agree on task names, and the API never loads the NLP stack."""

import subprocess
import sys

from newsdesk.task_names import ANALYZE_TASK


def test_worker_registers_the_task_the_api_sends():
    from worker.celery_app import app
    from worker.tasks import analyze

    assert analyze.name == ANALYZE_TASK
    assert ANALYZE_TASK in app.tasks


def test_api_process_does_not_import_spacy_or_the_pipeline(tmp_path):
    code = (
        "import sys\n"
        "from service import create_app\n"
        "import service.wsgi\n"
        "app = create_app()\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'lingua', 'worker')]\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"NEWSDESK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
