"""The job record: the single source of truth about a job, shared by the API and the workers.

Celery reports any unknown task id as PENDING, so job state lives in its own Redis hash
(`newsdesk:job:<id>`) with explicit status transitions, done atomically in Lua so that a
redelivered task can never move a finished job back to `running`.

Each job belongs to the API key that created it (its `owner`). Per owner there is a sorted set of
its jobs (newest last, for listing) and a set of its queued jobs (for the per-key queue cap).
"""

from __future__ import annotations

import functools
import json
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

import redis

from . import metrics, results
from .api_keys import ANONYMOUS
from .job_events import DONE_CHANNEL, DoneEvents
from .metrics import Increments
from .redis_checks import OUT_OF_MEMORY
from .task_names import BULK_LANE

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED)
TERMINAL = frozenset({SUCCEEDED, FAILED})
KEY_PREFIX = "newsdesk:job:"
OWNER_PREFIX = "newsdesk:owner:"
BATCH_PREFIX = "newsdesk:batch:"  # the records of newsdesk.batch_store
# Running jobs by the time their lease runs out (seconds since the epoch, by the Redis server's
# clock: see _NOW_FUNCTION). A worker renews the lease while it works; a lease that runs out means
# the worker died, and a sweeper requeues.
LEASES = "newsdesk:leases"
# Queued jobs by when they were (last) queued, by the Redis server's clock. A queue message can
# be lost in a narrow window (a worker killed just as Redis hands it a message); a sweeper
# requeues jobs that stay queued far longer than a queue should hold them (see worker/lease.py).
QUEUED_INDEX = "newsdesk:queued"
# A listing reads the owner's index LIST_PAGE entries per round trip, and no more than LIST_SCAN
# entries per call (see JobStore.list).
LIST_PAGE = 200
LIST_SCAN = 1000
# Each new job looks at this many of the oldest entries of its owner's listing, and removes those
# whose job is gone (see _CREATE).
LISTING_SWEEP = 4
# Jobs whose webhook is still to be delivered, scored by when its next attempt is due, by the
# Redis server's clock (see worker/webhooks.py): a delivery whose message was never sent is sent
# again by the sweepers.
WEBHOOKS_DUE = "newsdesk:webhooks:due"
# How often a long poll looks whether its client is still there (see JobStore.wait_finished).
HUNG_UP_CHECK_SECONDS = 1.0

# The time, in seconds since the epoch, by the Redis server's clock: the one clock that the API
# and the workers, on however many machines, all see alike. Every time that one process writes
# and another compares (a lease's deadline, when a job was queued, when a webhook is due) comes
# from here, so that a machine whose own clock is off cannot make a live lease look stale or a
# fresh job look lost. (Scripts may read TIME and then write since Redis 5.)
_NOW_FUNCTION = """
local function now()
  local time = redis.call('TIME')
  return tonumber(time[1]) + tonumber(time[2]) / 1000000
end
"""

# A request counted against its window (see Charge): the counter `key` expires `ttl` seconds after
# its first count (when it has no expiry yet). Timed by Redis, the window is the same whichever
# API machine counts, however their clocks differ. Returns the count and the milliseconds left in
# the window (0 and 0 when Redis is full: see below).
_CHARGE_FUNCTION = """
local function charge(key, ttl)
  local count = redis.pcall('INCR', key)
  if type(count) == 'table' then
    -- A full Redis (maxmemory reached, nothing to evict) refuses the count: the request goes
    -- uncounted, so that reading a job still works. A job to be created fails at its own write.
    if string.find(count.err, '""" + OUT_OF_MEMORY + """', 1, true) then return 0, 0 end
    error(count.err)
  end
  local left = redis.call('PTTL', key)
  if left < 0 then
    redis.call('EXPIRE', key, ttl)
    left = tonumber(ttl) * 1000
  end
  return count, left
end
"""

