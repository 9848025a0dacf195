// Shows upload progress for forms marked data-progress="<id of a <progress>>", then shows the page
// the server answers with. Without JavaScript the form still posts normally.
document.querySelectorAll("form[data-progress]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    var bar = document.getElementById(form.getAttribute("data-progress"));
    if (!bar || !window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open(form.method, form.action);
    bar.hidden = false;
    request.upload.onprogress = function (e) {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    };
    request.upload.onload = function () { bar.removeAttribute("value"); };
    request.onload = function () {
      document.open();
      document.write(request.responseText);
      document.close();
    };
    request.send(new FormData(form));
  });
});
