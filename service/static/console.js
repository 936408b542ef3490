// The Newsdesk console: submits an article to the public API, long-polls its job and shows the
// summary and entities highlighted in the text. It uses only the documented API, like any client.
"use strict";

const root = document.getElementById("console");
const ARTICLES_URL = root.dataset.articlesUrl;
const JOBS_URL = root.dataset.jobsUrl;
const AUTH_ENABLED = root.dataset.authEnabled === "true";
const API_KEY_STORAGE = "newsdesk.apiKey";
const LONG_POLL_SECONDS = 25;
const FINISHED = new Set(["succeeded", "failed"]);

const $ = (id) => document.getElementById(id);

// The API returns results, not texts: keep what this tab submitted, to highlight it later.
const submittedArticles = new Map();
let currentPoll = null;

class ApiError extends Error {
  constructor(status, problem, retryAfter = null) {
    super(problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter; // seconds, when the API said when to try again
  }

  get transient() {
    return this.status === 429 || this.status === 503;
  }
}

// ---- small DOM helpers -------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name in node) node[name] = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function shortId(jobId) {
  return jobId.length > 10 ? jobId.slice(0, 10) + "…" : jobId;
}

// ---- API ---------------------------------------------------------------------------------

function apiKey() {
  const input = $("api-key");
  return input ? input.value.trim() : "";
}

async function api(url, options = {}) {
  const headers = {Accept: "application/json", ...(options.headers || {})};
  if (AUTH_ENABLED && apiKey()) headers.Authorization = `Bearer ${apiKey()}`;
  const response = await fetch(url, {...options, headers});
  const body = response.status === 204 ? null : await response.json().catch(() => ({}));
  if (!response.ok) {
    const retryAfter = Number.parseFloat(response.headers.get("Retry-After"));
    throw new ApiError(response.status, body || {}, Number.isFinite(retryAfter) ? retryAfter : null);
  }
  return body;
}

function jobUrl(jobId, waitSeconds = 0) {
  const url = `${JOBS_URL}/${encodeURIComponent(jobId)}`;
  return waitSeconds ? `${url}?wait=${waitSeconds}` : url;
}

// ---- status and errors -------------------------------------------------------------------

function setStatus(message) {
  $("job-status").textContent = message;
}

function showError(error) {
  const box = $("error");
  box.replaceChildren();
  if (!error) {
    box.hidden = true;
    return;
  }
  const problem = error.problem || {};
  box.append(el("p", {}, el("strong", {}, error.message || String(error))));
  if (problem.detail) box.append(el("p", {}, problem.detail));
  // A 422 names each failing field: list them, so the user knows what to fix.
  if (problem.errors) {
    const list = el("ul");
    for (const [field, messages] of Object.entries(flattenErrors(problem.errors))) {
      list.append(el("li", {}, `${field}: ${messages.join(" ")}`));
    }
    box.append(list);
  }
  if (error.status === 401) box.append(el("p", {}, "Enter a valid API key above."));
  if (error.hint) box.append(el("p", {}, error.hint));
  if (error.retryAfter !== null && error.retryAfter !== undefined) {
    box.append(el("p", {}, `Try again in ${Math.ceil(error.retryAfter)} s.`));
  }
  box.hidden = false;
}

function flattenErrors(errors, prefix = "") {
  const flat = {};
  for (const [key, value] of Object.entries(errors)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) flat[name] = value.map(String);
    else if (value && typeof value === "object") Object.assign(flat, flattenErrors(value, name));
    else flat[name] = [String(value)];
  }
  return flat;
}

function describeJob(job) {
  const id = shortId(job.job_id);
  switch (job.status) {
    case "queued": return `Job ${id} is queued…`;
    case "running": return `Job ${id} is running…`;
    case "succeeded": return `Job ${id} succeeded${elapsed(job)}.`;
    case "failed": return `Job ${id} failed.`;  // the reason is shown as an error (jobFailure)
    default: return `Job ${id}: ${job.status}`;
  }
}

function jobFailure(job) {
  const failure = new Error(job.error ? job.error.message : "The job failed; the service gave no reason.");
  if (job.error) failure.hint = `Error code: ${job.error.code}.`;
  return failure;
}

function elapsed(job) {
  if (!job.created_at || !job.finished_at) return "";
  const seconds = (Date.parse(job.finished_at) - Date.parse(job.created_at)) / 1000;
  return Number.isFinite(seconds) ? ` in ${seconds.toFixed(1)} s` : "";
}

