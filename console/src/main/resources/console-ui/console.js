// The analyst console's page: plain DOM, no framework. Every value from the server is written with
// textContent, never as HTML, so nothing a payment or a provider carries can run in the page.
"use strict";

const state = { session: null, tab: "reviews", timer: null, enrolmentToken: null, enrolmentUsername: null };
const REFRESH_MS = 3000;

function $(id) { return document.getElementById(id); }

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (name === "class") { node.className = value; } else { node.setAttribute(name, value); }
  });
  children.flat().forEach(child => {
    if (child === null || child === undefined) { return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return node;
}

async function api(method, path, body, extraHeaders) {
  const headers = Object.assign({ "Accept": "application/json" }, extraHeaders || {});
  if (body !== undefined) { headers["Content-Type"] = "application/json"; }
  if (method !== "GET" && state.session) { headers["X-CSRF-Token"] = state.session.csrfToken; }
  const response = await fetch(path, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await response.text();
  let json = {};
  try { json = text ? JSON.parse(text) : {}; } catch (e) { json = { detail: text }; }
  if (response.status === 401 && !path.startsWith("/api/session") && !path.startsWith("/api/enrolment")) { showSignIn(); }
  return { status: response.status, ok: response.ok, body: json };
}

function idempotencyKey() {
  if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
}

function notice(text, problem) {
  const node = $("notice");
  node.textContent = text || "";
  node.className = problem ? "notice problem" : "notice";
}

function amount(money) {
  return money ? money.text + " " + money.currency : "";
}

function utc(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z").replace("Z", "") : "";
}

/** Who made a decision, by its kind: an INITIAL one is risk's own. */
const DECIDED_BY = {
  REVIEW_RESOLUTION: "analyst resolution",
  CHALLENGE_RESULT: "challenge result",
  AUTHORIZATION_ANSWER: "card network answer",
  LEDGER_REFUSAL: "ledger refusal"
};

function badge(text) { return el("span", { "class": "badge " + text }, text); }

function rules(reasons) {
  if (!reasons || reasons.length === 0) { return el("span", { "class": "hint" }, "none"); }
  return el("ul", { "class": "rules" }, reasons.map(reason => el("li", { "class": reason.shadow ? "shadow" : "" },
    el("code", {}, reason.ruleId), " ", badge(reason.outcome), " ", reason.message,
    " (", reason.ruleSetVersion, reason.shadow ? ", shadow" : "", ")")));
}

function showSignIn(username) {
  state.session = null;
  clearInterval(state.timer);
  $("workspace").hidden = true;
  $("who").hidden = true;
  $("enrol").hidden = true;
  $("sign-in").hidden = false;
  if (username) { $("username").value = username; }
  ($("username").value ? $("password") : $("username")).focus();
}

function showWorkspace(session) {
  state.session = session;
  $("sign-in").hidden = true;
  $("enrol").hidden = true;
  $("workspace").hidden = false;
  $("who").hidden = false;
  $("who-user").textContent = session.username;
  $("who-role").textContent = session.role;
  $("who-merchant").textContent = session.merchantId;
  document.querySelector('[data-tab="breaks"]').hidden = !session.canReadReports;
  document.querySelector('[data-tab="providers"]').hidden = !session.canReadReports;
  document.querySelector('[data-tab="approvals"]').hidden = !session.canApprove;
  selectTab("reviews");
  clearInterval(state.timer);
  state.timer = setInterval(refresh, REFRESH_MS);
}

function selectTab(tab) {
  state.tab = tab;
  document.querySelectorAll("nav .tab").forEach(button =>
    button.classList.toggle("active", button.dataset.tab === tab));
  document.querySelectorAll(".panel").forEach(panel => { panel.hidden = panel.id !== "tab-" + tab; });
  refresh();
}

async function refresh() {
  if (!state.session) { return; }
  await loadStops();
  if (state.tab === "reviews") { await loadReviews(); }
  if (state.tab === "decisions") { await loadDecisions(); }
  if (state.tab === "breaks") { await loadBreaks(); }
  if (state.tab === "providers") { await loadProviders(); }
  if (state.tab === "approvals") { await loadApprovals(); }
  await loadAlerts();
}

// Read-only, on every tab: what is halted is the first thing an analyst should know.
async function loadStops() {
  const answer = await api("GET", "/api/stops");
  if (!answer.ok) { return; }
  const stops = answer.body.stops;
  $("stops").hidden = stops.length === 0;
  $("stop-list").replaceChildren(...stops.map(stop => el("li", { "data-stop": stop.stopId },
    el("strong", {}, stop.traffic === "ALL" ? "All traffic" : "Payouts"), " stopped ",
    stop.scope === "GLOBAL" ? "everywhere" : (stop.scope === "MERCHANT" ? "for merchant " : "at provider "),
    stop.target ? el("code", {}, stop.target) : null,
    " since " + utc(stop.changedAt) + " UTC by ", el("code", {}, stop.changedBy), ": ", stop.reason)));
}

// On every tab, for the count; the table when the tab is open. The console evaluates no rule: Prometheus does.
async function loadAlerts() {
  const answer = await api("GET", "/api/alerts");
  const table = $("alerts-table");
  const status = $("alerts-status");
  if (!answer.ok) {
    $("alert-count").textContent = "?";
    status.hidden = false;
    table.hidden = true;
    status.textContent = "Alerts unavailable: " + (answer.body.detail || ("the console answered " + answer.status));
    return;
  }
  const alerts = answer.body.alerts;
  const firing = alerts.filter(alert => alert.state === "firing").length;
  $("alert-count").textContent = answer.body.configured ? String(firing) : "–";
  status.hidden = answer.body.configured && alerts.length > 0;
  table.hidden = !status.hidden;
  status.textContent = answer.body.configured ? "No alert is firing or pending."
    : "No Prometheus is configured (NGAO_CONSOLE_PROMETHEUS_URL): the console shows no alerts.";
  $("alerts").replaceChildren(...alerts.map(alert => el("tr", { "data-alert": alert.name },
    el("td", {}, badge(alert.state === "firing" ? "FIRING" : "PENDING")),
    el("td", {}, alert.severity || ""),
    el("td", { "class": "mono" }, alert.name),
    el("td", {}, alert.activeAt ? utc(alert.activeAt) : ""),
    el("td", { "class": "why" }, el("strong", {}, alert.summary || ""), el("br", {}), alert.description || ""),
    el("td", {}, alert.runbookUrl ? el("code", {}, alert.runbookUrl) : ""))));
}

async function loadReviews() {
  const answer = await api("GET", "/api/reviews");
  if (!answer.ok) { return; }
  const reviews = answer.body.reviews;
  $("review-count").textContent = reviews.length;
  $("reviews-empty").hidden = reviews.length > 0;
  $("reviews-table").hidden = reviews.length === 0;
  const body = $("reviews");
  // Rows being typed into are kept as they are, so a refresh never eats a note.
  const open = new Set(reviews.map(review => review.transactionId));
  Array.from(body.children).forEach(row => { if (!open.has(row.dataset.transaction)) { row.remove(); } });
  reviews.forEach(review => {
    let row = body.querySelector('tr[data-transaction="' + review.transactionId + '"]');
    if (!row) {
      row = reviewRow(review, answer.body.canResolve);
      body.appendChild(row);
    }
    if (review.sentResolution) { markSent(row, review.sentResolution.outcome); }
  });
}

function reviewRow(review, canResolve) {
  const note = el("input", { "class": "note", placeholder: "note (optional)", maxlength: "500" });
  const approve = el("button", { type: "button", "class": "approve" }, "Approve");
  const decline = el("button", { type: "button", "class": "decline" }, "Decline");
  const actions = canResolve ? el("div", { "class": "resolve" }, note, el("div", { "class": "buttons" }, approve, decline))
    : el("span", { "class": "hint" }, "needs reviews:resolve");
  const row = el("tr", { "data-transaction": review.transactionId },
    el("td", {}, utc(review.requestedAt)),
    el("td", { "class": "mono" }, review.transactionId),
    el("td", {}, review.type),
    el("td", { "class": "amount" }, amount(review.amount)),
    el("td", { "class": "mono" }, review.accountKind + " " + review.accountId),
    el("td", { "class": "why" }, rules(review.reasons)),
    el("td", {}, review.score === null || review.score === undefined ? "" : review.score),
    el("td", { "class": "actions" }, actions));
  const key = idempotencyKey();
  const send = async outcome => {
    approve.disabled = true;
    decline.disabled = true;
    const answer = await api("POST", "/api/reviews/" + review.transactionId + "/resolution",
      { outcome, note: note.value }, { "Idempotency-Key": key });
    if (answer.status === 202) {
      notice(outcome === "APPROVE" ? "Approved " + review.transactionId : "Declined " + review.transactionId);
      markSent(row, outcome);
    } else {
      notice((answer.body.title || "Refused") + ": " + (answer.body.detail || answer.status), true);
      approve.disabled = false;
      decline.disabled = false;
    }
  };
  approve.addEventListener("click", () => send("APPROVE"));
  decline.addEventListener("click", () => send("DECLINE"));
  return row;
}

// Maker-checker: the merchant's payouts and card batches waiting for a second person, decided here.
async function loadApprovals() {
  const status = $("approval-status").value;
  const answer = await api("GET", "/api/approvals?status=" + encodeURIComponent(status));
  if (!answer.ok) { return; }
  const approvals = answer.body.approvals;
  if (status === "PENDING") { $("approval-count").textContent = approvals.length; }
  $("approvals-empty").hidden = approvals.length > 0;
  $("approvals-table").hidden = approvals.length === 0;
  const body = $("approvals");
  // Rows being typed into are kept as they are, so a refresh never eats a reason.
  const listed = new Set(approvals.map(approval => approval.approvalId + "|" + approval.status));
  Array.from(body.children).forEach(row => { if (!listed.has(row.dataset.approval)) { row.remove(); } });
  approvals.forEach(approval => {
    const key = approval.approvalId + "|" + approval.status;
    if (!body.querySelector('tr[data-approval="' + key + '"]')) {
      body.appendChild(approvalRow(approval, answer.body.canApprove));
    }
  });
}

function approvalRow(approval, canApprove) {
  const what = approval.kind === "PAYOUT"
    ? "Payout of " + approval.amountMinor + " " + approval.currency + " (minor units), " + approval.transactionId
    : approval.cardCount + " cards";
  const reason = el("input", { "class": "note", placeholder: "reason (required to reject)", maxlength: "500" });
  const approve = el("button", { type: "button", "class": "approve" }, "Approve");
  const reject = el("button", { type: "button", "class": "decline" }, "Reject");
  let actions;
  if (approval.status !== "PENDING") {
    actions = el("span", {}, badge(approval.status), " ", approval.decidedBy ? "by " + approval.decidedBy : "",
      approval.reason ? ": " + approval.reason : "");
  } else if (canApprove) {
    actions = el("div", { "class": "resolve" }, reason, el("div", { "class": "buttons" }, approve, reject));
  } else {
    actions = el("span", { "class": "hint" }, "needs approvals:approve");
  }
  const row = el("tr", { "data-approval": approval.approvalId + "|" + approval.status },
    el("td", {}, utc(approval.requestedAt)),
    el("td", { "class": "mono" }, approval.approvalId),
    el("td", {}, approval.kind),
    el("td", {}, what),
    el("td", { "class": "mono" }, approval.requestedBy),
    el("td", {}, utc(approval.expiresAt)),
    el("td", { "class": "actions" }, actions));
  const send = async decision => {
    approve.disabled = true;
    reject.disabled = true;
    const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
    const answer = await api("POST", "/api/approvals/" + approval.approvalId + "/" + decision, body);
    if (answer.ok) {
      notice((decision === "approve" ? "Approved " : "Rejected ") + approval.approvalId);
      row.querySelector("td.actions").replaceChildren(badge(answer.body.status));
    } else {
      notice((answer.body.title || "Refused") + ": " + (answer.body.detail || answer.status), true);
      approve.disabled = false;
      reject.disabled = false;
    }
  };
  approve.addEventListener("click", () => send("approve"));
  reject.addEventListener("click", () => send("reject"));
  return row;
}

function markSent(row, outcome) {
  const cell = row.querySelector("td.actions");
  if (cell.dataset.sent) { return; }
  cell.dataset.sent = outcome;
  cell.replaceChildren(el("span", { "class": "sent" },
    (outcome === "APPROVE" ? "Approved" : "Declined") + ", waiting for the final decision"));
}

async function loadDecisions() {
  const outcome = $("decision-outcome").value;
  const transaction = $("decision-transaction").value.trim();
  const query = new URLSearchParams({ limit: "100" });
  if (outcome) { query.set("outcome", outcome); }
  if (transaction) { query.set("transaction", transaction); }
  const answer = await api("GET", "/api/decisions?" + query);
  if (!answer.ok) { return; }
  const decisions = answer.body.decisions;
  $("decisions-empty").hidden = decisions.length > 0;
  $("decisions-table").hidden = decisions.length === 0;
  $("decisions").replaceChildren(...decisions.map(decision => el("tr", { "data-transaction": decision.transactionId },
    el("td", {}, utc(decision.decidedAt)),
    el("td", { "class": "mono" }, decision.transactionId),
    el("td", {}, DECIDED_BY[decision.kind] || "risk"),
    el("td", {}, badge(decision.outcome)),
    el("td", { "class": "amount" }, amount(decision.amount)),
    el("td", { "class": "why" }, rules(decision.reasons)),
    el("td", {}, decision.score === null || decision.score === undefined ? "" : decision.score))));
}

async function loadBreaks() {
  const select = $("break-day");
  const chosen = select.value;
  const answer = await api("GET", "/api/breaks" + (chosen ? "?day=" + encodeURIComponent(chosen) : ""));
  if (!answer.ok) { return; }
  select.replaceChildren(...answer.body.days.map(day =>
    el("option", { value: day.day }, day.day + " (" + day.count + ")")));
  if (answer.body.day) { select.value = answer.body.day; }
  const breaks = answer.body.breaks;
  $("breaks-empty").hidden = breaks.length > 0;
  $("breaks-table").hidden = breaks.length === 0;
  $("breaks").replaceChildren(...breaks.map(found => el("tr", { "data-break": found.breakId },
    el("td", {}, badge(found.kind)),
    el("td", { "class": "mono" }, found.transactionId),
    el("td", {}, found.provider || ""),
    el("td", { "class": "mono" }, found.providerReference || ""),
    el("td", { "class": "amount" }, amount(found.expected)),
    el("td", { "class": "amount" }, amount(found.actual)),
    el("td", {}, found.detail))));
}

async function loadProviders() {
  const answer = await api("GET", "/api/providers");
  if (!answer.ok) { return; }
  const providers = answer.body.providers;
  $("providers-empty").hidden = providers.length > 0;
  $("providers").replaceChildren(...providers.map(provider => el("div", { "class": "card", "data-provider": provider.provider },
    el("h3", {}, provider.provider, " ", badge(provider.status)),
    el("p", {}, "since " + utc(provider.observedAt) + " UTC"),
    el("p", {}, provider.detail),
    provider.consecutiveFailures > 0 ? el("p", {}, provider.consecutiveFailures + " failed probes in a row") : null)));
}

async function signIn(event) {
  event.preventDefault();
  $("sign-in-error").textContent = "";
  $("sign-in-button").disabled = true;
  const password = $("password");
  const code = $("code");
  const answer = await api("POST", "/api/session",
    { username: $("username").value.trim(), password: password.value, code: code.value.trim() });
  password.value = "";
  code.value = "";
  $("sign-in-button").disabled = false;
  if (answer.status === 201) {
    showWorkspace(answer.body);
    if (answer.body.recoveryCodeUsed) {
      notice("You signed in with a recovery code; " + answer.body.recoveryCodesLeft + " left. "
        + "Ask an operator for a new enrolment link if you lost your authenticator.", true);
    }
  } else {
    $("sign-in-error").textContent = answer.body.detail || ("Sign-in failed (" + answer.status + ")");
  }
}

// An enrolment link (ngao users add) carries its token in the fragment, which no server sees or logs; the page
// takes it out of the address bar and history at once and keeps it in memory only.
async function showEnrolment(token) {
  state.enrolmentToken = token;
  $("sign-in").hidden = true;
  $("workspace").hidden = true;
  $("enrol").hidden = false;
  $("enrol-error").textContent = "";
  const answer = await api("POST", "/api/enrolment", { token });
  if (answer.status !== 200) {
    $("enrol-error").textContent = answer.body.detail || ("Enrolment failed (" + answer.status + ")");
    return;
  }
  $("enrol-username").textContent = answer.body.username;
  $("enrol-role").textContent = answer.body.role;
  $("enrol-qr").src = answer.body.qrCode;
  $("enrol-secret").textContent = answer.body.secret.replace(/(.{4})/g, "$1 ").trim();
  $("enrol-min-length").textContent = answer.body.minPasswordLength;
  state.enrolmentUsername = answer.body.username;
  $("enrol-start").hidden = false;
  $("enrol-password").focus();
}

async function completeEnrolment(event) {
  event.preventDefault();
  $("enrol-error").textContent = "";
  const password = $("enrol-password").value;
  if (password !== $("enrol-password-again").value) {
    $("enrol-error").textContent = "The two passwords differ.";
    return;
  }
  $("enrol-button").disabled = true;
  const answer = await api("POST", "/api/enrolment/complete",
    { token: state.enrolmentToken, password, code: $("enrol-code").value.trim() });
  $("enrol-button").disabled = false;
  if (answer.status !== 201) {
    $("enrol-error").textContent = answer.body.detail || ("Enrolment failed (" + answer.status + ")");
    return;
  }
  state.enrolmentToken = null;
  $("enrol-password").value = "";
  $("enrol-password-again").value = "";
  $("enrol-code").value = "";
  $("enrol-start").hidden = true;
  $("recovery-codes").replaceChildren(...answer.body.recoveryCodes.map(code => el("li", {}, code)));
  $("enrol-done").hidden = false;
}

async function signOut() {
  await api("DELETE", "/api/session");
  showSignIn();
}

document.addEventListener("DOMContentLoaded", async () => {
  $("sign-in-form").addEventListener("submit", signIn);
  $("enrol-form").addEventListener("submit", completeEnrolment);
  $("enrol-continue").addEventListener("click", () => {
    $("recovery-codes").replaceChildren();
    $("enrol-done").hidden = true;
    showSignIn(state.enrolmentUsername);
  });
  $("sign-out").addEventListener("click", signOut);
  document.querySelectorAll("nav .tab").forEach(button =>
    button.addEventListener("click", () => selectTab(button.dataset.tab)));
  $("decision-outcome").addEventListener("change", refresh);
  $("decision-transaction").addEventListener("input", refresh);
  $("break-day").addEventListener("change", refresh);
  $("approval-status").addEventListener("change", () => { $("approvals").replaceChildren(); refresh(); });
  if (location.hash.startsWith("#enrol=")) {
    const token = decodeURIComponent(location.hash.substring("#enrol=".length));
    history.replaceState(null, "", location.pathname + location.search);
    await showEnrolment(token);
    return;
  }
  const answer = await api("GET", "/api/session");
  if (answer.status === 200) { showWorkspace(answer.body); } else { showSignIn(); }
});
