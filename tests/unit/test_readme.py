"""The README is the user's manual: what it names must exist, and what it states as a default
or a limit must be what the code does. Each test reads the README and the code side by side."""

from __future__ import annotations

import ast
import inspect
import json
import re
from dataclasses import MISSING, fields
from pathlib import Path

import pytest

from newsdesk import Client, ClientError, cli, metrics, task_names, webhooks
from newsdesk.client import EntityGroup, Job, Mention, Result
from newsdesk.settings import Settings
from service import idempotency, schemas
from service.openapi import _ERROR_CODES
from worker.pipeline.entities import DANISH_JOB_TITLES, JOB_TITLES, TITLE_MODIFIERS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Read, not imported: importing it replaces gunicorn's error writer in this process.
GUNICORN_CONF = (ROOT / "service" / "gunicorn_conf.py").read_text(encoding="utf-8")
SOURCES = [path for folder in ("newsdesk", "service", "worker") for path in (ROOT / folder).rglob("*.py")]
# Read by the code, documented where they are used rather than in the configuration table.
DOCUMENTED_ELSEWHERE = {"NEWSDESK_API_KEY": "Command line"}


def section(title: str) -> str:
    """The text under `## title`, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"no section {title!r} in the README"
    return match.group(1)


def table_rows(text: str) -> list[list[str]]:
    """The cells of each table row in `text` (header and rule rows left out)."""
    rows = []
    for line in text.splitlines():
        if re.fullmatch(r"\|[-| ]*\|", line):
            rows.pop()  # the header above the rule
        elif line.startswith("|"):
            rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
    return rows


def backticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]*)`", cell)


def configuration_table() -> dict[str, str | None]:
    """Each variable in the configuration table, with its default when the row gives one in backticks."""
    table = {}
    for cells in table_rows(section("Configuration")):
        names = re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0])
        defaults = backticked(cells[1])
        for index, name in enumerate(names):
            table[name] = defaults[index] if len(defaults) == len(names) else None
    return table


def variables_read_by_the_code() -> set[str]:
    names = set()
    for path in SOURCES:
        names |= set(re.findall(r"""["'](NEWSDESK_[A-Z0-9_]+|REDIS_URL)["']""", path.read_text(encoding="utf-8")))
    return names


def test_every_variable_the_code_reads_is_in_the_configuration_table():
    table = configuration_table()
    for name in sorted(variables_read_by_the_code()):
        if name in DOCUMENTED_ELSEWHERE:
            assert f"`${name}`" in section(DOCUMENTED_ELSEWHERE[name]), name
        else:
            assert name in table, f"{name} is read by the code but not in the README's configuration table"


def test_the_variables_the_scripts_read_are_in_the_readme():
    for script in (ROOT / "scripts").iterdir():
        for name in set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", script.read_text(encoding="utf-8"))):
            assert f"`{name}`" in README, f"{script.name} reads {name}, which the README does not name"


def test_every_variable_the_readme_names_exists():
    code = variables_read_by_the_code()
    tests = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "tests").rglob("*.py"))
    for name in sorted(set(re.findall(r"\bNEWSDESK_[A-Z0-9_]+\b", README))):
        assert name in code or f'"{name}"' in tests, f"the README names {name}, which nothing reads"


def test_the_configuration_table_gives_the_settings_defaults():
    table, checked = configuration_table(), set()
    for field in fields(Settings):
        name = f"NEWSDESK_{field.name.upper()}"
        if field.default is MISSING or name not in table or table[name] is None:
            continue
        assert table[name] == str(field.default), f"{name}: README {table[name]}, code {field.default}"
        checked.add(field.name)
    numbers = {field.name for field in fields(Settings) if type(field.default) in (int, float)}
    assert numbers <= checked, f"no default in the README's table for {sorted(numbers - checked)}"


def _gunicorn_defaults() -> list[tuple[str, str]]:
    return re.findall(r'os\.environ\.get\("(NEWSDESK_\w+)", "([^"]*)"\)', GUNICORN_CONF)


def test_the_configuration_table_gives_gunicorns_defaults():
    # NEWSDESK_API_WORKERS and NEWSDESK_API_THREADS are settings (checked above); the bind is
    # read by gunicorn_conf alone.
    table = configuration_table()
    read = _gunicorn_defaults()
    assert [name for name, _ in read] == ["NEWSDESK_BIND"]
    for name, default in read:
        assert table[name] == default, name
    assert "Settings.from_env()" in GUNICORN_CONF and "_settings.api_threads" in GUNICORN_CONF


def _route(method: str, path: str) -> str:
    return f"{method} {re.sub(r'<[^>]*>', '<>', path)}"