// ---- submitting and polling --------------------------------------------------------------

function articleFromForm() {
  const article = {
    text: $("article-text").value,
    language: $("article-language").value,
    options: {summary_sentences: Number($("summary-sentences").value)},
  };
  const title = $("article-title").value.trim();
  if (title) article.title = title;
  return article;
}

async function submitArticle(event) {
  event.preventDefault();
  showError(null);
  const article = articleFromForm();
  const button = $("submit-button");
  button.disabled = true;
  setStatus("Submitting…");
  const body = JSON.stringify(article);
  try {
    const accepted = await api(ARTICLES_URL, {method: "POST", headers: {"Content-Type": "application/json"}, body});
    submittedArticles.set(accepted.job_id, article);
    setStatus(describeJob(accepted));
    refreshJobs();
    await followJob(accepted.job_id);
  } catch (error) {
    setStatus("");
    // The 413 names the limit; the size of this article tells how much of it to cut.
    if (error.status === 413) {
      error.hint = `This article is ${new Blob([body]).size.toLocaleString("en")} bytes as sent.`;
    }
    showError(error);
  } finally {
    button.disabled = false;
    focusIfLost(button);
  }
}

// Disabling the focused button drops the focus to the body, and a keyboard user would start
// again from the top: give it to what comes next, unless the user has moved on meanwhile.
function focusIfLost(target) {
  const active = document.activeElement;
  if (!active || active === document.body) target.focus({preventScroll: true});
}

