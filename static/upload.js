// Evidence uploads with a progress bar. The form works without this script (a plain multipart
// POST answered by a redirect); with it, the same POST goes by XMLHttpRequest so that the
// upload's progress can be shown, and the server answers JSON: where to go next, or why the
// file was refused, which is shown beside its field.
(function () {
  "use strict";
  function setError(form, field, text) {
    var span = form.querySelector('[data-error-for="' + field + '"]');
    var input = form.querySelector('[name="' + field + '"]');
    if (span) {
      span.textContent = text || "";
      span.hidden = !text;
    } else if (text) {
      form.querySelector(".upload-status").textContent = text;
    }
    if (input) {
      if (text) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    }
  }
  function enhance(form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) {
        return;
      }
      event.preventDefault();
      // A file past the limit is refused here, before it is sent: the server would refuse it
      // before reading it, and the browser would report only a broken connection.
      var input = form.querySelector('input[type="file"]');
      var limit = input ? Number(input.getAttribute("data-max-bytes")) : 0;
      if (input && input.files && input.files[0] && limit && input.files[0].size > limit) {
        setError(form, "file", input.getAttribute("data-too-large"));
        return;
      }
      var progress = form.querySelector(".upload-progress");
      var status = form.querySelector(".upload-status");
      var button = form.querySelector('button[type="submit"]');
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable && progress) {
          progress.hidden = false;
          progress.value = Math.round((e.loaded / e.total) * 100);
        }
      });
      xhr.addEventListener("load", function () {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (ignored) {
          answer = null;
        }
        if (xhr.status >= 200 && xhr.status < 300 && answer && answer.location) {
          // The answer names this page again (with #evidence): a new location with only
          // another fragment would not load it, so the page is reloaded to list the file.
          var target = new URL(answer.location, window.location.href);
          var here = window.location;
          if (target.pathname === here.pathname && target.search === here.search) {
            here.hash = target.hash;
            here.reload();
          } else {
            here.assign(target.href);
          }
          return;
        }
        button.disabled = false;
        if (progress) {
          progress.hidden = true;
        }
        status.textContent = "";
        if (answer && answer.errors) {
          Object.keys(answer.errors).forEach(function (field) {
            setError(form, field, answer.errors[field]);
          });
        }
        if (answer && answer.refusal) {
          status.textContent = answer.refusal;
        } else if (!answer || !answer.errors) {
          status.textContent = status.getAttribute("data-failed");
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        status.textContent = status.getAttribute("data-failed");
      });
      ["title", "provided_by", "received_on", "file"].forEach(function (f) {
        setError(form, f, "");
      });
      button.disabled = true;
      status.textContent = status.getAttribute("data-uploading");
      if (progress) {
        progress.hidden = false;
        progress.value = 0;
      }
      xhr.send(new FormData(form));
    });
  }
  var forms = document.querySelectorAll("form[data-upload]");
  for (var i = 0; i < forms.length; i += 1) {
    enhance(forms[i]);
  }
})();
