// The check-in's warning signs: ticking one shows what to do at once, before the form is sent.
// Without JavaScript the form works the same and the answer comes with the saved check-in.
"use strict";
(function () {
  const form = document.querySelector("form.check-in");
  if (!form) {
    return;
  }
  const none = form.querySelector('input[name="signs"][value="none"]');
  const signs = Array.from(form.querySelectorAll('input[name="signs"]:not([value="none"])'));
  const warnings = {
    emergency: document.getElementById("sign-warning-emergency"),
    urgent: document.getElementById("sign-warning-urgent"),
  };

  function show() {
    const ticked = signs.filter((box) => box.checked);
    let level = null;
    if (ticked.some((box) => box.dataset.level === "emergency")) {
      level = "emergency";
    } else if (ticked.length > 0) {
      level = "urgent";
    }
    for (const [name, box] of Object.entries(warnings)) {
      if (box) {
        box.hidden = name !== level;
      }
    }
  }

  for (const box of signs) {
    box.addEventListener("change", () => {
      if (box.checked && none) {
        none.checked = false;
      }
      show();
    });
  }
  if (none) {
    none.addEventListener("change", () => {
      if (none.checked) {
        signs.forEach((box) => {
          box.checked = false;
        });
      }
      show();
    });
  }
  show();
})();
