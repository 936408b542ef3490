"""Records and queue messages that earlier versions of Newsdesk wrote, captured from real runs
of those versions against a real Redis, for the tests of an upgrade in place (tests/integration/
test_upgrade.py): the current code must read, run and show anything an earlier version left in
Redis. Each is given exactly as it was stored; the tests only put it under a key of their own.

The versions (the state of the code on 27-28 November 2026):
- V_EARLY: before a job's shown fields were stored apart from its article (no `echo` field), before
  entity groups had a `salience`, and before the queued-jobs index; the job hash expired at
  creation + retention. Its Celery messages were sent by Celery itself.
- V_MID: the API builds the Celery message in its create script; leases timed by each machine's
  clock; rate limit counted per clock minute (`newsdesk:rate:<owner>:<minute>`).
- V_RECENT: leases, queued index and rate-limit window timed by Redis; no holder fields
  (`held_by`, `held_try`, `held_run`) or call tokens (`finished_by`, `requeued_by`) on the job yet.

Per version: a queued single article (`QUEUED`: its id, hash and message, as the API left them),
a queued batch of two (`BATCH`: its id, record, jobs and chunk message) and a job its worker had
started (`RUNNING`: its id, hash and lease deadline, in seconds since the epoch, long past).
Finished jobs of V_EARLY are below them.
"""

# Job hashes are field -> value, as stored; messages are as pushed on the queue's list.

# V_EARLY: a single article, queued, not yet run.
V_EARLY_QUEUED = {'id': '5-JgAvm8cZslVhJF79r80g',
 'record': {'owner': 'anonymous',
            'status': 'queued',
            'attempts': '0',
            'created_at': '2026-11-28T17:48:43.746Z',
            'article': '{"text": "Mette Frederiksen bes\\u00f8gte K\\u00f8benhavn i dag. Hun talte '
                       'med pressen om \\u00f8konomien.", "title": null, "language": "da", "url": '
                       'null, "callback_url": null, "published_at": null, "metadata": {}, '
                       '"options": {"summary_sentences": 3, "summary_max_chars": null}}',
            'expires_at': '2026-12-05T17:48:43.746Z'},
 'message': '{"body": '
            '"W1siNS1KZ0F2bThjWnNsVmhKRjc5cjgwZyJdLCB7fSwgeyJjYWxsYmFja3MiOiBudWxsLCAiZXJyYmFja3MiOiBudWxsLCAiY2hhaW4iOiBudWxsLCAiY2hvcmQiOiBudWxsfV0=", '
            '"content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": '
            '"py", "task": "newsdesk.analyze", "id": "d2699baa-e37b-4542-848e-77f9b58121e2", '
            '"shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, '
            '"retries": 0, "timelimit": [null, null], "root_id": '
            '"d2699baa-e37b-4542-848e-77f9b58121e2", "parent_id": null, "argsrepr": '
            '"[\'5-JgAvm8cZslVhJF79r80g\']", "kwargsrepr": "{}", "origin": "gen15993@vm", '
            '"ignore_result": null, "replaced_task_nesting": 0, "stamped_headers": null, "stamps": '
            '{}}, "properties": {"correlation_id": "d2699baa-e37b-4542-848e-77f9b58121e2", '
            '"reply_to": "491a281e-c6e1-3e84-ba50-559318b73e42", "delivery_mode": 2, '
            '"delivery_info": {"exchange": "", "routing_key": "upg"}, "priority": 0, '
            '"body_encoding": "base64", "delivery_tag": "2d6bbe50-6c29-4e1c-9bd7-6329ea0ebb82"}}'}