def test_every_route_is_in_the_readme_and_the_readme_names_only_routes(app):
    assets = {"static", "docs.docs_asset"}
    routes = {_route(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint not in assets
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    named = {_route(method, path) for method, path in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)", README)}
    assert routes - named == set(), "routes the README does not describe"
    assert named - routes == set(), "routes the README describes that do not exist"


def test_the_article_table_lists_the_fields_an_article_takes():
    table = re.search(r"### `POST /v1/articles`\n(.*?)(?=^#)", README, re.M | re.S).group(1)
    named = {backticked(cells[0])[0] for cells in table_rows(table)}
    article, options = schemas.ArticleSchema().fields, schemas.OptionsSchema().fields
    assert named == (set(article) - {"options"}) | {f"options.{name}" for name in options}


def _schema_keys(schema: schemas.Schema, example: dict, where: str) -> None:
    """The example's keys are the schema's (its optional ones may be left out), level by level."""
    declared = {field.data_key or name: field for name, field in schema.fields.items()}
    required = {key for key, field in declared.items() if field.required}
    assert required <= set(example) <= set(declared), where
    for key, value in example.items():
        field = declared[key]
        inner = getattr(field, "inner", None)  # a List's items
        nested = getattr(inner or field, "schema", None)
        for item in (value if inner else [value]):
            if nested is not None and isinstance(item, dict):
                _schema_keys(nested, item, f"{where}.{key}")


def test_the_job_example_has_the_fields_the_openapi_document_gives_a_job():
    example = re.search(r"### `GET /v1/jobs/<job_id>`\n\n```json\n(.*?)```", README, re.S).group(1)
    _schema_keys(schemas.JobSchema(), json.loads(example), "job")


def _range(schema: schemas.Schema, name: str) -> tuple:
    field = schema.fields[name]
    [bound] = [check for check in field.validators if hasattr(check, "min")]
    return bound.min, bound.max


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_limits_the_readme_states_are_the_codes():
    article, options = schemas.ArticleSchema(), schemas.OptionsSchema()
    stated = {
        r"`title` \| string, at most ([\d,]+) characters": [article.fields["title"].validators[0].max],
        r"nesting at most (\d+) levels": [schemas.MAX_METADATA_DEPTH],
        r"`options.summary_sentences` \| integer (\d+)-(\d+), default (\d+)":
            [*_range(options, "summary_sentences"), options.fields["summary_sentences"].load_default],
        r"`options.summary_max_chars` \| integer (\d+)-(\d+)": list(_range(options, "summary_max_chars")),
        r"after N seconds \((\d+)-(\d+)\)": list(_range(schemas.JobQuerySchema(), "wait")),
        r"N seconds \((\d+)-(\d+); poll": list(_range(schemas.JobQuerySchema(), "wait")),
        r"(\d+) to ([\d,]+) articles as in": [schemas.BatchSchema().fields["articles"].validators[0].min,
                                               schemas.BatchSchema().fields["articles"].validators[0].max],
        r"`limit` (\d+)-(\d+) \(default (\d+)\)": [*_range(schemas.JobListQuerySchema(), "limit"),
                                                   schemas.JobListQuerySchema().fields["limit"].load_default],
        r"same body within (\d+) hours": [idempotency.TTL_SECONDS // 3600],
        r"longer than (\d+) characters": [idempotency.MAX_KEY_LENGTH],
        r"in flight \(for up to (\d+) s\)": [int(re.search(r"^graceful_timeout = (\d+)$", GUNICORN_CONF, re.M)[1])],
    }
    for pattern, values in stated.items():
        match = re.search(pattern, README)
        assert match, f"the README no longer says {pattern!r}: update this test with it"
        assert [_number(group) for group in match.groups()] == values, pattern
    assert "key for two minutes" in README and idempotency.IN_PROGRESS_SECONDS == 120


def test_the_defaults_the_readme_states_in_prose_are_the_settings():
    defaults = {f"NEWSDESK_{field.name.upper()}": field.default for field in fields(Settings)}
    defaults |= {name: _number(value) for name, value in _gunicorn_defaults() if value.isdigit()}
    stated = re.findall(r"`(NEWSDESK_[A-Z_]+)`,?\s+\(?(?:default\s+)?(\d+(?:,\d{3})*)(?!\d| days)", README)
    stated += re.findall(r"`(NEWSDESK_WEBHOOK_MAX_ATTEMPTS)` deliveries, default\s+(\d+)", README)
    assert len(stated) >= 7
    for name, value in stated:
        assert _number(value) == defaults[name], name
    days = re.search(r"`NEWSDESK_RESULT_TTL_SECONDS`,\s+(\d+) days by default", README)[1]
    assert int(days) * 24 * 3600 == Settings.result_ttl_seconds
    # The longest webhook backoff (the last retry's), and the clock skew a visibility timeout allows.
    longest = Settings.webhook_backoff * 2 ** (Settings.webhook_max_attempts - 2)
    assert f"{longest:g} s by default: a retry" in README
    assert f"({Settings.visibility_timeout - Settings.task_time_limit} s by default)" in README


def _error_codes(rows: list[list[str]]) -> dict[str, str]:
    """code -> status from an error table: a row's statuses go with its codes in order, or all
    of its codes go with its one status. What a cell says in parentheses is left out."""
    codes = {}
    for status_cell, code_cell, *_ in rows:
        statuses = [status.strip() for status in status_cell.split(",")]
        names = backticked(re.sub(r"\([^)]*\)", "", code_cell))
        assert len(statuses) in (1, len(names)), status_cell
        for index, code in enumerate(names):
            codes[code] = statuses[index if len(statuses) > 1 else 0]
    return codes


def test_the_readme_and_the_openapi_document_list_the_same_errors():
    readme = _error_codes(table_rows(re.search(r"### Errors\n(.*?)(?=^#)", README, re.M | re.S).group(1)))
    openapi = _error_codes(table_rows(_ERROR_CODES))
    assert readme == openapi
    raised = set()
    for path in (ROOT / "service").glob("*.py"):
        raised |= set(re.findall(r'(?:Problem|problem_response)\(\d+, "(\w+)"', path.read_text(encoding="utf-8")))
    assert raised and raised <= set(readme), sorted(raised - set(readme))


def test_the_errors_table_lists_what_gunicorn_answers_itself():
    # gunicorn_conf's problem writer: 417 for an `Expect` other than 100-continue reached clients
    # without the README naming it. 403 only comes with the PROXY protocol, which is off.
    written = dict(re.findall(r'(\d{3}): "(\w+)"', GUNICORN_CONF[GUNICORN_CONF.index("_CODES = {"):]))
    assert "417" in written and "500" in written
    readme = _error_codes(table_rows(re.search(r"### Errors\n(.*?)(?=^#)", README, re.M | re.S).group(1)))
    for status, code in written.items():
        if status != "403":
            assert readme.get(code) == status, f"{status} {code} is not in the README's Errors table"


def _command_rows() -> dict[str, str]:
    """`newsdesk <command>` -> the usage the README's command-line table gives for it."""
    rows = {}
    for cells in table_rows(section("Command line")):
        usage = backticked(cells[0])[0].replace("\\|", "|")
        words = usage.split()
        command = " ".join(words[:3] if words[1] in ("eval", "train") else words[:2])
        rows[command] = usage
    return rows


def _options(capsys, command: list[str]) -> set[str]:
    """The long options `newsdesk <command> --help` shows."""
    with pytest.raises(SystemExit):
        cli.main([*command, "--help"])
    return set(re.findall(r"(--[a-z][\w-]*)", capsys.readouterr().out)) - {"--help"}


# The rows that list every option; the others give the usual ones and point at --help.
COMPLETE_ROWS = ["serve", "worker", "analyze", "submit", "eval entities", "eval summaries"]


def test_the_command_line_table_names_every_command():
    subcommands = cli.build_parser()._subparsers._group_actions[0].choices
    commands = {command.split()[1] for command in _command_rows()}
    assert commands == set(subcommands)


@pytest.mark.parametrize("command", [*COMPLETE_ROWS, "train ner"])
def test_the_command_line_table_gives_each_commands_options(capsys, command):
    usage = _command_rows()[f"newsdesk {command}"]
    options = _options(capsys, command.split())
    named = set(re.findall(r"(--[a-z][\w-]*)", usage))
    assert named <= options, f"the README gives options newsdesk {command} does not have"
    if command in COMPLETE_ROWS:
        assert options <= named, f"options of newsdesk {command} the README leaves out"


@pytest.mark.parametrize("command", ["serve", "worker", "submit"])
def test_the_command_line_table_gives_the_true_defaults(command):
    parser = cli.build_parser()._subparsers._group_actions[0].choices[command]
    defaults = {option: action.default for action in parser._actions for option in action.option_strings}
    usage = _command_rows()[f"newsdesk {command}"]
    shown = re.findall(r"\[(--[\w-]+) ([^\]A-Z][^\]]*)\]", usage)
    assert shown or command == "submit"
    for option, value in shown:
        default = defaults[option]
        assert (float(value) == default) if isinstance(default, (int, float)) else value == default, option


def test_the_python_clients_documented_methods_exist_with_those_defaults():
    text = section("Python client")
    calls = re.findall(r"`(\w+)\(([^`]*)\)`", text) + re.findall(r"\b(?:client\.)?(Client|\w+)\(([^()]*)\)", text)
    for name, arguments in calls:
        if name == "print":
            continue
        function = Client if name == "Client" else getattr(Client, name, None)
        assert function is not None, f"the README names Client.{name}, which does not exist"
        parameters = inspect.signature(function).parameters
        for argument in filter(None, (part.strip() for part in arguments.split(","))):
            if argument.startswith(("{", "[", '"')) or argument == "...":
                continue  # a value passed by position
            parameter, _, value = argument.partition("=")
            assert parameter in parameters, f"{name}() has no parameter {parameter}"
            if value and value != "...":
                assert ast.literal_eval(value) == parameters[parameter].default, f"{name}({argument})"
    for method in re.findall(r"`(\w+)`", text.split("Also there:")[1].split(";")[0]):
        assert callable(getattr(Client, method, None)), method


def test_the_python_clients_documented_attributes_exist():
    text = section("Python client")
    owners = {"job": Job, "group": EntityGroup, "m": Mention}
    for owner, attribute in re.findall(r"\b(job|group|m)\.(\w+)", text):
        assert attribute in {field.name for field in fields(owners[owner])}, f"{owner}.{attribute}"
    assert {field.name for field in fields(Result)} >= set(re.findall(r"result\.(\w+)", text))
    error = ClientError(409, {"code": "job_running"})
    for attribute in re.findall(r"`(\w+)`", text.split("raises `newsdesk.ClientError` with")[1].split("document")[0]):
        assert hasattr(error, attribute), attribute


def test_paths_the_readme_names_exist():
    named = {match for text in backticked(README) for match in
             re.findall(r"(?:^|\s)((?:bench|docs|newsdesk|scripts|seeds|service|tests|worker)/[\w./-]*)", text)}
    named |= set(re.findall(r"\]\(((?!https?:)[^)]+)\)", README))  # links
    named |= {name for name in ("Dockerfile", "compose.yaml") if f"`{name}`" in README}
    assert len(named) > 20
    for name in sorted(named):
        assert (ROOT / name).exists(), f"the README names {name}, which does not exist"


def test_the_modules_how_it_works_names_exist():
    for folder, text in re.findall(r"^- `(\w+)/` — (.*?)(?=^- |\Z)", section("How it works"), re.M | re.S):
        for name in re.findall(r"`([\w/]+(?:\.py)?)`", text):
            if name.endswith(".py") or name.endswith("/"):
                assert list((ROOT / folder).rglob(name.rstrip("/"))), f"{folder}/ has no {name}"


def test_the_benchmark_commands_take_the_options_the_readme_gives():
    commands = re.findall(r"(bench/\w+\.py)((?: --?[\w-]+(?: [^\s`#-][^\s`#]*)?)*)", README)
    assert len(commands) > 10
    for script, options in commands:
        source = (ROOT / script).read_text(encoding="utf-8")
        for option in re.findall(r"(--[\w-]+)", options):
            assert f'"{option}"' in source, f"{script} has no {option}"


def test_the_sections_the_readme_points_at_exist():
    headings = set(re.findall(r"^#+ (.+)$", README, re.M))
    prose = re.sub(r"\n[ \t]*", " ", README)  # a section's name may be wrapped onto the next line
    for name in re.findall(r"\b[Ss]ee ([A-Z][a-z]+(?: (?:[a-z]+|[A-Z][a-zA-Z]+))*?)\b(?=[),;.:]|$)", prose):
        assert name in headings, f"the README says 'see {name}', a section it does not have"


def test_the_metrics_and_task_names_the_readme_gives_are_the_codes():
    operating = section("Operating it")
    named = set(re.findall(r"`(newsdesk_[a-z_]+)(?:\{[a-z]+\})?`", operating))
    assert named == set(metrics.HELP)
    tasks = {task_names.ANALYZE_TASK, task_names.ANALYZE_BATCH_TASK, task_names.DELIVER_WEBHOOK_TASK}
    assert set(re.findall(r"`(newsdesk\.[a-z_]+)`", operating.split("tasks are named")[1].split(")")[0])) == tasks


def test_the_webhook_verifier_the_readme_names_takes_those_arguments():
    call = re.search(r"`newsdesk\.webhooks\.verify\(([^)]*)\)`", README)[1]
    parameters = list(inspect.signature(webhooks.verify).parameters)
    assert [name.strip() for name in call.split(",")] == parameters[:len(call.split(","))]


def test_the_job_titles_the_readme_lists_are_those_left_out_of_names():
    text = " ".join(section("Using the API").split())
    match = re.search(r"in English, a capitalised (.*?) \(also after (.*?)\) before a name", text)
    assert match, "the README's list of English job titles is gone"
    titles, modifiers = ({word.lower() for word in re.split(r", | or ", listed)} for listed in match.groups())
    assert (titles, modifiers) == (JOB_TITLES, TITLE_MODIFIERS)
    match = re.search(r"in Danish, where a translated quotation keeps English's capital, a (.*?) \(", text)
    assert match, "the README's list of Danish job titles is gone"
    assert {word.lower() for word in re.split(r", | or ", match.group(1))} == DANISH_JOB_TITLES
