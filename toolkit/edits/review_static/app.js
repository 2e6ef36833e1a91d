// The review app's page script (served as a file: the page's CSP allows no inline script).
// Every text taken from the server goes into the page with textContent, never innerHTML.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  const ops = Array.from(document.querySelectorAll("article.op"));
  const message = document.getElementById("message");
  const progress = document.getElementById("progress");
  const filters = {
    pending: document.getElementById("f-pending"),
    findings: document.getElementById("f-findings"),
    kind: document.getElementById("f-kind"),
  };

  function say(text, bad) {
    message.textContent = text;
    message.className = bad ? "bad" : "good";
  }

  function currentOp() {
    return document.querySelector("article.op.current");
  }

  function visibleOps() {
    return ops.filter((op) => !op.hidden && !op.closest("section").hidden);
  }

  function select(op) {
    ops.forEach((o) => o.classList.remove("current"));
    op.classList.add("current");
    op.focus({ preventScroll: true });
    op.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const shown = visibleOps();
    if (!shown.length) return;
    let i = shown.indexOf(currentOp());
    if (i < 0) i = step > 0 ? 0 : shown.length - 1;
    else i = Math.min(shown.length - 1, Math.max(0, i + step));
    select(shown[i]);
  }

  function applyFilters() {
    const kind = filters.kind.value;
    const active = filters.pending.checked || filters.findings.checked || kind !== "";
    document.querySelectorAll("section.entity").forEach((section) => {
      let shown = 0;
      section.querySelectorAll("article.op").forEach((op) => {
        const hide = (filters.pending.checked && op.dataset.state !== "pending") ||
          (filters.findings.checked && op.dataset.findings !== "1");
        op.hidden = hide;
        if (!hide) shown += 1;
      });
      section.hidden = (kind !== "" && section.dataset.kind !== kind) || (active && shown === 0);
    });
  }

  function show(op, answer) {
    op.dataset.state = answer.state;
    const state = op.querySelector(".state");
    state.textContent = answer.state;
    state.className = "state state-" + answer.state;
    const review = answer.review || {};
    op.querySelector(".who").textContent = [review.reviewer, review.time].filter(Boolean).join(" ");
    op.querySelector(".saved-comment").textContent = review.comment || "";
    progress.textContent = answer.decided + " of " + answer.total + " decided";
  }

  async function send(op, action) {
    if (action === "approve" && op.dataset.critical === "1") {
      say(op.dataset.op + ": a CRITICAL finding blocks its approval", true);
      return;
    }
    const body = {
      op: op.dataset.op,
      action: action,
      hash: op.dataset.hash,
      comment: op.querySelector("input.comment").value,
    };
    let answer = {};
    let response;
    try {
      response = await fetch("/api/decide", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(body),
      });
      answer = await response.json();
    } catch (err) {
      say("not saved: " + err, true);
      return;
    }
    if (!response.ok) {
      say("not saved (" + response.status + "): " + (answer.error || "refused"), true);
      return;
    }
    show(op, answer);
    say(op.dataset.op + ": " + (action === "comment" ? "comment saved" : answer.state), false);
    applyFilters();
  }

  ops.forEach((op) => {
    op.addEventListener("click", () => select(op));
    op.querySelector("button.approve").addEventListener("click", () => send(op, "approve"));
    op.querySelector("button.reject").addEventListener("click", () => send(op, "reject"));
    op.querySelector("button.save-comment").addEventListener("click", () => send(op, "comment"));
    op.querySelector("input.comment").addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        send(op, "comment");
      } else if (event.key === "Escape") {
        event.target.blur();
        select(op);
      }
    });
  });
  [filters.pending, filters.findings, filters.kind].forEach((el) =>
    el.addEventListener("change", applyFilters));

  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const op = currentOp();
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else if (event.key === "a" && op) send(op, "approve");
    else if (event.key === "r" && op) send(op, "reject");
    else if (event.key === "c" && op) op.querySelector("input.comment").focus();
    else return;
    event.preventDefault();
  });
})();
