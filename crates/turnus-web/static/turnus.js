// Follows solve jobs: each element with data-job-events opens the job's server-sent event
// stream, moves its progress bar, and on the end event opens data-done-url with the new
// version id appended. The texts come from data attributes, rendered from the translation
// files.
(function () {
  "use strict";

  function follow(box) {
    if (box.dataset.following) return;
    box.dataset.following = "1";
    var bar = box.querySelector("progress");
    var status = box.querySelector(".job-status");
    var source = new EventSource(box.dataset.jobEvents);

    function show(job) {
      var percent = Math.round((job.progress || 0) * 100);
      bar.value = percent;
      var text = job.state === "queued" ? box.dataset.textQueued : box.dataset.textRunning.replace("{0}", percent);
      if (job.best_score) {
        text += " " + box.dataset.textScore.replace("{0}", job.best_score.hard).replace("{1}", job.best_score.soft);
      }
      status.textContent = text;
    }

    source.addEventListener("progress", function (event) {
      show(JSON.parse(event.data));
    });
    source.addEventListener("end", function (event) {
      source.close();
      var job = JSON.parse(event.data);
      if (job.state === "done" && job.result_version_id) {
        bar.value = 100;
        status.textContent = box.dataset.textDone;
        window.location.href = box.dataset.doneUrl + job.result_version_id;
      } else {
        status.textContent = box.dataset.textFailed + (job.error ? ": " + job.error : "");
      }
    });
  }

  function scan(root) {
    if (root.matches && root.matches("[data-job-events]")) follow(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-job-events]").forEach(follow);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.detail.elt); });
})();

// Copy buttons: a button with data-copy="ID" copies the value of the field with that id and
// then shows its data-text-copied text. Without the clipboard API (a page served over plain
// HTTP to another host) the field is selected, so the user can copy it by hand.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.textCopied;
      });
    }
  });
})();