# V_EARLY: a batch of two, queued, not yet run.
V_EARLY_BATCH = {'id': 'ZEipWSW3Uk5_d65wI0JNGg',
 'record': {'owner': 'anonymous',
            'created_at': '2026-11-28T17:48:43.825Z',
            'job_ids': '["B4Jp3ZrHt4hl3DGd5t2hvQ", "QdwGUXgqfm753-WcHX_taA"]',
            'expires_at': '2026-12-12T17:48:43.825Z'},
 'jobs': {'B4Jp3ZrHt4hl3DGd5t2hvQ': {'attempts': '0',
                                     'owner': 'anonymous',
                                     'article': '{"text": "Boris Johnson spoke in London today.", '
                                                '"title": null, "language": "auto", "url": null, '
                                                '"callback_url": null, "published_at": null, '
                                                '"metadata": {}, "options": {"summary_sentences": '
                                                '3, "summary_max_chars": null}}',
                                     'created_at': '2026-11-28T17:48:43.824Z',
                                     'expires_at': '2026-12-05T17:48:43.824Z',
                                     'status': 'queued',
                                     'batch_id': 'ZEipWSW3Uk5_d65wI0JNGg'},
          'QdwGUXgqfm753-WcHX_taA': {'attempts': '0',
                                     'owner': 'anonymous',
                                     'article': '{"text": "Lars L\\u00f8kke Rasmussen var i '
                                                'Aarhus.", "title": null, "language": "auto", '
                                                '"url": null, "callback_url": null, '
                                                '"published_at": null, "metadata": {}, "options": '
                                                '{"summary_sentences": 3, "summary_max_chars": '
                                                'null}}',
                                     'created_at': '2026-11-28T17:48:43.825Z',
                                     'expires_at': '2026-12-05T17:48:43.825Z',
                                     'status': 'queued',
                                     'batch_id': 'ZEipWSW3Uk5_d65wI0JNGg'}},
 'message': '{"body": '
            '"W1tbIkI0SnAzWnJIdDRobDNER2Q1dDJodlEiLCAiUWR3R1VYZ3FmbTc1My1XY0hYX3RhQSJdXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwgImNob3JkIjogbnVsbH1d", '
            '"content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": '
            '"py", "task": "newsdesk.analyze_batch", "id": "a0543244-2bfd-4d0d-8dab-6614705d85da", '
            '"shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, '
            '"retries": 0, "timelimit": [null, null], "root_id": '
            '"a0543244-2bfd-4d0d-8dab-6614705d85da", "parent_id": null, "argsrepr": '
            '"[[\'B4Jp3ZrHt4hl3DGd5t2hvQ\', \'QdwGUXgqfm753-WcHX_taA\']]", "kwargsrepr": "{}", '
            '"origin": "gen15993@vm", "ignore_result": null, "replaced_task_nesting": 0, '
            '"stamped_headers": null, "stamps": {}}, "properties": {"correlation_id": '
            '"a0543244-2bfd-4d0d-8dab-6614705d85da", "reply_to": '
            '"491a281e-c6e1-3e84-ba50-559318b73e42", "delivery_mode": 2, "delivery_info": '
            '{"exchange": "", "routing_key": "upg.batch"}, "priority": 0, "body_encoding": '
            '"base64", "delivery_tag": "a6db80b1-9043-4dd8-9fe2-fb4d04743cea"}}'}

# V_EARLY: a job its worker started (and then died).
V_EARLY_RUNNING = {'id': 'J1B2oJbC3mXMkgWOTJlwJQ',
 'record': {'attempts': '1',
            'owner': 'anonymous',
            'created_at': '2026-11-28T17:55:33.748Z',
            'article': '{"text": "Mette Frederiksen bes\\u00f8gte Aarhus i g\\u00e5r.", "title": '
                       'null, "language": "da", "url": null, "callback_url": null, "published_at": '
                       'null, "metadata": {}, "options": {"summary_sentences": 3, '
                       '"summary_max_chars": null}}',
            'expires_at': '2026-12-05T17:55:33.748Z',
            'status': 'running',
            'started_at': '2026-11-28T17:55:34.043Z'},
 'lease': 1795888564.0465615}

# V_MID: a single article, queued, not yet run.
V_MID_QUEUED = {'id': 'qVm89I30QjuWBJutxWCt-g',
 'record': {'attempts': '0',
            'owner': 'anonymous',
            'created_at': '2026-11-28T17:48:44.108Z',
            'article': '{"text": "Mette Frederiksen bes\\u00f8gte K\\u00f8benhavn i dag. Hun talte '
                       'med pressen om \\u00f8konomien.", "title": null, "language": "da", "url": '
                       'null, "callback_url": null, "published_at": null, "metadata": {}, '
                       '"options": {"summary_sentences": 3, "summary_max_chars": null}}',
            'expires_at': '2026-12-05T17:48:44.108Z',
            'status': 'queued',
            'echo': '{"title": null, "url": null, "published_at": null, "language": "da", '
                    '"callback_url": null, "chars": 78, "metadata": {}}'},
 'message': '{"body": '
            '"W1sicVZtODlJMzBRanVXQkp1dHhXQ3QtZyJdLCB7fSwgeyJjYWxsYmFja3MiOiBudWxsLCAiZXJyYmFja3MiOiBudWxsLCAiY2hhaW4iOiBudWxsLCAiY2hvcmQiOiBudWxsfV0=", '
            '"content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": '
            '"py", "task": "newsdesk.analyze", "id": "5a8fcbab-9926-40b2-9045-9e40204d7f6a", '
            '"shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, '
            '"retries": 0, "timelimit": [null, null], "root_id": '
            '"5a8fcbab-9926-40b2-9045-9e40204d7f6a", "parent_id": null, "argsrepr": '
            '"[\'qVm89I30QjuWBJutxWCt-g\']", "kwargsrepr": "{}", "origin": "gen10965@vm", '
            '"ignore_result": null, "replaced_task_nesting": 0, "stamped_headers": null, "stamps": '
            '{}}, "properties": {"correlation_id": "5a8fcbab-9926-40b2-9045-9e40204d7f6a", '
            '"reply_to": "51874ad4-9b37-3ac3-8b50-3ac3b5027bce", "delivery_mode": 2, '
            '"delivery_info": {"exchange": "", "routing_key": "upg"}, "priority": 0, '
            '"body_encoding": "base64", "delivery_tag": "dea861eb-51a3-40fc-872e-84dd71262b9b"}}'}

