// Screening form: ticking an emergency sign shows the emergency message at once.
// Without JavaScript the message is shown after saving, above everything else.
"use strict";
(function () {
  var box = document.getElementById("emergency-now");
  if (!box) {
    return;
  }
  var signs = Array.prototype.slice.call(
    document.querySelectorAll('input[name="findings"][data-level="emergency"]')
  );
  var none = document.querySelector('input[name="none"]');

  function update() {
    var any = false;
    signs.forEach(function (input) {
      var line = box.querySelector('[data-sign="' + input.value + '"]');
      if (line) {
        line.hidden = !input.checked;
      }
      any = any || input.checked;
    });
    box.hidden = !any;
  }

  document.querySelectorAll('input[name="findings"]').forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.checked && none) {
        none.checked = false;
      }
      update();
    });
  });
  update();
})();