# KEYS: 1 job hash, 2 owner's queued set, 3 owner's job index, 4 metrics counters, 5 queued index,
# then four that are '' when unused: 6 a request counter (Charge), 7 the broker's queue list,
# 8 an idempotency key (Claim), 9 the broker's bulk queue list. ARGV: 1 cap, 2 job id, 3 ttl, 4 job
# key prefix, 5 counter field ('' when the job is counted later), 6 the request limit, 7 the
# request counter's ttl, 8 the queue message, 9 the idempotency key's value, 10 its ttl, 11 from
# how many queued jobs of the owner on the job goes to the bulk lane (0: never), 12 the bulk
# queue's message, then the record's field/value pairs. Returns {outcome, request count,
# milliseconds left in its window, the job's lane ('' or 'bulk') or the idempotency key's earlier
# value}: outcome 1 created, 0 the owner's queue is full, -1 over the request limit, 2 the
# idempotency key is taken. Every refusal comes before any write but the request count's, so a
# refused job leaves nothing behind. Doing all of it here saves the API a round trip for each part.
_CREATE = _NOW_FUNCTION + _CHARGE_FUNCTION + f"""
local LISTING_SWEEP = {LISTING_SWEEP}
""" + """
local count, left = 0, 0
if KEYS[6] ~= '' then
  count, left = charge(KEYS[6], ARGV[7])
  if count > tonumber(ARGV[6]) then return {-1, count, left} end
end
-- Ids are random, so an existing record means this is a client's retry of a script that ran.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {1, count, left, redis.call('HGET', KEYS[1], 'lane') or ''}
end
if KEYS[8] ~= '' then
  local earlier = redis.call('GET', KEYS[8])
  if earlier then return {2, count, left, earlier} end
end
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[1]) then
  -- Drop ids whose record expired or was deleted before counting them against the cap.
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if redis.call('EXISTS', ARGV[4] .. id) == 0 then redis.call('SREM', KEYS[2], id) end
  end
  if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[1]) then return {0, count, left} end
end
-- Fair share: an owner's jobs beyond its first few queued take the bulk lane, so that its backlog
-- waits there, and another owner's job in the main queue only behind those few.
local fields, lane = {unpack(ARGV, 13)}, ''
-- The job names its idempotency key, whose record holds a fingerprint of its article: the job's
-- deletion takes that out too (_DELETE).
if KEYS[8] ~= '' then
  table.insert(fields, 'idempotency_key')
  table.insert(fields, KEYS[8])
end
if tonumber(ARGV[11]) > 0 and redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[11]) then
  lane = 'bulk'
  table.insert(fields, 'lane')
  table.insert(fields, lane)
end
-- The message before the record: a script stops at the first call that fails, keeping what it
-- wrote until then, so a push that fails leaves no job behind.
if lane == 'bulk' then
  if KEYS[9] ~= '' then redis.call('LPUSH', KEYS[9], ARGV[12]) end
elseif KEYS[7] ~= '' then
  redis.call('LPUSH', KEYS[7], ARGV[8])
end
-- No expiry yet: the retention counts from the job's end (_FINISH), however long it waits.
redis.call('HSET', KEYS[1], unpack(fields))
if ARGV[5] ~= '' then redis.call('HINCRBY', KEYS[4], ARGV[5], 1) end
local time = now()
redis.call('ZADD', KEYS[5], time, ARGV[2])
redis.call('SADD', KEYS[2], ARGV[2])
-- In the owner's listing, microseconds: a time-ordered score that doubles as the listing cursor.
-- Each job gets one of its own, above every earlier one even should the server's clock step
-- back: the cursor (a score) would skip the rest of a tie that a page ends in.
local score = math.floor(time * 1000000)
local last = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')[2]
if last and tonumber(last) >= score then score = tonumber(last) + 1 end
redis.call('ZADD', KEYS[3], string.format('%.0f', score), ARGV[2])
-- An idle owner's listing goes away once every job in it must have expired (_FINISH extends
-- it); the queued set empties itself as its jobs start, so it needs no expiry.
redis.call('EXPIRE', KEYS[3], 2 * tonumber(ARGV[3]))
-- An owner that is never idle keeps its listing for good, so the listing sheds what expiry would
-- have taken: entries older than twice the retention (as the key would have, see README), and
-- of its oldest entries those whose job is gone. A few a job: more than one comes in each time,
-- so the listing holds hardly more than the owner's live jobs.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf',
           string.format('(%.0f', (time - 2 * tonumber(ARGV[3])) * 1000000))
for _, old in ipairs(redis.call('ZRANGE', KEYS[3], 0, LISTING_SWEEP - 1)) do
  if redis.call('EXISTS', ARGV[4] .. old) == 0 then redis.call('ZREM', KEYS[3], old) end
end
if KEYS[8] ~= '' then redis.call('SET', KEYS[8], ARGV[9], 'EX', ARGV[10]) end
return {1, count, left, lane}
"""

# The state machine, shared by the scripts below. Moves the job at `key` from one of `allowed`
# (comma-separated) to `status`, setting the field/value pairs in `fields`; a `ttl` above 0 resets
# its expiry. Returns the state the job was in (false when it does not exist); the caller
# compares it. Leaving `queued` frees a place in the owner's queue cap (the owner's key is derived
# here because only the record knows its owner).
_TRANSITION_FUNCTION = """
local function transition(key, queued_index, allowed, status, ttl, owner_prefix, job_prefix, fields)
  local current = redis.call('HGET', key, 'status')
  if not current then return false end
  for state in string.gmatch(allowed, '[^,]+') do
    if state == current then
      redis.call('HSET', key, 'status', status, unpack(fields))
      if tonumber(ttl) > 0 then redis.call('EXPIRE', key, ttl) end
      if current == 'queued' then
        local id = string.sub(key, #job_prefix + 1)
        local owner = redis.call('HGET', key, 'owner')
        redis.call('ZREM', queued_index, id)
        if owner then redis.call('SREM', owner_prefix .. owner .. ':queued', id) end
      end
      return current
    end
  end
  return current
end
"""

# Whether the lease of job `id` in `leases` is still the one a sweeper claimed (`claimed`, the
# deadline it set; '' for no such condition). A worker that renews the lease, or starts the job
# again, sets another deadline: the job is then no longer the sweeper's to requeue or fail.
_HOLDS_FUNCTION = """
local function holds(leases, id, claimed)
  if claimed == '' then return true end
  local score = redis.call('ZSCORE', leases, id)
  return score ~= false and tonumber(score) == tonumber(claimed)
end
"""