# V_MID: a batch of two, queued, not yet run.
V_MID_BATCH = {'id': 'rG5zDAFb94RQxPwp-feZqg',
 'record': {'owner': 'anonymous',
            'created_at': '2026-11-28T17:48:44.176Z',
            'job_ids': '["PpIe1m5Y-qtUjhWZmM4U4g", "LHqxXhhmYaIlUYvF1yGInQ"]',
            'expires_at': '2026-12-12T17:48:44.176Z'},
 'jobs': {'PpIe1m5Y-qtUjhWZmM4U4g': {'attempts': '0',
                                     'owner': 'anonymous',
                                     'article': '{"text": "Boris Johnson spoke in London today.", '
                                                '"title": null, "language": "auto", "url": null, '
                                                '"callback_url": null, "published_at": null, '
                                                '"metadata": {}, "options": {"summary_sentences": '
                                                '3, "summary_max_chars": null}}',
                                     'created_at': '2026-11-28T17:48:44.175Z',
                                     'expires_at': '2026-12-05T17:48:44.175Z',
                                     'status': 'queued',
                                     'echo': '{"title": null, "url": null, "published_at": null, '
                                             '"language": "auto", "callback_url": null, "chars": '
                                             '36, "metadata": {}}',
                                     'batch_id': 'rG5zDAFb94RQxPwp-feZqg'},
          'LHqxXhhmYaIlUYvF1yGInQ': {'attempts': '0',
                                     'owner': 'anonymous',
                                     'article': '{"text": "Lars L\\u00f8kke Rasmussen var i '
                                                'Aarhus.", "title": null, "language": "auto", '
                                                '"url": null, "callback_url": null, '
                                                '"published_at": null, "metadata": {}, "options": '
                                                '{"summary_sentences": 3, "summary_max_chars": '
                                                'null}}',
                                     'created_at': '2026-11-28T17:48:44.175Z',
                                     'expires_at': '2026-12-05T17:48:44.175Z',
                                     'status': 'queued',
                                     'echo': '{"title": null, "url": null, "published_at": null, '
                                             '"language": "auto", "callback_url": null, "chars": '
                                             '34, "metadata": {}}',
                                     'batch_id': 'rG5zDAFb94RQxPwp-feZqg'}},
 'message': '{"body": '
            '"W1tbIlBwSWUxbTVZLXF0VWpoV1ptTTRVNGciLCAiTEhxeFhoaG1ZYUlsVVl2RjF5R0luUSJdXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwgImNob3JkIjogbnVsbH1d", '
            '"content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": '
            '"py", "task": "newsdesk.analyze_batch", "id": "32c533b1-f648-4722-bcf2-4c04332e59f1", '
            '"shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, '
            '"retries": 0, "timelimit": [null, null], "root_id": '
            '"32c533b1-f648-4722-bcf2-4c04332e59f1", "parent_id": null, "argsrepr": '
            '"[[\'PpIe1m5Y-qtUjhWZmM4U4g\', \'LHqxXhhmYaIlUYvF1yGInQ\']]", "kwargsrepr": "{}", '
            '"origin": "gen10965@vm", "ignore_result": null, "replaced_task_nesting": 0, '
            '"stamped_headers": null, "stamps": {}}, "properties": {"correlation_id": '
            '"32c533b1-f648-4722-bcf2-4c04332e59f1", "reply_to": '
            '"51874ad4-9b37-3ac3-8b50-3ac3b5027bce", "delivery_mode": 2, "delivery_info": '
            '{"exchange": "", "routing_key": "upg.batch"}, "priority": 0, "body_encoding": '
            '"base64", "delivery_tag": "f2f4e8a5-442b-4151-9773-bb3cdfc8cb6a"}}'}