// Long-polls the job until it finishes; a newer followJob call makes this one stop quietly.
async function followJob(jobId) {
  const poll = {jobId, cancelled: false};
  if (currentPoll) currentPoll.cancelled = true;
  currentPoll = poll;
  let failures = 0;
  while (!poll.cancelled) {
    let job;
    try {
      job = await api(jobUrl(jobId, LONG_POLL_SECONDS));
      failures = 0;
    } catch (error) {
      // A dropped connection, or a busy service (429, 503), is retried: after Retry-After when
      // the API gives one, else with backoff. Any other answer from the API (404, 401) is final.
      const retried = !(error instanceof ApiError) || error.transient;
      if (!retried || ++failures > 5) throw error instanceof ApiError ? error : lostContact(jobId, error);
      const seconds = error.retryAfter ?? 0.5 * 2 ** failures;
      if (poll.cancelled) return;
      const why = error instanceof ApiError ? "the service is busy" : "the service cannot be reached";
      setStatus(`${shortId(jobId)}: ${why}; asking again in ${Math.ceil(seconds)} s`);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    if (poll.cancelled) return;
    setStatus(describeJob(job));
    if (FINISHED.has(job.status)) {
      showJob(job);
      refreshJobs();
      return;
    }
  }
}

// fetch's own words ("Failed to fetch") name neither the job nor what became of it.
function lostContact(jobId, error) {
  const lost = new Error(`Lost contact with the service while following job ${jobId} (${error.message}).`);
  lost.hint = "The job goes on without this page: open it from Recent jobs once the service is back.";
  return lost;
}

async function openJob(jobId) {
  showError(null);
  // The job chosen here is the one to show: a job still followed must not replace it when it ends.
  if (currentPoll) currentPoll.cancelled = true;
  try {
    const job = await api(jobUrl(jobId));
    setStatus(describeJob(job));
    if (FINISHED.has(job.status)) showJob(job);
    else await followJob(jobId);
  } catch (error) {
    // The job chosen is not shown: the one shown before must not look as if it were.
    setStatus("");
    $("result").hidden = true;
    showError(error);
    if (error.status === 404) refreshJobs();  // it expired or was deleted: the list is stale
  }
}

// ---- the result --------------------------------------------------------------------------

function showJob(job) {
  const section = $("result");
  if (job.status !== "succeeded") {
    section.hidden = true;
    showError(jobFailure(job));
    return;
  }
  const article = submittedArticles.get(job.job_id);
  renderMeta(job);
  renderSummary(job.result.summary);
  renderEntityList(job.result.entities);
  renderArticle(article, job.result);
  section.hidden = false;
  focusIfLost($("result-heading"));
  section.scrollIntoView({block: "start"});
}

function renderMeta(job) {
  const {result, article} = job;
  const rows = [
    ["Job", job.job_id],
    ["Language", `${result.language} (${result.language_source})`],
    ["Characters", String(article.chars)],
    ["Models", Object.entries(result.models || {}).map(([k, v]) => `${k}: ${v}`).join(", ") || "none"],
  ];
  $("result-meta").replaceChildren(...rows.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
  $("result-warnings").replaceChildren(...(result.warnings || []).map(
    (warning) => el("li", {}, typeof warning === "string" ? warning : warning.message || warning.code)));
}

function renderSummary(summary) {
  // dir="auto": a sentence in Hebrew or Arabic runs right to left (the article's text does too).
  const items = summary.sentences.map((sentence) => el("li", {dir: "auto"}, sentence.text));
  if (!items.length) items.push(el("li", {}, "No summary for this text."));
  $("summary-list").replaceChildren(...items);
}

function renderEntityList(entities) {
  const items = entities.map((entity, index) => {
    const button = el("button", {
      type: "button", className: `entity-button entity-${entity.label}`,
      dataset: {entity: String(index), label: entity.label, name: entity.name},
    },
    el("span", {className: "entity-name"}, entity.name),
    el("span", {className: "badge"}, entity.label),
    el("span", {className: "count"}, `${entity.count}×`));
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-label", `${entity.name}, ${entity.label}, ${entity.count} mentions`);
    button.addEventListener("click", () => selectEntity(index));
    return el("li", {}, button);
  });
  if (!items.length) items.push(el("li", {className: "help"}, "No entities found."));
  $("entity-list").replaceChildren(...items);
}

function renderArticle(article, result) {
  const titleView = $("article-title-view");
  const textView = $("article-text-view");
  $("article-missing").hidden = Boolean(article);
  if (!article) {
    titleView.replaceChildren();
    textView.replaceChildren();
    return;
  }
  const offsets = {text: utf16Offsets(article.text), title: article.title ? utf16Offsets(article.title) : null};
  const mentions = mentionsByField(result.entities, offsets);
  const sentences = result.summary.sentences.map((sentence) => toUtf16Range(sentence, offsets.text));
  titleView.replaceChildren(...highlighted(article.title || "", [], mentions.title));
  textView.replaceChildren(...highlighted(article.text, sentences, mentions.text));
  for (const mark of document.querySelectorAll("#result mark.entity[data-entity]")) {
    mark.addEventListener("click", () => selectEntity(Number(mark.dataset.entity)));
  }
}

// ---- offsets and highlighting ------------------------------------------------------------

// The API's offsets count code points (Python str indices); JavaScript strings count UTF-16
// units. They differ after any character outside the BMP (emoji, some CJK), so convert.
function utf16Offsets(text) {
  const offsets = [0];
  let position = 0;
  for (const character of text) {
    position += character.length;
    offsets.push(position);
  }
  return offsets;  // offsets[i] is the UTF-16 index of code point i
}

function toUtf16Range(range, offsets) {
  return {...range, start: offsets[range.start], end: offsets[range.end]};
}

// Mentions per field ("text", "title"), in UTF-16 offsets and document order.
function mentionsByField(entities, offsetsByField) {
  const byField = {text: [], title: []};
  entities.forEach((entity, index) => {
    for (const mention of entity.mentions) {
      const offsets = offsetsByField[mention.field];
      if (!offsets) continue;
      byField[mention.field].push({...toUtf16Range(mention, offsets), entity: index, label: entity.label, name: entity.name});
    }
  });
  for (const list of Object.values(byField)) list.sort((a, b) => a.start - b.start);
  return byField;
}

// Nodes for `text` with summary sentences as outer marks and entity mentions inside them.
function highlighted(text, sentences, mentions) {
  const nodes = [];
  let position = 0;
  for (const sentence of sentences) {
    const start = Math.max(sentence.start, position);
    if (start >= sentence.end) continue;
    nodes.push(...withMentions(text, position, start, mentions));
    const mark = el("mark", {className: "summary-sentence", dataset: {sentence: String(sentence.index)}},
      ...withMentions(text, start, sentence.end, mentions));
    nodes.push(mark);
    position = sentence.end;
  }
  nodes.push(...withMentions(text, position, text.length, mentions));
  return nodes;
}

// Nodes for text[from:to], each mention (clipped to the stretch) as a mark of its entity's type.
function withMentions(text, from, to, mentions) {
  const nodes = [];
  let position = from;
  for (const mention of mentions) {
    const start = Math.max(mention.start, position);
    const end = Math.min(mention.end, to);
    if (start >= end) continue;
    if (start > position) nodes.push(text.slice(position, start));
    nodes.push(el("mark", {
      className: `entity entity-${mention.label}`,
      title: `${mention.name} (${mention.label})`,
      dataset: {entity: String(mention.entity), label: mention.label},
    }, text.slice(start, end)));
    position = end;
  }
  if (to > position) nodes.push(text.slice(position, to));
  return nodes;
}

function selectEntity(index) {
  const button = document.querySelector(`#entity-list button[data-entity="${index}"]`);
  const wasSelected = button && button.getAttribute("aria-pressed") === "true";
  for (const other of document.querySelectorAll("#entity-list button[aria-pressed='true']")) {
    other.setAttribute("aria-pressed", "false");
  }
  for (const mark of document.querySelectorAll("#result mark.entity.selected")) mark.classList.remove("selected");
  if (!button || wasSelected) {
    $("selection-status").textContent = "No entity selected.";
    return;
  }
  button.setAttribute("aria-pressed", "true");
  const marks = document.querySelectorAll(`#result mark.entity[data-entity="${index}"]`);
  marks.forEach((mark) => mark.classList.add("selected"));
  if (marks.length) marks[0].scrollIntoView({block: "center"});
  const count = marks.length === 1 ? "1 mention" : `${marks.length} mentions`;
  $("selection-status").textContent = `${button.dataset.name}: ${count} highlighted.`;
}

// ---- recent jobs -------------------------------------------------------------------------

// Refreshes overlap (one on submit, one when the job finishes): only the latest one's answer is
// shown, so a slow earlier answer cannot put back a state the list has moved past.
let jobsRefresh = 0;

async function refreshJobs() {
  const message = $("jobs-message");
  const refresh = ++jobsRefresh;
  if (AUTH_ENABLED && !apiKey()) {
    message.textContent = "Enter your API key to see your jobs.";
    $("jobs-table").hidden = true;
    return;
  }
  try {
    const page = await api(`${JOBS_URL}?limit=20`);
    if (refresh !== jobsRefresh) return;
    renderJobs(page.jobs);
    message.textContent = page.jobs.length ? "" : "No jobs yet.";
  } catch (error) {
    if (refresh !== jobsRefresh) return;
    message.textContent = `Could not load jobs: ${error.message}`;
  }
}

function renderJobs(jobs) {
  const rows = jobs.map((job) => {
    const open = el("button", {type: "button", className: "link-button"}, shortId(job.job_id));
    open.setAttribute("aria-label", `Open job ${job.job_id}`);
    open.addEventListener("click", () => openJob(job.job_id));
    return el("tr", {},
      el("td", {}, open),
      el("td", {}, el("span", {className: `job-status job-status-${job.status}`}, job.status)),
      el("td", {}, el("time", {dateTime: job.created_at}, new Date(job.created_at).toLocaleString(undefined, {dateStyle: "short", timeStyle: "medium"}))),
      el("td", {}, job.article.language || "auto"),
      el("td", {className: "number"}, String(job.article.chars)));
  });
  $("jobs-body").replaceChildren(...rows);
  $("jobs-table").hidden = !rows.length;
}

// ---- uploads and the API key -------------------------------------------------------------

async function loadFile(event) {
  const file = event.target.files[0];
  if (!file) return;
  showError(null);
  try {
    fillForm(parseArticleFile(await file.text()));
  } catch (error) {
    showError(new Error(`Could not read ${file.name}: ${error.message}`));
  }
}

// An article JSON (as in seeds/) fills the form; anything else is the article's text.
function parseArticleFile(content) {
  if (content.trimStart().startsWith("{")) {
    try {
      const data = JSON.parse(content);
      if (typeof data.text === "string") return data;
    } catch (_) { /* not JSON after all: use it as text */ }
  }
  return {text: content};
}

function fillForm(article) {
  $("article-text").value = article.text;
  $("article-title").value = typeof article.title === "string" ? article.title : "";
  const select = $("article-language");
  const known = [...select.options].some((option) => option.value === article.language);
  select.value = known ? article.language : "auto";
}

function initApiKey() {
  const input = $("api-key");
  if (!input) return;
  input.value = sessionStorage.getItem(API_KEY_STORAGE) || "";
  input.addEventListener("change", () => {
    sessionStorage.setItem(API_KEY_STORAGE, input.value.trim());
    refreshJobs();
  });
}

initApiKey();
$("article-form").addEventListener("submit", submitArticle);
$("article-file").addEventListener("change", loadFile);
$("refresh-jobs").addEventListener("click", refreshJobs);
refreshJobs();