# A worker takes a job: queued -> running, one more attempt, and a lease. A running job is taken
# only once its lease has run out (or it has none): its worker stopped renewing it, so died. While
# the lease is live the job is another worker's, and this delivery is a second message for it (the
# sweeper's resend of a long-queued job, a redelivery while its worker lives): it must not run the
# job as well. Should that worker die, its lease runs out and a sweeper requeues the job with a
# message of its own. Two starts are the job's holder itself and take it back at once, its lease
# live or not, with no attempt counted (no worker died) and `started_at` kept: the same run's start
# sent again (its reply was lost, and the Redis client sent the script again), and a later try of
# the same task (Celery keeps a task's id across its retries and counts them; a try has ended
# before its retry is sent). A redelivered message keeps its task id and its try, so it is no
# holder. KEYS[1] job key, KEYS[2] queued index, KEYS[3] leases; ARGV[1] owner key prefix, ARGV[2]
# job key prefix, ARGV[3] started_at, ARGV[4] the lease's length in seconds, ARGV[5] the task id,
# ARGV[6] its try, ARGV[7] the run's token ('' for none: such a start is never the holder).
# Returns {previous state} when the job is not to be run (gone or finished), {'held'} when another
# worker holds it, else {previous state, attempts, the whole hash}.
_START = _NOW_FUNCTION + _TRANSITION_FUNCTION + """
local id = string.sub(KEYS[1], #ARGV[2] + 1)
local time = now()
local status, task, try, run = unpack(redis.call('HMGET', KEYS[1], 'status', 'held_by', 'held_try',
                                                 'held_run'))
local own = false
if status == 'running' then
  own = (ARGV[7] ~= '' and run == ARGV[7])
        or (ARGV[5] ~= '' and task == ARGV[5] and tonumber(ARGV[6]) > tonumber(try))
  if not own then
    local deadline = redis.call('ZSCORE', KEYS[3], id)
    if deadline and tonumber(deadline) > time then return {'held'} end
  end
end
local fields = {'held_by', ARGV[5], 'held_try', ARGV[6], 'held_run', ARGV[7]}
if not own then
  table.insert(fields, 'started_at')
  table.insert(fields, ARGV[3])
end
local previous = transition(KEYS[1], KEYS[2], 'queued,running', 'running', 0, ARGV[1], ARGV[2], fields)
if previous ~= 'queued' and previous ~= 'running' then return {previous or ''} end
local attempts
if own then
  attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts'))
else
  attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
end
redis.call('ZADD', KEYS[3], time + tonumber(ARGV[4]), id)
return {previous, attempts, redis.call('HGETALL', KEYS[1])}
"""

# Extend the leases of running jobs to ARGV[1] seconds from now; a job whose lease is gone (it
# ended) gets none back. KEYS[1] the leases; ARGV[2..] the job ids.
_RENEW = _NOW_FUNCTION + """
local deadline = now() + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', deadline, ARGV[i]) end
"""

# A job ends: queued or running -> `status`, its lease dropped and its end announced on
# DONE_CHANNEL (for long polls); its metrics are added only when this call ended it, so a
# redelivered job is never counted twice. KEYS[1] job key, KEYS[2] queued index, KEYS[3] leases,
# KEYS[4] the channel, KEYS[5..] the metric hashes; ARGV[1] status, ARGV[2] ttl, ARGV[3] owner key
# prefix, ARGV[4] job key prefix, ARGV[5] batch key prefix, ARGV[6] when a batch that ends now
# expires, ARGV[7] a sweeper's claimed lease deadline ('' unless a sweeper ends it: see holds),
# ARGV[8] how many field/value items follow, ARGV[9] this call's token, then those items, then
# metric increments as (index into KEYS, field, amount) triples. Returns the previous state (false
# when the lease was not held), or 'own' when this very call ended the job already: its reply was
# lost and the Redis client sent the script again, which must not read as someone else's finish
# (the caller would skip the webhook). The token is checked before the lease, which the first run
# dropped.
# The job's batch and its owner's listing are then kept at least twice the ttl from now, so that
# they outlive a job that waited in a long backlog.
_FINISH = _TRANSITION_FUNCTION + _HOLDS_FUNCTION + """
local function keep(key, seconds)
  if redis.call('TTL', key) < seconds then return redis.call('EXPIRE', key, seconds) == 1 end
  return false
end
local n = tonumber(ARGV[8])
local id = string.sub(KEYS[1], #ARGV[4] + 1)
if redis.call('HGET', KEYS[1], 'finished_by') == ARGV[9] then return 'own' end
if not holds(KEYS[3], id, ARGV[7]) then return false end
local fields = {unpack(ARGV, 10, 9 + n)}
table.insert(fields, 'finished_by')
table.insert(fields, ARGV[9])
local previous = transition(KEYS[1], KEYS[2], 'queued,running', ARGV[1], ARGV[2], ARGV[3], ARGV[4],
                            fields)
redis.call('ZREM', KEYS[3], id)
if previous == 'queued' or previous == 'running' then
  redis.call('PUBLISH', KEYS[4], id)
  local owner, batch = unpack(redis.call('HMGET', KEYS[1], 'owner', 'batch_id'))
  if owner then keep(ARGV[3] .. owner .. ':jobs', 2 * tonumber(ARGV[2])) end
  if batch and keep(ARGV[5] .. batch, 2 * tonumber(ARGV[2])) then
    redis.call('HSET', ARGV[5] .. batch, 'expires_at', ARGV[6])
  end
  for i = 10 + n, #ARGV, 3 do
    redis.call('HINCRBYFLOAT', KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2])
  end
end
return previous
"""