# V_MID: a job its worker started (and then died).
V_MID_RUNNING = {'id': 'Y6PQNJlcqsELg3aWt0waUA',
 'record': {'attempts': '1',
            'owner': 'anonymous',
            'created_at': '2026-11-28T17:55:34.526Z',
            'article': '{"text": "Mette Frederiksen bes\\u00f8gte Aarhus i g\\u00e5r.", "title": '
                       'null, "language": "da", "url": null, "callback_url": null, "published_at": '
                       'null, "metadata": {}, "options": {"summary_sentences": 3, '
                       '"summary_max_chars": null}}',
            'expires_at': '2026-12-05T17:55:34.526Z',
            'status': 'running',
            'started_at': '2026-11-28T17:55:34.757Z',
            'echo': '{"title": null, "url": null, "published_at": null, "language": "da", '
                    '"callback_url": null, "chars": 39, "metadata": {}}'},
 'lease': 1795888564.757562}

# V_RECENT: a single article, queued, not yet run.
V_RECENT_QUEUED = {'id': 'dsWUF97IOLN-QJt66n8sxg',
 'record': {'attempts': '0',
            'owner': 'anonymous',
            'created_at': '2026-11-28T17:48:44.454Z',
            'article': '{"text": "Mette Frederiksen bes\\u00f8gte K\\u00f8benhavn i dag. Hun talte '
                       'med pressen om \\u00f8konomien.", "title": null, "language": "da", "url": '
                       'null, "callback_url": null, "published_at": null, "metadata": {}, '
                       '"options": {"summary_sentences": 3, "summary_max_chars": null}}',
            'expires_at': '2026-12-05T17:48:44.454Z',
            'status': 'queued',
            'echo': '{"title": null, "url": null, "published_at": null, "language": "da", '
                    '"callback_url": null, "chars": 78, "metadata": {}}'},
 'message': '{"body": '
            '"W1siZHNXVUY5N0lPTE4tUUp0NjZuOHN4ZyJdLCB7fSwgeyJjYWxsYmFja3MiOiBudWxsLCAiZXJyYmFja3MiOiBudWxsLCAiY2hhaW4iOiBudWxsLCAiY2hvcmQiOiBudWxsfV0=", '
            '"content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": '
            '"py", "task": "newsdesk.analyze", "id": "c1958415-2207-4b3b-b840-ff2ced8f5fda", '
            '"shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, '
            '"retries": 0, "timelimit": [null, null], "root_id": '
            '"c1958415-2207-4b3b-b840-ff2ced8f5fda", "parent_id": null, "argsrepr": '
            '"[\'dsWUF97IOLN-QJt66n8sxg\']", "kwargsrepr": "{}", "origin": "gen10963@vm", '
            '"ignore_result": null, "replaced_task_nesting": 0, "stamped_headers": null, "stamps": '
            '{}}, "properties": {"correlation_id": "c1958415-2207-4b3b-b840-ff2ced8f5fda", '
            '"reply_to": "b0eb588b-6f2a-31d7-a34d-9267445307bb", "delivery_mode": 2, '
            '"delivery_info": {"exchange": "", "routing_key": "upg"}, "priority": 0, '
            '"body_encoding": "base64", "delivery_tag": "8f4361b9-1bfb-4080-8ecc-de2657edc8c6"}}'}