# A running job goes back to the queue (its worker died, or handed it back): running -> queued,
# its lease dropped, queued again in the index and its owner's set, so that only the message sent
# with it runs it, and a stale lease is not found (and sent again) once per lease period while
# that message waits. KEYS[1] job key, KEYS[2] queued index, KEYS[3] leases; ARGV[1] owner key
# prefix, ARGV[2] job id, ARGV[3] a sweeper's claimed lease deadline ('' for none: see holds),
# ARGV[4] the attempt that hands the job back ('' for any: a worker hands back only its own run,
# not the run of a worker that started the job since), ARGV[5] this call's token. Returns 1 if it
# was running (and its lease held, in that attempt), else 0; 1 too when this very call requeued it
# and the job is still queued: its reply was lost and the Redis client sent the script again, and
# the caller is still to send the job's message (0 would leave the job queued with none).
_REQUEUE = _NOW_FUNCTION + _HOLDS_FUNCTION + """
local status, by = unpack(redis.call('HMGET', KEYS[1], 'status', 'requeued_by'))
if status == 'queued' and by == ARGV[5] then return 1 end
if not holds(KEYS[3], ARGV[2], ARGV[3]) then return 0 end
if status ~= 'running' then return 0 end
if ARGV[4] ~= '' and redis.call('HGET', KEYS[1], 'attempts') ~= ARGV[4] then return 0 end
redis.call('HSET', KEYS[1], 'status', 'queued', 'requeued_by', ARGV[5])
redis.call('HDEL', KEYS[1], 'started_at')
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[2], now(), ARGV[2])
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner then redis.call('SADD', ARGV[1] .. owner .. ':queued', ARGV[2]) end
return 1
"""

# Drop a lease a sweeper claimed, unless a worker renewed it or took the job since. KEYS[1] the
# leases; ARGV[1] job id, ARGV[2] the claimed deadline.
_FORGET_LEASE = _HOLDS_FUNCTION + """
if holds(KEYS[1], ARGV[1], ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
"""

# Take the ids of the sorted set KEYS[1] scored ARGV[1] seconds or more before now (up to ARGV[2]
# of them) and score each ARGV[3] seconds from now, so that of several sweepers exactly one takes
# a given id. Returns {the new score, exactly as set, the ids}.
_CLAIM = _NOW_FUNCTION + """
local time = now()
local found = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', time - tonumber(ARGV[1]), 'LIMIT', 0,
                         tonumber(ARGV[2]))
-- As a string: a script's numbers reach the caller cut to integers, and a claimed lease is
-- compared exactly (see holds).
local score = string.format('%.17g', time + tonumber(ARGV[3]))
for _, id in ipairs(found) do redis.call('ZADD', KEYS[1], score, id) end
return {score, found}
"""

# Put in the queued index KEYS[1], as queued now, those of the jobs ARGV[2..] (ids; ARGV[1] the job
# key prefix) that are queued and not in it. Returns their ids.
_INDEX_QUEUED = _NOW_FUNCTION + """
local time, added = now(), {}
for i = 2, #ARGV do
  local queued = redis.call('HGET', ARGV[1] .. ARGV[i], 'status') == 'queued'
  if queued and not redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], time, ARGV[i])
    table.insert(added, ARGV[i])
  end
end
return added
"""

# Score ARGV[1] in the sorted set KEYS[1] at ARGV[2] seconds from now.
_SCORE_FROM_NOW = _NOW_FUNCTION + """
redis.call('ZADD', KEYS[1], now() + tonumber(ARGV[2]), ARGV[1])
"""

# A job's webhook delivery state, set only while the job exists: checked and written in one step,
# so a job deleted meanwhile is never brought back as a hash without expiry. KEYS[1] the job;
# ARGV[1] the state as JSON. Returns 1 when it was set.
_SET_WEBHOOK = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'webhook', ARGV[1])
return 1
"""

# A page of an owner's listing in one round trip: up to ARGV[2] entries of the index KEYS[1] below
# the score ARGV[1] ('+inf' or '(<score>'), newest first; of each, the fields ARGV[5..] (status
# first) when its status is ARGV[3] ('' for any). Ids whose job is gone leave the index. ARGV[4]
# is the job key prefix. Returns {the jobs as {id, score, values}, the score of the last entry}.
_LIST_PAGE = """
local page = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'WITHSCORES', 'LIMIT', 0,
                        tonumber(ARGV[2]))
local jobs = {}
for i = 1, #page, 2 do
  local values = redis.call('HMGET', ARGV[4] .. page[i], unpack(ARGV, 5))
  if not values[1] then
    redis.call('ZREM', KEYS[1], page[i])
  elseif ARGV[3] == '' or values[1] == ARGV[3] then
    table.insert(jobs, {page[i], page[i + 1], values})
  end