# V_RECENT: a batch of two, queued, not yet run.
V_RECENT_BATCH = {'id': 'at-qKSQlrWxVoPnd1nOiEA',
 'record': {'owner': 'anonymous',
            'created_at': '2026-11-28T17:48:44.510Z',
            'job_ids': '["hGdwcki9BbPv_J5I6Dk8Fg", "hi2mM6sMOyAH2Si5qPHATA"]',
            'expires_at': '2026-12-12T17:48:44.510Z'},
 'jobs': {'hGdwcki9BbPv_J5I6Dk8Fg': {'attempts': '0',
                                     'owner': 'anonymous',
                                     'article': '{"text": "Boris Johnson spoke in London today.", '
                                                '"title": null, "language": "auto", "url": null, '
                                                '"callback_url": null, "published_at": null, '
                                                '"metadata": {}, "options": {"summary_sentences": '
                                                '3, "summary_max_chars": null}}',
                                     'created_at': '2026-11-28T17:48:44.510Z',
                                     'expires_at': '2026-12-05T17:48:44.510Z',
                                     'status': 'queued',
                                     'echo': '{"title": null, "url": null, "published_at": null, '
                                             '"language": "auto", "callback_url": null, "chars": '
                                             '36, "metadata": {}}',
                                     'batch_id': 'at-qKSQlrWxVoPnd1nOiEA'},
          'hi2mM6sMOyAH2Si5qPHATA': {'attempts': '0',
                                     'owner': 'anonymous',
                                     'article': '{"text": "Lars L\\u00f8kke Rasmussen var i '
                                                'Aarhus.", "title": null, "language": "auto", '
                                                '"url": null, "callback_url": null, '
                                                '"published_at": null, "metadata": {}, "options": '
                                                '{"summary_sentences": 3, "summary_max_chars": '
                                                'null}}',
                                     'created_at': '2026-11-28T17:48:44.510Z',
                                     'expires_at': '2026-12-05T17:48:44.510Z',
                                     'status': 'queued',
                                     'echo': '{"title": null, "url": null, "published_at": null, '
                                             '"language": "auto", "callback_url": null, "chars": '
                                             '34, "metadata": {}}',
                                     'batch_id': 'at-qKSQlrWxVoPnd1nOiEA'}},
 'message': '{"body": '
            '"W1tbImhHZHdja2k5QmJQdl9KNUk2RGs4RmciLCAiaGkybU02c01PeUFIMlNpNXFQSEFUQSJdXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwgImNob3JkIjogbnVsbH1d", '
            '"content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": '
            '"py", "task": "newsdesk.analyze_batch", "id": "6d698a76-d6af-44c0-9d15-2b840b38ce3c", '
            '"shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, '
            '"retries": 0, "timelimit": [null, null], "root_id": '
            '"6d698a76-d6af-44c0-9d15-2b840b38ce3c", "parent_id": null, "argsrepr": '
            '"[[\'hGdwcki9BbPv_J5I6Dk8Fg\', \'hi2mM6sMOyAH2Si5qPHATA\']]", "kwargsrepr": "{}", '
            '"origin": "gen10963@vm", "ignore_result": null, "replaced_task_nesting": 0, '
            '"stamped_headers": null, "stamps": {}}, "properties": {"correlation_id": '
            '"6d698a76-d6af-44c0-9d15-2b840b38ce3c", "reply_to": '
            '"b0eb588b-6f2a-31d7-a34d-9267445307bb", "delivery_mode": 2, "delivery_info": '
            '{"exchange": "", "routing_key": "upg.batch"}, "priority": 0, "body_encoding": '
            '"base64", "delivery_tag": "672a92d7-cd0a-47b1-af62-dd7ae4be3bd2"}}'}

# V_RECENT: a job its worker started (and then died).
V_RECENT_RUNNING = {'id': 'YYMTaJRiBUZsgdXZkrKYnA',
 'record': {'attempts': '1',
            'owner': 'anonymous',
            'created_at': '2026-11-28T17:55:35.144Z',
            'article': '{"text": "Mette Frederiksen bes\\u00f8gte Aarhus i g\\u00e5r.", "title": '
                       'null, "language": "da", "url": null, "callback_url": null, "published_at": '
                       'null, "metadata": {}, "options": {"summary_sentences": 3, '
                       '"summary_max_chars": null}}',
            'expires_at': '2026-12-05T17:55:35.144Z',
            'status': 'running',
            'started_at': '2026-11-28T17:55:35.422Z',
            'echo': '{"title": null, "url": null, "published_at": null, "language": "da", '
                    '"callback_url": null, "chars": 39, "metadata": {}}'},
 'lease': 1795888565.424711}

# V_EARLY: a job its worker finished (no `echo`; entity groups without `salience`).
V_EARLY_SUCCEEDED = {'created_at': '2026-11-28T17:42:20.395Z',
 'article': '{"text": "Mette Frederiksen bes\\u00f8gte K\\u00f8benhavn i dag. Hun talte med '
            'pressen om \\u00f8konomien.", "title": null, "language": "da", "url": null, '
            '"callback_url": null, "published_at": null, "metadata": {}, "options": '
            '{"summary_sentences": 3, "summary_max_chars": null}}',
 'result': '{"language": "da", "language_source": "client", "summary": {"text": "Mette Frederiksen '
           'bes\\u00f8gte K\\u00f8benhavn i dag. Hun talte med pressen om \\u00f8konomien.", '
           '"sentences": [{"index": 0, "start": 0, "end": 42, "text": "Mette Frederiksen '
           'bes\\u00f8gte K\\u00f8benhavn i dag.", "score": 0.7, "entities": ["Mette Frederiksen", '
           '"K\\u00f8benhavn"]}, {"index": 1, "start": 43, "end": 78, "text": "Hun talte med '
           'pressen om \\u00f8konomien.", "score": 0.6364, "entities": []}]}, "entities": '
           '[{"name": "Mette Frederiksen", "label": "PER", "count": 1, "mentions": [{"field": '
           '"text", "start": 0, "end": 17, "text": "Mette Frederiksen"}]}, {"name": '
           '"K\\u00f8benhavn", "label": "LOC", "count": 1, "mentions": [{"field": "text", "start": '
           '26, "end": 35, "text": "K\\u00f8benhavn"}]}], "warnings": [], "models": {"ner": '
           '"newsdesk_ner_da@0.1.0"}}',
 'expires_at': '2026-12-05T17:42:20.432Z',
 'status': 'succeeded',
 'started_at': '2026-11-28T17:42:20.398Z',
 'owner': 'anonymous',
 'attempts': '1',
 'finished_at': '2026-11-28T17:42:20.432Z'}

# V_EARLY: a job with a callback_url, finished and its webhook delivered.
V_EARLY_WEBHOOK_DELIVERED = {'started_at': '2026-11-28T17:42:20.455Z',
 'owner': 'anonymous',
 'created_at': '2026-11-28T17:42:20.428Z',
 'status': 'succeeded',
 'attempts': '1',
 'webhook': '{"url": "http://127.0.0.1:17399/hook", "state": "delivered", "attempts": 1, '
            '"last_status": 200, "last_error": null, "updated_at": "2026-11-28T17:42:21.197Z"}',
 'article': '{"text": "Angela Merkel visited Paris on Monday. She met the president.", "title": '
            'null, "language": "auto", "url": null, "callback_url": "http://127.0.0.1:17399/hook", '
            '"published_at": null, "metadata": {}, "options": {"summary_sentences": 3, '
            '"summary_max_chars": null}}',
 'expires_at': '2026-12-05T17:42:20.458Z',
 'result': '{"language": "en", "language_source": "detected", "summary": {"text": "Angela Merkel '
           'visited Paris on Monday. She met the president.", "sentences": [{"index": 0, "start": '
           '0, "end": 38, "text": "Angela Merkel visited Paris on Monday.", "score": 0.7, '
           '"entities": []}, {"index": 1, "start": 39, "end": 61, "text": "She met the '
           'president.", "score": 0.525, "entities": []}]}, "entities": [], "warnings": [{"code": '
           '"entities_unsupported_language", "message": "Entity extraction is not available for '
           'language \'en\'; it is available for: da."}], "models": {"ner": null}}',
 'finished_at': '2026-11-28T17:42:20.458Z'}

# The Idempotency-Key each version's API took for its BATCH above (the request's body: the two
# articles of its jobs, text only), as stored.
V_EARLY_BATCH_IDEMPOTENCY = {'header': 'bidem-c300',
 'key': 'newsdesk:idem:anonymous:affa3ec9ec114d22545fb8afe92a98b5bcbfca283f3c72fd034438813cb23e3d',
 'value': '{"fingerprint": "0ac24dd50a27b552b3484090501539b0d23346e4f910e386ccf00cb019676c88", '
          '"job_id": "ZEipWSW3Uk5_d65wI0JNGg"}'}
V_MID_BATCH_IDEMPOTENCY = {'header': 'bidem-c120',
 'key': 'newsdesk:idem:anonymous:c1861d89ccd66aa41099ef00fe22844a8da8edcf4626a2e69952b31b2640f48e',
 'value': '{"fingerprint": "0ac24dd50a27b552b3484090501539b0d23346e4f910e386ccf00cb019676c88", '
          '"job_id": "rG5zDAFb94RQxPwp-feZqg"}'}
V_RECENT_BATCH_IDEMPOTENCY = {'header': 'bidem-c40',
 'key': 'newsdesk:idem:anonymous:80cde99929ec95ea78f3095a7333f6ce9f2ed6449ec2225156ae88decbc41349',
 'value': '{"fingerprint": "0ac24dd50a27b552b3484090501539b0d23346e4f910e386ccf00cb019676c88", '
          '"job_id": "at-qKSQlrWxVoPnd1nOiEA"}'}