end
return {jobs, page[#page] or false}
"""

# Delete a job and its index entries: the hash, its lease, its place in the queued index and in
# its owner's sets. KEYS[1] the job, KEYS[2] leases, KEYS[3] the queued index; ARGV[1] job id,
# ARGV[2] owner key prefix, ARGV[3] '1' to delete a running job too. Whether it runs is decided in
# the same step as the deletion, so that a worker cannot start the job in between. Returns 0 when
# it left a running job alone.
# The record of the job's idempotency key (see service/idempotency.py) keeps the job id for the
# rest of its day, so that a repeat is told the job is gone; its fingerprint of the article, a
# hash that confirms a guessed article, goes with the job.
_DELETE = """
if ARGV[3] ~= '1' and redis.call('HGET', KEYS[1], 'status') == 'running' then return 0 end
local owner, claim = unpack(redis.call('HMGET', KEYS[1], 'owner', 'idempotency_key'))
if claim then
  local record = redis.call('GET', claim)
  if record and cjson.decode(record)['job_id'] == ARGV[1] then
    redis.call('SET', claim, cjson.encode({job_id = ARGV[1]}), 'KEEPTTL')
  end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if owner then
  redis.call('SREM', ARGV[2] .. owner .. ':queued', ARGV[1])
  redis.call('ZREM', ARGV[2] .. owner .. ':jobs', ARGV[1])
end
return 1
"""

# `lane` is no client's, but the sweepers read the jobs they look at with these fields and need it.
_CLIENT_FIELDS = ("status", "owner", "batch_id", "created_at", "started_at", "finished_at",
                  "expires_at", "echo", "error", "result", "webhook", "attempts", "lane")
# A job read together with a request count (Charge): KEYS[1] the counter, KEYS[2] the job hash;
# ARGV[1] the counter's ttl, ARGV[2] '1' for the whole hash, else only the fields clients see
# (named here, which is cheaper than sending them). Returns {count, milliseconds left in its
# window, the hash's fields or values}.
_READ_COUNTED = _CHARGE_FUNCTION + """
local count, left = charge(KEYS[1], ARGV[1])
if ARGV[2] == '1' then return {count, left, redis.call('HGETALL', KEYS[2])} end
return {count, left, redis.call('HMGET', KEYS[2], %s)}
""" % ", ".join(f"'{name}'" for name in _CLIENT_FIELDS)

# A request counted on its own: KEYS[1] the counter, ARGV[1] its ttl. Returns {count, milliseconds
# left in its window}.
_COUNT = _CHARGE_FUNCTION + """
return {charge(KEYS[1], ARGV[1])}
"""


class QueueFull(Exception):
    """The owner already has as many queued jobs as allowed."""


class JobRunning(Exception):
    """The job is running: it was not deleted."""


class JobHeld(Exception):
    """The job is running on a worker whose lease has not run out: it was not started again."""


@dataclass(frozen=True)
class Holder:
    """Who starts a job (JobStore.start): a task (Celery's task id, which its retries keep), its
    try (Celery's count of retries: 0 for the first) and a token of this run, the same for every
    start it sends. A redelivered message has the task id and try of the original but runs anew,
    so it is told apart from the original's run by the token, and from a retry by the try."""

    task_id: str
    tries: int = 0
    run: str = field(default_factory=lambda: secrets.token_hex(8))


def _call_token() -> str:
    """A token of one call of a script (_FINISH, _REQUEUE), the same in the script that the
    Redis client sends again after a lost reply, so that the script tells its own earlier run
    from another caller's."""
    return secrets.token_hex(8)


@dataclass
class Charge:
    """A request counted against a fixed-window limit in the round trip of the job operation it
    comes with (the API's rate limit per key, service/auth.py). `key` is incremented and expires
    `ttl` seconds after its first count; the store fills in `count` and `left`, the seconds left
    until the window ends (both as Redis counts and times them)."""

    key: str
    limit: int
    ttl: int
    count: int = 0
    left: float = 0.0


class LimitExceeded(Exception):
    """The charge's count went over its limit: the operation was not done."""

    def __init__(self, charge: Charge):
        super().__init__(charge.key)
        self.charge = charge


@dataclass
class Lanes:
    """Where a single article's message goes (JobStore.create): the queue `main`, or `bulk` once
    its owner has `after` queued jobs or more. With `messages` (the items for main and bulk) the
    store's script pushes the one; without them the caller sends it. The store fills in
    `chosen`, the queue it went to or is to go to."""

    after: int
    main: str
    bulk: str
    messages: tuple[str, str] | None = None
    chosen: str = ""


@dataclass(frozen=True)
class Claim:
    """An idempotency key taken together with a new job: set to `value` for `ttl` seconds."""

    key: str
    value: str
    ttl: int


class Claimed(Exception):
    """The idempotency key was taken earlier: no job was created. `earlier` is its value."""

    def __init__(self, earlier: str):
        super().__init__(earlier)
        self.earlier = earlier


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def isoformat(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


_ECHOED = ("title", "url", "published_at", "language", "callback_url")


def echo(article: dict) -> dict:
    """The parts of an article that are shown back with its job (never the text itself)."""
    return {name: article.get(name) for name in _ECHOED} | {
        "chars": len(article.get("text", "")), "metadata": article.get("metadata") or {}}


def job_age(job: dict) -> float:
    """Seconds since the job was submitted."""
    created = datetime.fromisoformat(job["created_at"].replace("Z", "+00:00"))
    return (utcnow() - created).total_seconds()


def _submitted_series(language: str) -> str:
    return metrics.series("newsdesk_jobs_submitted_total", language=language)


def new_job_id() -> str:
    # 128 random bits, URL-safe: ids cannot be guessed or enumerated.
    return secrets.token_urlsafe(16)


class JobStore:
    def __init__(self, client: redis.Redis, ttl_seconds: int, max_queued_per_owner: int = 1000):
        self.redis = client
        self.ttl_seconds = ttl_seconds
        self.max_queued_per_owner = max_queued_per_owner
        self._create = client.register_script(_CREATE)
        self._claim = client.register_script(_CLAIM)
        self._start = client.register_script(_START)
        self._renew = client.register_script(_RENEW)
        self._finish_script = client.register_script(_FINISH)
        self._requeue = client.register_script(_REQUEUE)
        self._forget_lease = client.register_script(_FORGET_LEASE)
        self._read_counted = client.register_script(_READ_COUNTED)
        self._count = client.register_script(_COUNT)
        self._set_webhook = client.register_script(_SET_WEBHOOK)
        self._score_from_now = client.register_script(_SCORE_FROM_NOW)
        self._index_queued = client.register_script(_INDEX_QUEUED)
        self._delete = client.register_script(_DELETE)
        self._list_page = client.register_script(_LIST_PAGE)

    @staticmethod
    def key(job_id: str) -> str:
        return KEY_PREFIX + job_id

    @staticmethod
    def owner_key(owner: str, kind: str) -> str:
        return f"{OWNER_PREFIX}{owner}:{kind}"

    def create(self, article: dict, owner: str = ANONYMOUS, batch_id: str | None = None, *,
               job_id: str | None = None, message: tuple[str, str] | None = None,
               charge: Charge | None = None, claim: Claim | None = None, counted: bool = True,
               lanes: Lanes | None = None) -> str:
        """Record a queued job and return its id; QueueFull when the owner has too many queued.

        Optionally, in the same atomic script: `message` (a queue list and an item, see
        newsdesk.task_message) is pushed onto the broker's queue, or with `lanes` the lane's
        message onto the lane's queue (see Lanes); `charge` is counted first
        (LimitExceeded over its limit); `claim` is set with the job (Claimed if it was set before).
        A refused job leaves nothing behind but the count. Without `counted` the job is not
        counted as submitted (count_submitted does, once it is accepted).
        """
        job_id = job_id or new_job_id()
        counter = _submitted_series(article.get("language", "auto")) if counted else ""
        pushed = lanes.messages if lanes and lanes.messages else None
        if pushed:
            message = (lanes.main, pushed[0])
        keys = [self.key(job_id), self.owner_key(owner, "queued"), self.owner_key(owner, "jobs"),
                metrics.COUNTERS, QUEUED_INDEX, charge.key if charge else "",
                message[0] if message else "", claim.key if claim else "", lanes.bulk if pushed else ""]
        args = [self.max_queued_per_owner, job_id, self.ttl_seconds, KEY_PREFIX, counter,
                charge.limit if charge else 0, charge.ttl if charge else 0, message[1] if message else "",
                claim.value if claim else "", claim.ttl if claim else 0,
                lanes.after if lanes else 0, pushed[1] if pushed else "",
                *self._record_fields(article, owner, batch_id)]
        outcome, count, left, *rest = self._create(keys=keys, args=args)
        if charge:
            self._counted(charge, count, left)  # LimitExceeded for outcome -1: nothing was created
        if outcome == 2:
            raise Claimed(rest[0].decode())
        if outcome == 0:
            raise QueueFull(owner)
        if lanes:
            lanes.chosen = lanes.bulk if rest[0] == BULK_LANE.encode() else lanes.main
        return job_id

    def lane(self, job_id: str) -> str | None:
        """The job's lane (BULK_LANE, or None: the main queue, a batch's, or no such job)."""
        raw = self.redis.hget(self.key(job_id), "lane")
        return raw.decode() if raw else None

    def _record_fields(self, article: dict, owner: str, batch_id: str | None) -> list:
        now = utcnow()
        record = {
            "status": QUEUED,
            "owner": owner,
            **({"batch_id": batch_id} if batch_id else {}),
            "created_at": isoformat(now),
            "expires_at": isoformat(now + timedelta(seconds=self.ttl_seconds)),
            "article": json.dumps(article),
            # What clients see of the article, kept apart so that reading a job for a client
            # never loads (or parses) a text of up to a megabyte.
            "echo": json.dumps(echo(article)),
            "attempts": 0,
        }
        return [item for pair in record.items() for item in pair]

    def count_submitted(self, languages: Iterable[str]) -> None:
        """Count as submitted jobs created with `counted=False`, by their articles' languages."""
        languages = Counter(languages)
        with self.redis.pipeline(transaction=False) as pipe:
            for language, jobs in languages.items():
                pipe.hincrby(metrics.COUNTERS, _submitted_series(language), jobs)
            pipe.execute()

    def delete(self, job_id: str, *, running_too: bool = False) -> None:
        """Delete the job (one that is gone already is no error). A running job is left to its
        worker (JobRunning) unless `running_too`."""
        if not self._delete(keys=[self.key(job_id), LEASES, QUEUED_INDEX],
                            args=[job_id, OWNER_PREFIX, int(running_too)]):
            raise JobRunning(job_id)

    def get(self, job_id: str, with_article: bool = True, charge: Charge | None = None,
            result_as_text: bool = False) -> dict | None:
        """The job as a plain dict with JSON fields decoded, or None when there is no such job.

        Without `with_article` the submitted text is neither read nor decoded (`article` is None).
        With `charge` it is counted in the same round trip, and LimitExceeded over its limit.
        With `result_as_text` the result stays the JSON text it is stored as (for answers that
        pass it on as it is: see newsdesk.job_document.job_json).
        """
        key = self.key(job_id)
        if charge is not None:
            count, left, raw = self._read_counted(keys=[charge.key, key], args=[charge.ttl, int(with_article)])
            self._counted(charge, count, left)
            if with_article:  # a script's HGETALL is a flat list
                raw = dict(zip(raw[::2], raw[1::2]))
        else:
            raw = self.redis.hgetall(key) if with_article else self.redis.hmget(key, _CLIENT_FIELDS)
        if not with_article:
            raw = {name: value for name, value in zip(_CLIENT_FIELDS, raw) if value is not None}
        job = self._decode(job_id, raw, result_as_text)
        if job is not None:
            self._echo_from_article([job])
            chars = job["echo"]["chars"] if job["echo"] else len((job["article"] or {}).get("text", ""))
            job["result"] = results.completed(job["result"], chars)
        return job

    def _echo_from_article(self, jobs: list[dict]) -> None:
        """Give an `echo` to jobs read without their article whose record has none: those created
        before the shown fields were stored apart, which only the article holds. Their articles
        are read (in one round trip) for them alone; any other job costs nothing."""
        bare = [job for job in jobs if job["echo"] is None and job["article"] is None]
        if not bare:
            return
        with self.redis.pipeline(transaction=False) as pipe:
            for job in bare:
                pipe.hget(self.key(job["job_id"]), "article")
            articles = pipe.execute()
        for job, article in zip(bare, articles):
            # A job deleted since it was read shows as an article of no text.
            job["echo"] = echo(json.loads(article) if article else {})

    def count(self, charge: Charge) -> None:
        """Count a request in a round trip of its own; LimitExceeded over the limit."""
        self._counted(charge, *self._count(keys=[charge.key], args=[charge.ttl]))

    @staticmethod
    def _counted(charge: Charge, count: int, left_ms: int) -> None:
        charge.count, charge.left = count, left_ms / 1000
        if count > charge.limit:
            raise LimitExceeded(charge)

    @staticmethod
    def _decode(job_id: str, raw: dict, result_as_text: bool = False) -> dict | None:
        if not raw:
            return None
        job = {(k.decode() if isinstance(k, bytes) else k): v.decode() for k, v in raw.items()}
        for name in ("article", "echo", "result", "error", "webhook"):
            if name == "result" and result_as_text:
                job[name] = job.get(name) or None
            else:
                job[name] = json.loads(job[name]) if job.get(name) else None
        job["attempts"] = int(job.get("attempts", 0))
        job.setdefault("owner", ANONYMOUS)
        job["job_id"] = job_id
        return job

    def statuses(self, job_ids: list[str]) -> list[str | None]:
        """The status of each job in one round trip (None for a job that is gone)."""
        with self.redis.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.hget(self.key(job_id), "status")
            return [raw.decode() if raw else None for raw in pipe.execute()]

    def list(self, owner: str, limit: int, before: int | None = None,
             status: str | None = None) -> tuple[list[dict], int | None]:
        """The owner's jobs, newest first, and the cursor for the next page (None at the end).

        A page per round trip; one call looks at no more than LIST_SCAN jobs, so that a rare
        `status` among many jobs gives a short page (even an empty one) with a cursor rather than
        holding the caller while the whole index is read.
        """
        jobs: list[dict] = []
        upper, scanned = f"({before}" if before is not None else "+inf", 0
        while scanned < LIST_SCAN:
            size = min(LIST_SCAN - scanned, limit * 2 if status is None else LIST_PAGE)
            found, last = self._list_page(keys=[self.owner_key(owner, "jobs")],
                                          args=[upper, size, status or "", KEY_PREFIX, *_CLIENT_FIELDS])
            if last is None:
                return self._listed(jobs, None)
            for raw_id, score, values in found:
                fields = {name: value for name, value in zip(_CLIENT_FIELDS, values) if value is not None}
                jobs.append(self._decode(raw_id.decode(), fields))
                if len(jobs) == limit:
                    return self._listed(jobs, int(float(score)))
            upper, scanned = f"({int(float(last))}", scanned + size
        return self._listed(jobs, int(float(last)))

    def _listed(self, jobs: list[dict], cursor: int | None) -> tuple[list[dict], int | None]:
        self._echo_from_article(jobs)
        return jobs, cursor

    def set_webhook(self, job_id: str, state: dict) -> bool:
        """Record the webhook delivery state on the job; False (and nothing written) when the job
        is gone."""
        return bool(self._set_webhook(keys=[self.key(job_id)], args=[json.dumps(state)]))

    def start(self, job_id: str, lease_seconds: float = 60, max_attempts: int = 3,
              holder: Holder | None = None) -> dict | None:
        """Mark the job running and return it, or None when it is gone or already finished.

        Running -> running is allowed only once the job's lease has run out: that is a delivery
        after its worker died mid-task. While the lease is live another worker runs the job:
        JobHeld; unless `holder` is the one that holds it (the same run, or a later try of the
        same task: see Holder), which takes it back at once and counts no attempt. A job that has
        been started `max_attempts` times already keeps killing its workers: it fails with
        `worker_lost` instead of looping forever.
        """
        who = [holder.task_id, holder.tries, holder.run] if holder else ["", 0, ""]
        previous, *taken = self._start(keys=[self.key(job_id), QUEUED_INDEX, LEASES],
                                       args=[OWNER_PREFIX, KEY_PREFIX, isoformat(utcnow()), lease_seconds,
                                             *who])
        if previous == b"held":
            raise JobHeld(job_id)
        if not taken:  # gone, or finished by an earlier delivery
            return None
        attempts, raw = taken
        if attempts > max_attempts:
            self.fail(job_id, "worker_lost",
                      f"The worker processing this job died {max_attempts} times; giving up.",
                      metrics.counted("newsdesk_jobs_failed_total", code="worker_lost"))
            return None
        return self._decode(job_id, dict(zip(raw[::2], raw[1::2])))

    def renew(self, job_ids: list[str], lease_seconds: float) -> None:
        """Extend the leases of running jobs; a job that ended meanwhile gets none back."""
        self._renew(keys=[LEASES], args=[lease_seconds, *job_ids])

    def requeue(self, job_id: str, lease: float | None = None, attempt: int | None = None) -> bool:
        """Put a running job back in the queue; True if it was running (then send its message;
        also when its reply was lost and the Redis client's resend found it requeued by this call).
        With `lease` (a deadline from claim_stale) only while that claimed lease is still its
        lease: not once its worker renewed it or another worker started the job. With `attempt`
        (the `attempts` start gave a worker) only while no other worker has started it since."""
        return bool(self._requeue(keys=[self.key(job_id), QUEUED_INDEX, LEASES],
                                  args=[OWNER_PREFIX, job_id, "" if lease is None else lease,
                                        "" if attempt is None else attempt, _call_token()]))

    def claim_stale(self, lease_seconds: float, limit: int = 100) -> list[tuple[str, float]]:
        """Running jobs whose lease ran out, each claimed for another `lease_seconds`: pairs of
        job id and the lease deadline claimed (to pass to requeue, fail or forget_lease)."""
        deadline, ids = self._claim(keys=[LEASES], args=[0, limit, lease_seconds])
        return [(raw.decode(), float(deadline)) for raw in ids]

    def claim_stale_queued(self, older_than: float, limit: int = 100) -> list[str]:
        """Jobs queued more than `older_than` seconds ago, each stamped as queued now."""
        return self._claim_older(QUEUED_INDEX, older_than, limit)

    def webhook_due(self, job_id: str, after: float = 0) -> None:
        """Note that the job's webhook is to be delivered, next `after` seconds from now."""
        self._score_from_now(keys=[WEBHOOKS_DUE], args=[job_id, after])

    def webhook_settled(self, job_id: str) -> None:
        self.redis.zrem(WEBHOOKS_DUE, job_id)

    def claim_overdue_webhooks(self, overdue_by: float, limit: int = 100) -> list[str]:
        """Jobs whose webhook delivery is `overdue_by` seconds late, each stamped as due now."""
        return self._claim_older(WEBHOOKS_DUE, overdue_by, limit)

    def _claim_older(self, index: str, seconds: float, limit: int) -> list[str]:
        """Ids scored more than `seconds` ago in the sorted set `index`, each restamped now, so
        that of several sweepers exactly one takes a given id."""
        _, ids = self._claim(keys=[index], args=[seconds, limit, 0])
        return [raw.decode() for raw in ids]

    def index_missing_queued(self, page: int = 500) -> list[str]:
        """Put in the queued index the queued jobs missing from it, as queued now, and return
        their ids: jobs that an API from before the index existed queued (it named them only in
        their owner's queued set). Indexed, they are sent again, as any other job is, should
        their message be lost (see claim_stale_queued). Reads every owner's queued set once."""
        added: list[str] = []
        for key in self.redis.scan_iter(match=f"{OWNER_PREFIX}*:queued", count=1000):
            ids = [raw.decode() for raw in self.redis.smembers(key)]
            for start in range(0, len(ids), page):
                found = self._index_queued(keys=[QUEUED_INDEX], args=[KEY_PREFIX, *ids[start:start + page]])
                added += [raw.decode() for raw in found]
        return added

    def forget_queued(self, job_id: str) -> None:
        self.redis.zrem(QUEUED_INDEX, job_id)

    def forget_lease(self, job_id: str, lease: float) -> None:
        """Drop the lease claimed with deadline `lease`, unless it was renewed or taken since."""
        self._forget_lease(keys=[LEASES], args=[job_id, lease])

    def succeed(self, job_id: str, result: dict, increments: Increments = ()) -> bool:
        """Store the result; True if this call ended the job (also when its reply was lost and the
        Redis client's resend found it ended by this call), False: it had ended, or is gone.
        `increments` (see newsdesk.metrics) are added in the same round trip, and only then."""
        return self._finish(job_id, SUCCEEDED, increments, result=json.dumps(result))

    def fail(self, job_id: str, code: str, message: str, increments: Increments = (),
             lease: float | None = None) -> bool:
        """As succeed; with `lease` (see requeue) only while that claimed lease is the job's."""
        return self._finish(job_id, FAILED, increments, lease,
                            error=json.dumps({"code": code, "message": message}))

    def _finish(self, job_id: str, status: str, increments: Increments, lease: float | None = None,
                **fields: str) -> bool:
        now = utcnow()
        fields.update(
            finished_at=isoformat(now),
            expires_at=isoformat(now + timedelta(seconds=self.ttl_seconds)),
        )
        hashes = sorted({name for name, _, _ in increments})
        keys = [self.key(job_id), QUEUED_INDEX, LEASES, DONE_CHANNEL, *hashes]
        batch_expires = isoformat(now + timedelta(seconds=2 * self.ttl_seconds))
        args = [status, self.ttl_seconds, OWNER_PREFIX, KEY_PREFIX, BATCH_PREFIX, batch_expires,
                "" if lease is None else lease, 2 * len(fields), _call_token()]
        for name, value in fields.items():
            args += [name, value]
        for name, field, amount in increments:
            args += [5 + hashes.index(name), field, amount]
        previous = self._finish_script(keys=keys, args=args)
        return (previous.decode() if previous else None) in (QUEUED, RUNNING, "own")

    def wait_finished(self, job_id: str, seconds: float, events: DoneEvents, owner: str | None = None,
                      charge: Charge | None = None, result_as_text: bool = False,
                      hung_up: Callable[[], bool] | None = None) -> dict | None:
        """The job once it is finished, or as it is after `seconds`; None if there is none.

        Watches for the job's end before reading it, so an end between the read and the wait is
        not missed; then blocks until woken, not in a polling loop. A job of another `owner` is
        returned at once, without waiting. `charge` is counted with the first read; for
        `result_as_text` see `get`. With `hung_up`, asked every HUNG_UP_CHECK_SECONDS while it
        waits, the wait ends (with the job as it is) once the client that waits is gone: its
        thread is not held for nobody.
        """
        read = functools.partial(self.get, job_id, with_article=False, result_as_text=result_as_text)
        with events.watch(job_id) as ended:
            job = read(charge=charge)
            if job is None or (owner is not None and job["owner"] != owner):
                return job
            deadline = time.monotonic() + seconds
            while job is not None and job["status"] not in TERMINAL and not events.draining:
                remaining, woken = deadline - time.monotonic(), False
                while remaining > 0 and not woken:
                    woken = ended.wait(remaining if hung_up is None else min(remaining, HUNG_UP_CHECK_SECONDS))
                    if not woken and hung_up is not None and hung_up():
                        return job
                    remaining = deadline - time.monotonic()
                ended.clear()
                job = read()  # after a wake-up, or the current state
                if not woken:
                    break
            return job
